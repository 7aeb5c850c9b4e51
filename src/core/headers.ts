/** Header names of the package's own request stamps and ids; lower-case as HTTP/2 sends them. */
export const headerClientRequestId = "x-client-request-id";
export const headerClientTraceId = "x-client-trace-id";
export const headerIdempotencyKey = "idempotency-key";
export const headerAuthorization = "authorization";
export const headerUserAgent = "user-agent";

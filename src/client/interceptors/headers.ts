/** Header names the Yandex Cloud API understands; lower-case as HTTP/2 sends them. */
export const CLIENT_REQUEST_ID = "x-client-request-id";
export const CLIENT_TRACE_ID = "x-client-trace-id";
export const IDEMPOTENCY_KEY = "idempotency-key";
export const AUTHORIZATION = "authorization";
export const USER_AGENT = "user-agent";

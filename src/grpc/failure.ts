import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, markFailure } from "../core/failure.js";
import type { FailureInfo } from "../core/failure.js";
import { asConnectError } from "../core/connect-error.js";

/**
 * What a failed gRPC attempt tells about itself, from what arrived:
 *
 * - a `grpc-status` arrived: the server gave its verdict (`server`);
 * - RESOURCE_EXHAUSTED with no status: raised on this side (a message over
 *   the size limit), so sending it again fails the same way (`local`);
 * - INTERNAL, UNKNOWN, ABORTED, CANCELED or UNAVAILABLE with no status: the
 *   stream or connection broke (RST, ECONNRESET, refused, a stream ended
 *   without trailers) before any verdict (`connection`);
 * - anything else with no status is an HTTP-level answer, e.g. a proxy's
 *   404 or 401 (`server`).
 *
 * @example
 * ```ts
 * grpcFailure(new ConnectError("stream closed", Code.Internal)); // { origin: "connection" }
 * ```
 */
export function grpcFailure(error: ConnectError): FailureInfo {
  if (error.metadata.has("grpc-status")) return { origin: "server" };
  switch (error.code) {
    case Code.ResourceExhausted:
      return { origin: "local" };
    case Code.Internal:
    case Code.Unknown:
    case Code.Aborted:
    case Code.Canceled:
    case Code.Unavailable:
      return { origin: "connection" };
    default:
      return { origin: "server" };
  }
}

/**
 * The gRPC status message a server sends for a request over its message
 * size limit: connect-es ("message size … is larger than configured
 * readMaxBytes …"), grpc-go and grpc-java ("received message larger than max
 * (… vs. …)").
 */
const oversizedMessage = /larger than (?:configured readMaxBytes|max)\b/i;

/**
 * Connect's own refusal of a received message over this client's
 * `readMaxBytes` ("message size … is larger than configured readMaxBytes …",
 * "… after decompression"): with no `grpc-status` it was raised here.
 */
const receivedTooLarge = /larger than configured readMaxBytes\b/;

/** Connect's words for a response body that ended inside a message envelope. */
const cutShort = /^protocol error: incomplete envelope$/;

/**
 * What a failed gRPC attempt is, for the retry layer:
 *
 * - a received message over `readMaxBytes` (refused by Connect from its
 *   length prefix, or by `boundedGzip` of grpc-compression.ts while
 *   inflating) is RESOURCE_EXHAUSTED naming the limit and the option,
 *   raised here (`local`, never retried: the same answer would come back);
 * - a response cut off inside a message (Connect says INVALID_ARGUMENT
 *   "incomplete envelope") is INTERNAL, a broken `connection`: the request
 *   was fine, so a safe call is retried;
 * - the server's RESOURCE_EXHAUSTED for an oversized request message is made
 *   a final error (`server`, not retryable): sending the same bytes again
 *   fails the same way, and each attempt queues megabytes in the HTTP/2
 *   session. The message says what to do;
 * - any other error not already marked closer to the wire gets the mark of
 *   {@link grpcFailure}.
 */
export function markGrpcFailure(error: unknown): ConnectError {
  const connect = asConnectError(error);
  const verdict = connect.metadata.has("grpc-status");
  if (!verdict && connect.code === Code.ResourceExhausted && receivedTooLarge.test(connect.rawMessage)) {
    const final = new ConnectError(
      `response message too large (${connect.rawMessage}); raise the client's readMaxBytes option if such answers are expected`,
      Code.ResourceExhausted,
      connect.metadata,
      undefined,
      connect,
    );
    return markFailure(final, { origin: "local" });
  }
  if (!verdict && connect.code === Code.InvalidArgument && cutShort.test(connect.rawMessage)) {
    // The server's message ended half-way (RST_STREAM, a stream closed
    // early): as grpc-js, INTERNAL, and a broken connection for retries.
    const broken = new ConnectError(
      `the response ended in the middle of a message (${connect.rawMessage}): the stream was reset or closed early`,
      Code.Internal,
      connect.metadata,
      undefined,
      connect,
    );
    return markFailure(broken, { origin: "connection" });
  }
  if (connect.code === Code.ResourceExhausted && oversizedMessage.test(connect.rawMessage)) {
    const final = new ConnectError(
      `request too large for the server (${connect.rawMessage}); pass large inputs by reference (e.g. an s3a:// URI), not inline`,
      Code.ResourceExhausted,
      connect.metadata,
      undefined,
      connect,
    );
    final.details.push(...connect.details);
    return markFailure(final, { origin: "server", retryable: false });
  }
  if (failureOf(connect) === undefined) markFailure(connect, grpcFailure(connect));
  return connect;
}

/**
 * Innermost interceptor of the gRPC transport: marks every failed attempt
 * with {@link markGrpcFailure}, so the retry layer classifies by meaning and
 * never looks at gRPC trailers. The success path costs one `.catch`.
 *
 * @example
 * ```ts
 * createGrpcTransport({ baseUrl, interceptors: [...others, grpcFailureInterceptor] });
 * ```
 */
export const grpcFailureInterceptor: Interceptor = (next) => (req) => {
  try {
    return next(req).catch((error: unknown) => {
      throw markGrpcFailure(error);
    });
  } catch (error) {
    return Promise.reject(markGrpcFailure(error));
  }
};

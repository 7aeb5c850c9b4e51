import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, markFailure } from "../../core/failure.js";
import type { FailureInfo } from "../../core/failure.js";

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
 * Innermost interceptor of the gRPC transport: marks every failed attempt
 * with {@link grpcFailure} (unless something closer to the wire already did),
 * so the retry layer classifies by meaning and never looks at gRPC trailers.
 */
export const grpcFailureInterceptor: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (error) {
    const connect = ConnectError.from(error);
    if (failureOf(connect) === undefined) markFailure(connect, grpcFailure(connect));
    throw connect;
  }
};

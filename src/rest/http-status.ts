import { Code } from "@connectrpc/connect";

/**
 * The Code for an HTTP error status when the body says nothing better, with
 * REST semantics (404 is NOT_FOUND, not connect-es's gRPC-fallback
 * UNIMPLEMENTED). The table is the inverse of grpc-gateway's mapping (which
 * REST front-ends of gRPC APIs publish), with gax's rules for the rest: other 4xx
 * FAILED_PRECONDITION, other 5xx INTERNAL, anything else UNKNOWN.
 *
 * 409 is ambiguous (ALREADY_EXISTS or ABORTED): without a body it is read
 * as ABORTED, the conflict a client may resolve by reading again.
 *
 * @example
 * ```ts
 * codeFromHttpStatus(404); // Code.NotFound
 * codeFromHttpStatus(418); // Code.FailedPrecondition
 * ```
 */
export function codeFromHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.InvalidArgument;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.NotFound;
    case 408:
      return Code.DeadlineExceeded;
    case 409:
      return Code.Aborted;
    case 412:
      return Code.FailedPrecondition;
    case 416:
      return Code.OutOfRange;
    case 429:
      return Code.ResourceExhausted;
    case 499:
      return Code.Canceled;
    case 501:
      return Code.Unimplemented;
    case 502:
    case 503:
      return Code.Unavailable;
    case 504:
      return Code.DeadlineExceeded;
  }
  if (status >= 400 && status < 500) return Code.FailedPrecondition;
  if (status >= 500 && status < 600) return Code.Internal;
  return Code.Unknown;
}

/**
 * `Retry-After` in milliseconds (delta-seconds or an HTTP date), if present
 * and sane.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The HTTP status a REST front-end answers a gRPC code with, as grpc-gateway
 * implements it and the clouds built on it document it (FAILED_PRECONDITION and
 * OUT_OF_RANGE are 400, ABORTED and ALREADY_EXISTS 409).
 *
 * @example
 * ```ts
 * httpStatusFromCode(Code.Unauthenticated); // 401
 * ```
 */
export function httpStatusFromCode(code: Code): number {
  switch (code) {
    case Code.Canceled:
      return 499;
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return 400;
    case Code.DeadlineExceeded:
      return 504;
    case Code.NotFound:
      return 404;
    case Code.AlreadyExists:
    case Code.Aborted:
      return 409;
    case Code.PermissionDenied:
      return 403;
    case Code.Unauthenticated:
      return 401;
    case Code.ResourceExhausted:
      return 429;
    case Code.Unimplemented:
      return 501;
    case Code.Unavailable:
      return 503;
    default:
      return 500;
  }
}

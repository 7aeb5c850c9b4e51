import { Code } from "@connectrpc/connect";
import type { ConnectError } from "@connectrpc/connect";

/**
 * Where a failed attempt ended, as far as the transport could tell:
 *
 * - `"server"`: the server answered and gave a verdict (a gRPC status, an
 *   HTTP error response with a body or at least a status line);
 * - `"connection"`: the connection or stream broke before a verdict arrived
 *   (reset, refused, closed early, fetch rejected): the request may or may
 *   not have been handled;
 * - `"local"`: raised on this side before or instead of sending (a message
 *   over a size limit, a request that cannot be encoded, credentials that
 *   could not be obtained): sending it again fails the same way.
 *
 * Transports record it with {@link markFailure}; the retry layer reads it
 * with {@link failureOf} and decides with {@link shouldRetry}. Nothing here
 * depends on gRPC trailers or HTTP status codes, so every transport (gRPC,
 * REST) and every provider feeds the same classifier.
 */
export type FailureOrigin = "server" | "connection" | "local";

/** What a transport or provider knows about one failed attempt. */
export interface FailureInfo {
  readonly origin: FailureOrigin;
  /**
   * The provider's own verdict, when it has one, e.g. AWS throttling or
   * `InternalServerException` (retryable), or a quota error (not). It
   * overrides the code table but never the idempotency rule.
   */
  readonly retryable?: boolean;
  /** A server hint for the next delay (`Retry-After`, …), in milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * The attempt's request never left this side (it could not be put on the
   * wire, e.g. an id that does not fit the URL path), so the attempt does
   * not count: the call's error says `attempts: 0` when it was the first.
   * Only for `local` failures.
   */
  readonly unsent?: true;
}

const infos = new WeakMap<object, FailureInfo>();

/**
 * Records what is known about a failed attempt on the error itself and
 * returns the error. The mark travels with the instance; a wrapper that
 * builds a new error must copy it (`markFailure(wrapped, failureOf(e))`).
 *
 * @example
 * ```ts
 * throw markFailure(new ConnectError("fetch failed", Code.Unavailable), { origin: "connection" });
 * ```
 */
export function markFailure<E extends ConnectError>(error: E, info: FailureInfo | undefined): E {
  if (info) infos.set(error, info);
  return error;
}

/** The {@link FailureInfo} a transport recorded, if any. */
export function failureOf(error: ConnectError): FailureInfo | undefined {
  return infos.get(error);
}

/** What the retry layer knows about the call itself. */
export interface CallTraits {
  /** The method only reads (see `isReadOnly`). */
  readonly readOnly: boolean;
  /**
   * A repeat is harmless: the request carries an idempotency key or token
   * the server deduplicates by, or the method is idempotent by contract.
   */
  readonly idempotent: boolean;
}

/**
 * Whether an attempt that failed with `code` may be sent again. Pure: the
 * same inputs always give the same answer.
 *
 * - `local` failures are never retried.
 * - A broken `connection` is treated as UNAVAILABLE: the server never gave a
 *   verdict, so the code the transport picked says nothing about the request.
 * - A provider's explicit `retryable` verdict replaces the code table.
 * - UNAVAILABLE and RESOURCE_EXHAUSTED: read-only calls, or mutating calls
 *   that are safe to repeat.
 * - INTERNAL and DEADLINE_EXCEEDED from the server: read-only calls only.
 * - Anything else (INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, …) is the
 *   server's final word.
 *
 * @example
 * ```ts
 * shouldRetry(Code.Unavailable, { origin: "connection" }, { readOnly: false, idempotent: true }); // true
 * shouldRetry(Code.Internal, { origin: "server" }, { readOnly: false, idempotent: true });        // false
 * ```
 */
export function shouldRetry(code: Code, info: FailureInfo, call: CallTraits): boolean {
  if (info.origin === "local") return false;
  const safe = call.readOnly || call.idempotent;
  if (info.origin === "connection") return safe;
  if (info.retryable !== undefined) return info.retryable && safe;
  switch (code) {
    case Code.Unavailable:
    case Code.ResourceExhausted:
      return safe;
    case Code.Internal:
    case Code.DeadlineExceeded:
      return call.readOnly;
    default:
      return false;
  }
}

import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { realSleep } from "../../operations/sleep.js";
import type { Sleep } from "../../operations/sleep.js";
import { failureOf } from "../../core/failure.js";
import { isReadOnly } from "../method-kind.js";
import { CLIENT_REQUEST_ID, IDEMPOTENCY_KEY } from "./headers.js";

/** How transient failures are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  readonly initialDelayMs: number;
  /** Upper bound of any backoff. Default 5 s. */
  readonly maxDelayMs: number;
  /** Retries stop once this much time has passed since the first attempt. Default 30 s. */
  readonly maxElapsedMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
};

/**
 * Whether `error` may be retried for this call.
 *
 * - UNAVAILABLE, RESOURCE_EXHAUSTED: for read-only methods, and for mutating
 *   ones only with an Idempotency-Key (then the server deduplicates).
 * - INTERNAL, DEADLINE_EXCEEDED from the server: read-only methods only.
 * - A broken HTTP/2 stream or connection (no gRPC status received) is a
 *   transport failure, not a server verdict: it is treated as UNAVAILABLE.
 * - RESOURCE_EXHAUSTED raised locally (message too large) is never retried.
 */
export function isRetryable(error: ConnectError, readOnly: boolean, hasIdempotencyKey: boolean): boolean {
  // A transport's explicit verdict (see src/core/failure.ts) comes first.
  const info = failureOf(error);
  if (info?.origin === "local" || info?.retryable === false) return false;
  // RESOURCE_EXHAUSTED raised on this side (a message over the size limit)
  // would fail the same way every time.
  if (error.code === Code.ResourceExhausted && !error.metadata.has("grpc-status")) return false;
  const code = isTransportFailure(error) ? Code.Unavailable : error.code;
  switch (code) {
    case Code.Unavailable:
    case Code.ResourceExhausted:
      return readOnly || hasIdempotencyKey;
    case Code.Internal:
    case Code.DeadlineExceeded:
      return readOnly;
    default:
      return false;
  }
}

/**
 * No gRPC status was received: the stream or connection broke under the call
 * (RST, ECONNRESET, a stream ended without trailers). The server never gave a
 * verdict, so the code Connect picked (INTERNAL, UNKNOWN, ABORTED, CANCELED)
 * says nothing about the request; what matters is that no status arrived.
 */
function isTransportFailure(error: ConnectError): boolean {
  if (error.metadata.has("grpc-status")) return false;
  switch (error.code) {
    case Code.Internal:
    case Code.Unknown:
    case Code.Aborted:
      return true;
    case Code.Canceled:
      // CANCELED without a status is the stream being torn down, unless our
      // own signal fired (the caller checks req.signal first).
      return true;
    default:
      return false;
  }
}

/**
 * Retries transient failures with exponential backoff and full jitter (each
 * wait is uniform in [0, min(maxDelay, initial·2^(n-1))]), within a bounded
 * number of attempts and total time. Stops at once when the call's signal
 * aborts (caller's AbortSignal or deadline). Each attempt gets its own copy of
 * the headers, so per-attempt headers never leak between attempts.
 */
export function retryInterceptor(policy: Partial<RetryPolicy> = {}, sleep: Sleep = realSleep): Interceptor {
  const p = { ...defaultRetryPolicy, ...policy };
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const readOnly = isReadOnly(req.method);
    const hasKey = req.header.has(IDEMPOTENCY_KEY);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const header = new Headers(req.header);
      try {
        return await next({ ...req, header });
      } catch (error) {
        // Let the outer error interceptor name the attempt that failed last.
        const requestId = header.get(CLIENT_REQUEST_ID);
        if (requestId) req.header.set(CLIENT_REQUEST_ID, requestId);
        const connect = ConnectError.from(error);
        if (req.signal.aborted || attempt >= p.maxAttempts || !isRetryable(connect, readOnly, hasKey)) throw error;
        const delay = Math.random() * Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** (attempt - 1));
        if (Date.now() - started + delay > p.maxElapsedMs) throw error;
        await sleep(delay, req.signal);
      }
    }
  };
}

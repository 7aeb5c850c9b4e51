import { ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, shouldRetry } from "../../core/failure.js";
import type { Clock } from "../../credentials/types.js";
import { systemClock } from "../../credentials/types.js";
import { realSleep } from "../../operation/sleep.js";
import type { Sleep } from "../../operation/sleep.js";
import { isReadOnly } from "../method-kind.js";
import { grpcFailure } from "./grpc-failure.js";
import { headerIdempotencyKey } from "./headers.js";

/** How transient failures are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff. Default 100 ms. */
  readonly initialDelayMs: number;
  /** Upper bound of any backoff. Default 5 s. */
  readonly maxDelayMs: number;
  /**
   * Retries stop once this much time has passed since the first attempt,
   * measured on the client's clock (`options.clock`). Default 30 s.
   */
  readonly maxElapsedMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
};

/**
 * Whether `error` may be retried for this call: the failure mark the
 * transport recorded (see `markFailure`), or for an unmarked error what
 * its gRPC metadata says, decided by `shouldRetry`:
 *
 * - UNAVAILABLE, RESOURCE_EXHAUSTED from the server, and any broken
 *   connection: for read-only methods, and for mutating ones only with an
 *   Idempotency-Key (then the server deduplicates).
 * - INTERNAL, DEADLINE_EXCEEDED from the server: read-only methods only.
 * - Local failures (a message over the size limit, credentials that could
 *   not be obtained) are never retried.
 *
 * @example
 * ```ts
 * isRetryable(error, isReadOnly(JobService.method.get), false);
 * ```
 */
export function isRetryable(error: ConnectError, readOnly: boolean, hasIdempotencyKey: boolean): boolean {
  return shouldRetry(error.code, failureOf(error) ?? grpcFailure(error), { readOnly, idempotent: hasIdempotencyKey });
}

/**
 * Retries transient failures with exponential backoff and full jitter (each
 * wait is uniform in [0, min(maxDelay, initial·2^(n-1))], but never shorter
 * than a server's retry-after hint), within a bounded number of attempts and
 * total time on `clock`. Stops at once when the call's signal aborts (the
 * caller's AbortSignal, the deadline or `cloud.close()`). Each attempt gets
 * its own copy of the headers, so per-attempt headers never leak between
 * attempts.
 */
export function retryInterceptor(policy: Partial<RetryPolicy> = {}, sleep: Sleep = realSleep, clock: Clock = systemClock): Interceptor {
  const p = { ...defaultRetryPolicy, ...policy };
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const readOnly = isReadOnly(req.method);
    const idempotent = req.header.has(headerIdempotencyKey);
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await next({ ...req, header: new Headers(req.header) });
      } catch (error) {
        const connect = ConnectError.from(error);
        if (req.signal.aborted || attempt >= p.maxAttempts) throw error;
        const info = failureOf(connect) ?? grpcFailure(connect);
        if (!shouldRetry(connect.code, info, { readOnly, idempotent })) throw error;
        const jitter = Math.random() * Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** (attempt - 1));
        const delay = Math.max(jitter, info.retryAfterMs ?? 0);
        if (clock.now() - started + delay > p.maxElapsedMs) throw error;
        await sleep(delay, req.signal);
      }
    }
  };
}

import type { ConnectError } from "@connectrpc/connect";
import { failureOf, shouldRetry } from "../core/failure.js";
import type { RetryPolicy } from "../core/retry.js";
import { grpcFailure } from "../grpc/failure.js";

export type { RetryPolicy };

/** Yandex defaults: 5 attempts, 100 ms first backoff, 5 s cap, 30 s in all. */
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

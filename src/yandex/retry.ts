import type { ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, shouldRetry } from "../core/failure.js";
import { retryInterceptor as sharedRetryInterceptor } from "../core/retry.js";
import type { RetryPolicy } from "../core/retry.js";
import type { Clock } from "./credentials/types.js";
import { systemClock } from "./credentials/types.js";
import { realSleep } from "../core/sleep.js";
import type { Sleep } from "../core/sleep.js";
import { isReadOnly } from "./method-kind.js";
import { grpcFailure } from "../grpc/failure.js";
import { headerIdempotencyKey } from "../core/headers.js";

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

/**
 * The shared retry layer (src/core/retry.ts) with Yandex's rules: read-only
 * methods from the descriptor, mutating ones idempotent only with an
 * Idempotency-Key (the server deduplicates), unmarked gRPC errors classified
 * from their metadata. Defaults: {@link defaultRetryPolicy}.
 *
 * `restoreHeaders: false` is for the factory's own chain only, when no user
 * interceptor runs inside it: then every inner interceptor (request id,
 * user-agent, authorization) overwrites its headers on each attempt, and the
 * retry needs no copy of the headers taken before the first one.
 */
export function retryInterceptor(
  policy: Partial<RetryPolicy> = {},
  sleep: Sleep = realSleep,
  clock: Clock = systemClock,
  restoreHeaders = true,
): Interceptor {
  return sharedRetryInterceptor(
    { ...defaultRetryPolicy, ...policy },
    {
      sleep,
      clock,
      classify: grpcFailure,
      traits: (req) => ({ readOnly: isReadOnly(req.method), idempotent: req.header.has(headerIdempotencyKey) }),
      restoreHeaders,
    },
  );
}

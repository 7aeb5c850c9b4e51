import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { DescMethod } from "@bufbuild/protobuf";
import { ConnectError, createContextKey } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, shouldRetry } from "../../core/failure.js";
import type { CallTraits } from "../../core/failure.js";
import { realSleep } from "../../operation/sleep.js";
import type { Sleep } from "../../operation/sleep.js";

/** How transient Huawei failures are retried. */
export interface HuaweiRetryPolicy {
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff. Default 200 ms. */
  readonly initialDelayMs: number;
  /** Upper bound of any backoff. Default 5 s. */
  readonly maxDelayMs: number;
}

export const defaultHuaweiRetryPolicy: HuaweiRetryPolicy = { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000 };

/** The attempt number of the current call (1 for the first), for the debug log. */
export const attemptKey = createContextKey(1, { description: "dataproc-connect attempt" });

/**
 * What a method allows, read from its descriptor:
 * `idempotency_level = NO_SIDE_EFFECTS` reads, `IDEMPOTENT` may be repeated
 * (v1.1 cancel, v2 kill and batch delete). Everything else — the v2 submit —
 * is neither: MRS takes no idempotency token, so a submit whose answer was
 * lost (a 503, a reset) might already have created the job, and sending it
 * again could start a second one. Submits are therefore never retried.
 */
export function callTraits(method: DescMethod): CallTraits {
  const readOnly = method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS;
  return { readOnly, idempotent: readOnly || method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT };
}

/**
 * Retries with exponential backoff and full jitter, deciding with the shared
 * classifier (`shouldRetry` over the transport's failure mark) and
 * {@link callTraits}; honours `Retry-After` as a floor. The REST transport
 * signs every attempt afresh (new `X-Sdk-Date`).
 */
export function huaweiRetryInterceptor(policy: Partial<HuaweiRetryPolicy> = {}, sleep: Sleep = realSleep): Interceptor {
  const p = { ...defaultHuaweiRetryPolicy, ...policy };
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const traits = callTraits(req.method);
    for (let attempt = 1; ; attempt++) {
      req.contextValues.set(attemptKey, attempt);
      try {
        return await next({ ...req, header: new Headers(req.header) });
      } catch (error) {
        const connect = ConnectError.from(error);
        const info = failureOf(connect) ?? { origin: "server" as const };
        if (req.signal.aborted || attempt >= p.maxAttempts || !shouldRetry(connect.code, info, traits)) throw error;
        const backoff = Math.random() * Math.min(p.maxDelayMs, p.initialDelayMs * 2 ** (attempt - 1));
        await sleep(Math.max(backoff, info.retryAfterMs ?? 0), req.signal);
      }
    }
  };
}

import type { DescMethod } from "@bufbuild/protobuf";
import type { CallTraits } from "../core/failure.js";
import { methodTraits } from "../core/method-traits.js";
import type { RetryPolicy } from "../core/retry.js";

/** How transient Huawei failures are retried: the shared {@link RetryPolicy}. */
export type HuaweiRetryPolicy = RetryPolicy;

/** Huawei defaults: 4 attempts, 200 ms first backoff, 5 s cap, 30 s in all. */
export const defaultHuaweiRetryPolicy: HuaweiRetryPolicy = { maxAttempts: 4, initialDelayMs: 200, maxDelayMs: 5_000, maxElapsedMs: 30_000 };

/**
 * What a method allows, read from its descriptor:
 * `idempotency_level = NO_SIDE_EFFECTS` reads, `IDEMPOTENT` may be repeated
 * (v1.1 cancel, v2 kill and batch delete). Everything else — the v2 submit —
 * is neither: MRS takes no idempotency token, so a submit whose answer was
 * lost (a 503, a reset) might already have created the job, and sending it
 * again could start a second one. Submits are therefore never retried.
 */
export function callTraits(method: DescMethod): CallTraits {
  return methodTraits(method);
}

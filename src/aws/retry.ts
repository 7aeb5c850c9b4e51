import type { RetryPolicy } from "../core/retry.js";

/**
 * Retries of AWS calls: the shared {@link RetryPolicy} (the same fields on
 * every cloud), with the AWS SDK's "standard" mode as defaults.
 */
export type AwsRetryPolicy = RetryPolicy;

/**
 * The AWS SDK's standard mode: 3 attempts in all, full-jitter backoff with
 * base 100 ms (500 ms after throttling), at most 20 s per wait. The total
 * budget (60 s) only bounds a run of Retry-After hints.
 */
export const defaultAwsRetryPolicy: AwsRetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 100,
  throttlingDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 60_000,
};

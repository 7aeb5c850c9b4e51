import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { failureOf, shouldRetry } from "../core/failure.js";
import { isReadOnly } from "../client/method-kind.js";
import type { Sleep } from "../operation/sleep.js";
import { isIdempotentMethod } from "./idempotency-token.js";

/** Retries of AWS calls, after the AWS SDK's "standard" mode. */
export interface AwsRetryPolicy {
  /** Attempts in all, the first included. Default 3 (the AWS SDK's). */
  readonly maxAttempts: number;
  /** Backoff base. Default 100 ms. */
  readonly baseDelayMs: number;
  /** Backoff base after throttling. Default 500 ms. */
  readonly throttlingBaseDelayMs: number;
  /** Upper bound of any one wait. Default 20 s. */
  readonly maxDelayMs: number;
}

export const defaultAwsRetryPolicy: AwsRetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 20_000,
};

/**
 * Retries a failed attempt when the protocol-neutral classifier says so
 * (`shouldRetry` on the transport's `markFailure` verdict): broken
 * connections and 5xx/throttling for read-only or idempotent calls
 * (`idempotency_level`, or an idempotency token the service dedupes by),
 * never a quota or validation error. Waits `random() · min(max, base · 2^n)`
 * (full jitter), or the server's `Retry-After` if longer. Stops at once
 * when the call's signal aborts.
 */
export function awsRetryInterceptor(policy: Partial<AwsRetryPolicy>, sleep: Sleep): Interceptor {
  const p = { ...defaultAwsRetryPolicy, ...policy };
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const call = { readOnly: isReadOnly(req.method), idempotent: isIdempotentMethod(req.method) };
    for (let attempt = 1; ; attempt++) {
      try {
        return await next({ ...req, header: new Headers(req.header) });
      } catch (error) {
        const connect = ConnectError.from(error);
        const info = failureOf(connect) ?? { origin: "server" as const };
        if (req.signal.aborted || attempt >= p.maxAttempts || !shouldRetry(connect.code, info, call)) throw error;
        const base = connect.code === Code.ResourceExhausted ? p.throttlingBaseDelayMs : p.baseDelayMs;
        const delay = Math.max(Math.random() * Math.min(p.maxDelayMs, base * 2 ** (attempt - 1)), info.retryAfterMs ?? 0);
        await sleep(Math.min(delay, p.maxDelayMs), req.signal);
      }
    }
  };
}

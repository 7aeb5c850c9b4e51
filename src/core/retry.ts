import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor, UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import type { DescMessage } from "@bufbuild/protobuf";
import type { Clock } from "./clock.js";
import type { Sleep } from "./sleep.js";
import { failureOf, shouldRetry } from "./failure.js";
import type { CallTraits, FailureInfo } from "./failure.js";

/** How transient failures are retried; every cloud takes the same fields. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff. */
  readonly initialDelayMs: number;
  /** Upper bound of the first backoff after throttling (RESOURCE_EXHAUSTED); default `initialDelayMs`. */
  readonly throttlingDelayMs?: number;
  /** Upper bound of any backoff. */
  readonly maxDelayMs: number;
  /** Retries stop once this much time has passed since the first attempt, on the client's clock. */
  readonly maxElapsedMs: number;
}

/** What the one retry interceptor needs from the cloud that owns it. @internal */
export interface RetryDeps {
  readonly sleep: Sleep;
  readonly clock: Clock;
  /** Whether the call only reads, and whether a repeat of it is harmless. */
  traits(req: UnaryRequest<DescMessage, DescMessage>): CallTraits;
  /** The failure of an error no transport marked (gRPC reads it from the metadata). Default: a server verdict. */
  classify?(error: ConnectError): FailureInfo;
  /**
   * Whether a retry starts from the headers as they were before the first
   * attempt (default true). Only a chain whose every inner interceptor sets
   * the same header names on every attempt, overwriting the last attempt's
   * values (Yandex's own: request id, user-agent, authorization), may turn it
   * off; a signer that adds a header only sometimes, or any interceptor the
   * user added, needs it.
   */
  readonly restoreHeaders?: boolean;
}

/**
 * The one retry layer of every cloud (Yandex over gRPC and REST, AWS,
 * Huawei): it asks the protocol-neutral `shouldRetry` about the failure
 * mark the transport recorded, waits with exponential backoff and full
 * jitter (uniform in [0, min(max, base·2^(n-1))], the base being
 * `throttlingDelayMs` after throttling, as the AWS SDK's standard mode;
 * never shorter than a server's retry-after hint), within `maxAttempts`
 * and `maxElapsedMs` on the injected clock. It stops at once when the
 * call's signal aborts (the caller's, the deadline, `close()`). Each retry
 * starts from the headers as they were before the first attempt, so
 * per-attempt headers never leak (see {@link RetryDeps.restoreHeaders}).
 *
 * @example
 * ```ts
 * retryInterceptor({ ...awsRetryDefaults, ...options.retry }, { sleep, clock, traits: awsCallTraits });
 * ```
 * @internal
 */
export function retryInterceptor(policy: RetryPolicy, deps: RetryDeps): Interceptor {
  return (next) => (req) => {
    if (req.stream) return next(req);
    const started = deps.clock.now();
    // The first attempt is the hot path: no async frame, its promise goes
    // straight out; only a failure enters the retry loop. It sends `req`
    // itself; each retry starts from the headers as they were before the
    // first attempt (inner interceptors stamp ids, auth and signatures on
    // every attempt), kept as plain pairs: cheaper than a Headers copy.
    const original = deps.restoreHeaders === false ? undefined : [...req.header];
    let attempts = 0;
    const attempt = (): ReturnType<typeof next> => {
      try {
        return next(attempts++ === 0 || original === undefined ? req : { ...req, header: new Headers(original) });
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return attempt().catch((error: unknown) => retryAfter(error, req as UnaryRequest<DescMessage, DescMessage>, attempt, started, policy, deps));
  };
}

/** The retry loop, entered once attempt 1 has failed with `first`. */
async function retryAfter(
  first: unknown,
  req: UnaryRequest<DescMessage, DescMessage>,
  attempt: () => Promise<unknown>,
  started: number,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<UnaryResponse<DescMessage, DescMessage>> {
  const traits = deps.traits(req);
  let error = first;
  for (let n = 1; ; n++) {
    const connect = ConnectError.from(error);
    if (req.signal.aborted || n >= policy.maxAttempts) throw error;
    const info = failureOf(connect) ?? deps.classify?.(connect) ?? { origin: "server" };
    if (!shouldRetry(connect.code, info, traits)) throw error;
    const base = connect.code === Code.ResourceExhausted ? (policy.throttlingDelayMs ?? policy.initialDelayMs) : policy.initialDelayMs;
    const jitter = Math.random() * Math.min(policy.maxDelayMs, base * 2 ** (n - 1));
    const delay = Math.max(jitter, info.retryAfterMs ?? 0);
    if (deps.clock.now() - started + delay > policy.maxElapsedMs) throw error;
    await deps.sleep(delay, req.signal);
    try {
      return (await attempt()) as UnaryResponse<DescMessage, DescMessage>;
    } catch (next) {
      error = next;
    }
  }
}

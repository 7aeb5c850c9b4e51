import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor, UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import type { DescMessage } from "@bufbuild/protobuf";
import type { Clock } from "./clock.js";
import type { Sleep } from "./sleep.js";
import { failureOf, shouldRetry } from "./failure.js";
import type { CallTraits, FailureInfo } from "./failure.js";
import { RetryBudget, defaultRetryBudget } from "./retry-budget.js";
import type { RetryBudgetSettings } from "./retry-budget.js";
import { asConnectError } from "./connect-error.js";
import { callStateOf } from "./call-state.js";
import { codeName } from "./code-name.js";

export { defaultRetryBudget };
export type { RetryBudgetSettings };

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
  /**
   * The client's retry budget, one token bucket shared by all its calls:
   * a retry takes tokens, a success returns some, and once it is empty a
   * failure is not retried, so an outage does not multiply the load by
   * `maxAttempts`. Default {@link defaultRetryBudget} (the AWS SDK's
   * standard mode: 500 tokens, 5 per retry, 10 after a timeout or a broken
   * connection, 1 back per success); `false` turns it off.
   *
   * @example
   * ```ts
   * createAwsCloud({ retry: { budget: { capacity: 100 } } }); // 20 retries in a row at most
   * ```
   */
  readonly budget?: Partial<RetryBudgetSettings> | false;
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
   * values (the package's own stamps: request id, user-agent, a bearer
   * token's authorization), may turn it
   * off; a signer that adds a header only sometimes, or any interceptor the
   * user added, needs it.
   */
  readonly restoreHeaders?: boolean;
}

/**
 * The one retry layer of every cloud (over gRPC and REST, bearer-token,
 * SigV4 or SDK-HMAC signed): it asks the protocol-neutral `shouldRetry` about the failure
 * mark the transport recorded, waits with exponential backoff and full
 * jitter (uniform in [0, min(max, base·2^(n-1))], the base being
 * `throttlingDelayMs` after throttling, as the AWS SDK's standard mode;
 * never shorter than a server's retry-after hint), within `maxAttempts`
 * and `maxElapsedMs` on the injected clock, and within the client's retry
 * budget (see {@link RetryPolicy.budget}; one bucket per interceptor, and
 * every cloud builds one interceptor per client). It stops at once when the
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
  const budget = policy.budget === false ? undefined : new RetryBudget({ ...defaultRetryBudget, ...policy.budget });
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
    const retry = (error: unknown) => retryAfter(error, req as UnaryRequest<DescMessage, DescMessage>, attempt, started, policy, deps, budget);
    if (!budget) return attempt().catch(retry);
    return attempt().then((res) => {
      budget.succeeded();
      return res;
    }, retry);
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
  budget: RetryBudget | undefined,
): Promise<UnaryResponse<DescMessage, DescMessage>> {
  const traits = deps.traits(req);
  let error = first;
  for (let n = 1; ; n++) {
    const connect = asConnectError(error);
    if (req.signal.aborted || n >= policy.maxAttempts) throw error;
    const info = failureOf(connect) ?? deps.classify?.(connect) ?? { origin: "server" };
    if (!shouldRetry(connect.code, info, traits)) throw error;
    const base = connect.code === Code.ResourceExhausted ? (policy.throttlingDelayMs ?? policy.initialDelayMs) : policy.initialDelayMs;
    const jitter = Math.random() * Math.min(policy.maxDelayMs, base * 2 ** (n - 1));
    const delay = Math.max(jitter, info.retryAfterMs ?? 0);
    if (deps.clock.now() - started + delay > policy.maxElapsedMs) throw error;
    // An empty budget: the client has been retrying a lot lately (an
    // outage), so this failure is the call's answer.
    const cost = budget?.take(info.origin === "connection" || connect.code === Code.DeadlineExceeded ? "timeout" : "other");
    if (budget && cost === undefined) throw error;
    callStateOf(req.contextValues)?.span?.retry(n, codeName(connect.code), delay);
    await deps.sleep(delay, req.signal);
    try {
      const res = (await attempt()) as UnaryResponse<DescMessage, DescMessage>;
      budget?.succeeded(cost);
      return res;
    } catch (next) {
      error = next;
    }
  }
}

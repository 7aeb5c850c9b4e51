/**
 * The numbers of a client's retry budget (see {@link RetryBudget}); every
 * cloud takes the same fields, under `retry.budget`.
 */
export interface RetryBudgetSettings {
  /** Tokens in the bucket when the client is created, and at most. */
  readonly capacity: number;
  /** Tokens one retry after a server's verdict (UNAVAILABLE, throttling, …) takes. */
  readonly retryCost: number;
  /** Tokens one retry after a timeout or a broken connection takes (they cost the service more to find out). */
  readonly timeoutRetryCost: number;
  /** Tokens a call that succeeded at its first attempt returns. A call that succeeded on a retry returns what that retry took. */
  readonly successIncrement: number;
}

/**
 * The AWS SDK's standard mode, on every cloud: 500 tokens, a retry takes 5
 * (10 after a timeout or a broken connection), a success returns 1 (or what
 * its last retry took). So a client retries at most 100 failures in a row
 * (50 timeouts) before its calls fail at their first error, and after an
 * outage each successful first attempt earns a little of it back.
 */
export const defaultRetryBudget: RetryBudgetSettings = { capacity: 500, retryCost: 5, timeoutRetryCost: 10, successIncrement: 1 };

/**
 * One client's retry budget: a token bucket shared by all its calls.
 *
 * Why: each call retries on its own, so during an outage N calls in flight
 * send N × maxAttempts requests to a service that is already struggling.
 * With a budget, retries spend tokens and successes return them; once the
 * bucket is empty a failure is not retried (the call fails with it at
 * once), so the load a client adds falls back to one attempt per call until
 * the service answers again.
 *
 * @example
 * ```ts
 * const budget = new RetryBudget({ ...defaultRetryBudget, capacity: 50 });
 * const cost = budget.take("connection"); // 10, or undefined: do not retry
 * budget.succeeded(cost);                 // returns the 10 (or 1 for a first-attempt success)
 * ```
 * @internal
 */
export class RetryBudget {
  readonly #settings: RetryBudgetSettings;
  #available: number;

  /** Throws a `RangeError` naming the field for a setting that is not a finite number ≥ 0. */
  constructor(settings: RetryBudgetSettings = defaultRetryBudget) {
    for (const field of ["capacity", "retryCost", "timeoutRetryCost", "successIncrement"] as const) {
      const value = settings[field];
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`retry.budget.${field} must be a finite number ≥ 0 (got ${String(value)})`);
      }
    }
    this.#settings = { ...settings };
    this.#available = settings.capacity;
  }

  /** Tokens left. */
  get available(): number {
    return this.#available;
  }

  /**
   * Takes the tokens for one retry after a failure of this kind (`"timeout"`:
   * a deadline or a broken connection) and returns how many it took, or
   * `undefined` when too few are left: then the failure is not retried.
   */
  take(kind: "timeout" | "other"): number | undefined {
    const cost = kind === "timeout" ? this.#settings.timeoutRetryCost : this.#settings.retryCost;
    if (cost > this.#available) return undefined;
    this.#available -= cost;
    return cost;
  }

  /** A call succeeded; `retryCost` is what its last retry took (none: a first-attempt success). */
  succeeded(retryCost?: number): void {
    if (this.#available >= this.#settings.capacity) return;
    this.#available = Math.min(this.#settings.capacity, this.#available + (retryCost ?? this.#settings.successIncrement));
  }
}

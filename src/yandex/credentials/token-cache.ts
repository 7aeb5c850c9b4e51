import { sharedRun } from "../../core/abortable.js";
import type { SharedRun } from "../../core/abortable.js";
import type { Clock, IssuedToken } from "./types.js";

/** When to refresh, relative to a token's lifetime. */
export interface RefreshPolicy {
  /**
   * Refresh once this much of the lifetime has passed, but at most `maxAgeMs`
   * after issue. Yandex Cloud advises renewing IAM tokens about hourly though
   * they live 12 h. Default 1 h.
   */
  readonly maxAgeMs: number;
  /** Never use a token closer than this to its expiry (skew, transit). Default 60 s. */
  readonly safetyMarginMs: number;
  /** After a failed background refresh, wait this long before trying again. Default 10 s. */
  readonly retryAfterFailureMs: number;
}

export const defaultRefreshPolicy: RefreshPolicy = {
  maxAgeMs: 60 * 60_000,
  safetyMarginMs: 60_000,
  retryAfterFailureMs: 10_000,
};

interface Cached extends IssuedToken {
  readonly issuedAt: number;
}

/**
 * Caches one token and refreshes it lazily with a single flight.
 *
 * - Fresh (younger than `min(maxAgeMs, lifetime / 2)`): returned as is.
 * - Stale but still usable: returned at once while one background refresh
 *   runs; if that refresh fails, the old token keeps being used.
 * - Unusable (within `safetyMarginMs` of expiry, invalidated, or none yet):
 *   every caller waits for the same refresh.
 *
 * A caller's `signal` ends only its wait: the refresh goes on and is cached.
 * `fetch` gets a signal that aborts once every client that asked for that
 * refresh (foreground or background) has closed (`closeSignal`), so a
 * refresh hung on a silent service does not outlive its clients.
 *
 * @example
 * ```ts
 * const cache = new TokenCache();
 * const token = await cache.get(systemClock, () => exchangeKeyForToken());
 * ```
 */
export class TokenCache {
  #current: Cached | undefined;
  #inflight: SharedRun<Cached> | undefined;
  #notBefore = 0;
  readonly #policy: RefreshPolicy;

  constructor(policy: Partial<RefreshPolicy> = {}) {
    this.#policy = { ...defaultRefreshPolicy, ...policy };
  }

  /**
   * A usable token; `fetch` is called only when a refresh is due and none is
   * in flight. `signal` ends this caller's wait; `closeSignal` (the client's)
   * holds the refresh this call starts or joins: once every client holding
   * it has closed, it is stopped. Without one, the refresh runs to its end.
   */
  async get(
    clock: Clock,
    fetch: (signal: AbortSignal) => Promise<IssuedToken>,
    signal?: AbortSignal,
    closeSignal?: AbortSignal,
  ): Promise<string> {
    const now = clock.now();
    const current = this.#current;
    if (current && now < current.expiresAt - this.#policy.safetyMarginMs) {
      if (now >= this.#refreshAt(current) && !this.#running() && now >= this.#notBefore) {
        // Background refresh: the caller does not wait, and a failure keeps
        // the old token (the promise is observed, so it is never unhandled).
        const run = this.#refresh(clock, fetch);
        run.promise.catch(() => {
          this.#notBefore = clock.now() + this.#policy.retryAfterFailureMs;
        });
        run.hold(closeSignal);
      }
      return current.token;
    }
    if (signal?.aborted) throw signal.reason; // a caller that gave up starts nothing
    if (closeSignal?.aborted) throw closeSignal.reason;
    const run = this.#running() ? this.#inflight! : this.#refresh(clock, fetch);
    run.hold(closeSignal);
    return (await run.wait(signal)).token;
  }

  /**
   * The cached token when it is fresh (no refresh due, far from expiry),
   * else undefined — then `get` decides. No promise: this is what every call
   * asks first.
   */
  fresh(clock: Clock): string | undefined {
    const current = this.#current;
    if (!current) return undefined;
    const now = clock.now();
    return now < this.#refreshAt(current) && now < current.expiresAt - this.#policy.safetyMarginMs ? current.token : undefined;
  }

  /** When `cached` is due for a refresh: `maxAgeMs` after issue, or half its lifetime if that is sooner. */
  #refreshAt(cached: Cached): number {
    return cached.issuedAt + Math.min(this.#policy.maxAgeMs, (cached.expiresAt - cached.issuedAt) / 2);
  }

  /** Drops `token` if it is the cached one, so the next `get` refreshes. */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  /** A refresh is in flight that callers may still join. */
  #running(): boolean {
    return this.#inflight !== undefined && !this.#inflight.abandoned;
  }

  #refresh(clock: Clock, fetch: (signal: AbortSignal) => Promise<IssuedToken>): SharedRun<Cached> {
    const issuedAt = clock.now();
    const run = sharedRun((signal) =>
      fetch(signal).then((issued) => {
        const cached = { token: issued.token, expiresAt: issued.expiresAt, issuedAt };
        this.#current = cached;
        this.#notBefore = 0;
        return cached;
      }),
    );
    this.#inflight = run;
    const clear = (): void => {
      if (this.#inflight === run) this.#inflight = undefined;
    };
    run.promise.then(clear, clear);
    return run;
  }
}

import { CredentialCache } from "../../core/credential-cache.js";
import type { CredentialCachePolicy } from "../../core/credential-cache.js";
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

/**
 * Yandex's refresh numbers as the shared cache's policy: due after
 * `maxAgeMs` or half the lifetime, whichever is sooner; used while a
 * background refresh runs until `safetyMarginMs` before expiry.
 */
export function yandexCachePolicy(policy: RefreshPolicy): CredentialCachePolicy {
  return {
    maxAgeMs: policy.maxAgeMs,
    maxLifetimeShare: 0.5,
    refreshBeforeExpiryMs: 0,
    minLifetimeShare: 0,
    background: { untilBeforeExpiryMs: policy.safetyMarginMs, retryAfterFailureMs: policy.retryAfterFailureMs },
  };
}

/**
 * Caches one IAM token and refreshes it lazily with a single flight: the
 * shared {@link CredentialCache} with Yandex's {@link RefreshPolicy}.
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
  readonly #cache: CredentialCache<IssuedToken>;

  constructor(policy: Partial<RefreshPolicy> = {}) {
    this.#cache = new CredentialCache(yandexCachePolicy({ ...defaultRefreshPolicy, ...policy }), (issued) => issued.expiresAt);
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
    // Only the token and its expiry are kept, whatever else `fetch` returned.
    const issued = await this.#cache.get(
      () => clock.now(),
      (s) => fetch(s).then((t) => ({ token: t.token, expiresAt: t.expiresAt })),
      signal,
      closeSignal,
    );
    return issued.token;
  }

  /**
   * The cached token when it is fresh (no refresh due, far from expiry),
   * else undefined — then `get` decides. No promise: this is what every call
   * asks first.
   */
  fresh(clock: Clock): string | undefined {
    return this.#cache.fresh(clock.now())?.token;
  }

  /** Drops `token` if it is the cached one, so the next `get` refreshes. */
  invalidate(token: string): void {
    this.#cache.invalidate((issued) => issued.token === token);
  }
}

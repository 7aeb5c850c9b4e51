import { sharedRun } from "./abortable.js";
import type { SharedRun } from "./abortable.js";

/**
 * When a cached credential is fresh, when it is renewed, and when it is no
 * longer used, as numbers each cloud passes (the clouds differ only here).
 * A credential's lifetime is from the moment the refresh that fetched it
 * started to its expiry; one without an expiry lives for ever.
 *
 * It is due for a refresh at the earliest of: `maxAgeMs` after issue,
 * `maxLifetimeShare` of its lifetime, `refreshBeforeExpiryMs` before expiry;
 * but never before `minLifetimeShare` of its lifetime. Once due, it is either
 * dropped (callers wait for the refresh) or, with `background`, still handed
 * out while one refresh runs behind it, until `background.untilBeforeExpiryMs`
 * before expiry.
 *
 * @example
 * ```ts
 * // AWS SDK: renew 5 minutes before expiry, and wait for it.
 * const aws: CredentialCachePolicy = { maxAgeMs: Infinity, maxLifetimeShare: 1, refreshBeforeExpiryMs: 5 * 60_000, minLifetimeShare: 0 };
 * ```
 */
export interface CredentialCachePolicy {
  /** Refresh once the credential is this old. `Infinity`: age alone never does. */
  readonly maxAgeMs: number;
  /** Refresh once this share of its lifetime has passed (0.5: half way). 1: only expiry does. */
  readonly maxLifetimeShare: number;
  /** Refresh once it is this close to its expiry. */
  readonly refreshBeforeExpiryMs: number;
  /**
   * Never refresh before this share of its lifetime has passed, however
   * close the expiry: a short-lived credential is then renewed half way, not
   * on every call. 0: no floor.
   */
  readonly minLifetimeShare: number;
  /** Keep using a due credential while one refresh runs behind it; absent: drop it and wait. */
  readonly background?: {
    /** Stop using it this close to its expiry (clock skew, time in transit). */
    readonly untilBeforeExpiryMs: number;
    /** After a failed background refresh, wait this long before starting another. */
    readonly retryAfterFailureMs: number;
  };
}

interface Entry<T> {
  readonly value: T;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** `share` of `lifetime`, with 0 and 1 exact even for an endless lifetime. */
function partOf(lifetime: number, share: number): number {
  if (share <= 0) return 0;
  return share >= 1 ? lifetime : lifetime * share;
}

/**
 * Holds one credential (an IAM token, AWS keys, Huawei AK/SK) and renews it
 * lazily, on a call and never from a timer, so an idle process can exit;
 * with one refresh in flight however many calls wait. Written once for every
 * cloud; each passes its {@link CredentialCachePolicy}.
 *
 * - Fresh: returned as is.
 * - Due, with `background` and still usable: returned at once while one
 *   refresh runs; if it fails, the old value keeps being used.
 * - Unusable (dropped, invalidated, or none yet): every caller waits for the
 *   same refresh. A failed refresh is not cached: the next call tries again.
 *
 * A caller's `signal` ends only its wait: the refresh goes on and is cached.
 * `load` gets a signal that aborts once every client that asked for that
 * refresh (`owner`, its close signal) has closed, so a refresh hung on a
 * silent metadata service does not outlive its clients.
 *
 * @example
 * ```ts
 * const cache = new CredentialCache(policy, (keys: Keys) => keys.expiresAt);
 * const keys = await cache.get(clock.now, (signal) => fetchKeys(signal), call.signal, cloud.closeSignal);
 * ```
 */
export class CredentialCache<T> {
  #current: Entry<T> | undefined;
  #inflight: SharedRun<Entry<T>> | undefined;
  #notBefore = 0;
  readonly #policy: CredentialCachePolicy;
  readonly #expiresAt: (value: T) => number | undefined;

  /** `expiresAt` reads a value's expiry (ms since the epoch; `undefined` or `Infinity`: never). */
  constructor(policy: CredentialCachePolicy, expiresAt: (value: T) => number | undefined) {
    this.#policy = policy;
    this.#expiresAt = expiresAt;
  }

  /**
   * The cached value when it is fresh (no refresh due), else undefined —
   * then `get` decides. No promise: this is what every call asks first.
   */
  fresh(now: number): T | undefined {
    const current = this.#current;
    return current && now < this.#refreshAt(current) && now < this.#dropAt(current) ? current.value : undefined;
  }

  /**
   * A usable value; `load` is called only when a refresh is due and none is
   * in flight. `signal` ends this caller's wait; `owner` (the client's close
   * signal) holds the refresh this call starts or joins: once every client
   * holding it has closed, it is stopped. Without one, it runs to its end.
   */
  async get(now: () => number, load: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, owner?: AbortSignal): Promise<T> {
    const at = now();
    const current = this.#current;
    if (current && at < this.#dropAt(current)) {
      const retryAfterFailureMs = this.#policy.background?.retryAfterFailureMs ?? 0;
      if (at >= this.#refreshAt(current) && !this.#running() && at >= this.#notBefore) {
        // Background refresh: the caller does not wait, and a failure keeps
        // the old value (the promise is observed, so it is never unhandled).
        const run = this.#refresh(now, load);
        run.promise.catch(() => {
          this.#notBefore = now() + retryAfterFailureMs;
        });
        run.hold(owner);
      }
      return current.value;
    }
    // A caller that has already given up, or whose client is closed, starts nothing.
    if (signal?.aborted) throw signal.reason;
    if (owner?.aborted) throw owner.reason;
    const run = this.#running() ? this.#inflight! : this.#refresh(now, load);
    run.hold(owner);
    return (await run.wait(signal)).value;
  }

  /**
   * Drops the cached value (when `which` is given, only if it says so, e.g.
   * "it is the token the service refused"), so the next `get` refreshes.
   */
  invalidate(which?: (value: T) => boolean): void {
    if (this.#current && (!which || which(this.#current.value))) this.#current = undefined;
  }

  /** When `entry` is due for a refresh, by the policy. */
  #refreshAt(entry: Entry<T>): number {
    const p = this.#policy;
    const lifetime = entry.expiresAt - entry.issuedAt;
    const due = Math.min(
      entry.issuedAt + p.maxAgeMs,
      entry.issuedAt + partOf(lifetime, p.maxLifetimeShare),
      entry.expiresAt - p.refreshBeforeExpiryMs,
    );
    return p.minLifetimeShare > 0 ? Math.max(entry.issuedAt + partOf(lifetime, p.minLifetimeShare), due) : due;
  }

  /** When `entry` stops being handed out at all. */
  #dropAt(entry: Entry<T>): number {
    const background = this.#policy.background;
    return background ? entry.expiresAt - background.untilBeforeExpiryMs : this.#refreshAt(entry);
  }

  /** A refresh is in flight that callers may still join. */
  #running(): boolean {
    return this.#inflight !== undefined && !this.#inflight.abandoned;
  }

  #refresh(now: () => number, load: (signal: AbortSignal) => Promise<T>): SharedRun<Entry<T>> {
    const issuedAt = now();
    const run = sharedRun((signal) =>
      load(signal).then((value) => {
        const entry = { value, issuedAt, expiresAt: this.#expiresAt(value) ?? Infinity };
        this.#current = entry;
        this.#notBefore = 0;
        return entry;
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

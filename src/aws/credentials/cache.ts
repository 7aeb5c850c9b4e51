import { CredentialCache } from "../../core/credential-cache.js";
import type { CredentialCachePolicy } from "../../core/credential-cache.js";
import type { AwsCredentialContext, AwsCredentialIdentity, AwsCredentialProvider } from "./types.js";

/** Refresh this long before `expiresAt`, as the AWS SDK does. */
export const refreshBeforeExpiryMs = 5 * 60_000;

/** The AWS SDK's rule as the shared cache's policy: renew 5 minutes before expiry, and wait for it. */
export const awsCachePolicy: CredentialCachePolicy = {
  maxAgeMs: Infinity,
  maxLifetimeShare: 1,
  refreshBeforeExpiryMs,
  minLifetimeShare: 0,
};

/**
 * Wraps a provider so it is asked once and then only when its credentials are
 * within 5 minutes of expiry, with one lookup in flight however many calls
 * wait (the shared {@link CredentialCache} with {@link awsCachePolicy}). A
 * failed lookup is not cached: the next call tries again. No timers:
 * refresh happens on a call, so an idle process can exit. A caller's
 * `signal` ends only its wait; the lookup's own `signal` aborts once every
 * client that asked (`closeSignal`) has closed, so a silent metadata
 * endpoint does not keep the process alive until its timeout.
 *
 * @example
 * ```ts
 * const provider = cachedProvider("instance metadata", (ctx) => fetchFromImds(ctx));
 * ```
 */
export function cachedProvider(
  kind: string,
  lookup: (context: AwsCredentialContext) => Promise<AwsCredentialIdentity>,
  now: () => number = Date.now,
): AwsCredentialProvider {
  const cache = new CredentialCache<AwsCredentialIdentity>(awsCachePolicy, (identity) => identity.expiresAt);
  // Not tied to the first caller's signal (another caller may be waiting on
  // it too), but to the clients that asked: it stops when they all closed.
  // The lookup owns what it asks in turn (a chain's providers).
  const load = (signal: AbortSignal): Promise<AwsCredentialIdentity> => lookup({ signal, closeSignal: signal });
  return {
    kind,
    invalidate(): void {
      cache.invalidate();
    },
    resolve(context: AwsCredentialContext = {}): Promise<AwsCredentialIdentity> {
      return cache.get(now, load, context.signal, context.closeSignal);
    },
  };
}

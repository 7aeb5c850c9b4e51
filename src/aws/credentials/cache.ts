import { singleFlight } from "../../core/abortable.js";
import type { AwsCredentialContext, AwsCredentialIdentity, AwsCredentialProvider } from "./types.js";

/** Refresh this long before `expiresAt`, as the AWS SDK does. */
export const refreshBeforeExpiryMs = 5 * 60_000;

/**
 * Wraps a provider so it is asked once and then only when its credentials are
 * within 5 minutes of expiry, with one lookup in flight however many calls
 * wait. A failed lookup is not cached: the next call tries again. No timers:
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
  let current: AwsCredentialIdentity | undefined;
  // Not tied to the first caller's signal (another caller may be waiting on
  // it too), but to the clients that asked: it stops when they all closed.
  // The lookup owns what it asks in turn (a chain's providers).
  const refresh = singleFlight((signal) =>
    lookup({ signal, closeSignal: signal }).then((identity) => {
      current = identity;
      return identity;
    }),
  );
  const fresh = (c: AwsCredentialIdentity): boolean =>
    c.expiresAt === undefined || now() < c.expiresAt - refreshBeforeExpiryMs;
  return {
    kind,
    invalidate(): void {
      current = undefined;
    },
    resolve(context: AwsCredentialContext = {}): Promise<AwsCredentialIdentity> {
      if (current && fresh(current)) return Promise.resolve(current);
      return refresh(context.signal, context.closeSignal);
    },
  };
}


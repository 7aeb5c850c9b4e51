import type { AwsCredentialContext, AwsCredentialIdentity, AwsCredentialProvider } from "./types.js";

/** Refresh this long before `expiresAt`, as the AWS SDK does. */
export const refreshBeforeExpiryMs = 5 * 60_000;

/**
 * Wraps a provider so it is asked once and then only when its credentials are
 * within 5 minutes of expiry, with one lookup in flight however many calls
 * wait. A failed lookup is not cached: the next call tries again. No timers:
 * refresh happens on a call, so an idle process can exit.
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
  let inflight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity): boolean =>
    c.expiresAt === undefined || now() < c.expiresAt - refreshBeforeExpiryMs;
  return {
    kind,
    invalidate(): void {
      current = undefined;
    },
    resolve(context: AwsCredentialContext = {}): Promise<AwsCredentialIdentity> {
      if (current && fresh(current)) return Promise.resolve(current);
      if (!inflight) {
        // The lookup is not tied to the first caller's signal: another caller
        // may be waiting on it too.
        const flight = lookup({}).then((identity) => {
          current = identity;
          return identity;
        });
        inflight = flight;
        const clear = (): void => {
          if (inflight === flight) inflight = undefined;
        };
        flight.then(clear, clear);
      }
      return abortable(inflight, context.signal);
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

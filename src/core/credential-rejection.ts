import type { Interceptor } from "@connectrpc/connect";

/**
 * How one cloud tells that the service refused the credentials a call was
 * sent with (an IAM token revoked early, AWS `ExpiredTokenException`, a
 * Huawei `APIGW.0303`), and how to forget them. `K` is what an attempt used:
 * a token, a key pair, or nothing when the source forgets all it holds.
 */
export interface RejectionRule<K> {
  /** The service refused the credentials (not: the caller gave up, the server is down). */
  rejected(error: unknown): boolean;
  /** Forget `used`, so the next attempt gets fresh credentials; ones already replaced are kept. */
  forget(used: K): void;
}

/**
 * The one reaction to an authentication failure, on every cloud: when the
 * service refused the credentials `used`, they are forgotten, so the next
 * attempt (the retry layer's, or the next call's) fetches fresh ones rather
 * than repeating a refused token until its cache time runs out. With
 * `again` (a cloud whose tokens can be renewed at once), the
 * call is then sent once more; without it, or when the error was something
 * else, the error goes on to the caller.
 *
 * @example
 * ```ts
 * send(req).catch((error) => reactToRejection(rule, token, error, () => sendWithFreshToken(req)));
 * ```
 */
export function reactToRejection<K, R>(rule: RejectionRule<K>, used: K, error: unknown, again?: () => Promise<R>): Promise<R> {
  if (!rule.rejected(error)) return Promise.reject(error);
  rule.forget(used);
  return again ? again() : Promise.reject(error);
}

/**
 * {@link reactToRejection} as an interceptor for clouds whose signer reads
 * the credentials itself: `used` finds what this attempt is signed with
 * (the source's cached value, so the same the signer gets); without it the
 * rule forgets whatever is cached.
 *
 * @example
 * ```ts
 * interceptors.push(forgetRejectedCredentials(awsRejectionRule(credentials)));
 * ```
 */
export function forgetRejectedCredentials<K>(rule: RejectionRule<K | undefined>): Interceptor;
export function forgetRejectedCredentials<K>(rule: RejectionRule<K>, used: (req: { readonly signal: AbortSignal }) => Promise<K>): Interceptor;
export function forgetRejectedCredentials<K>(rule: RejectionRule<K | undefined>, used?: (req: { readonly signal: AbortSignal }) => Promise<K>): Interceptor {
  return (next) => async (req) => {
    const key = used ? await used(req) : undefined;
    try {
      return await next(req);
    } catch (error) {
      return await reactToRejection(rule, key, error);
    }
  };
}

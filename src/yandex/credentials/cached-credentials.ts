import { redacted } from "../../core/redact.js";
import { TokenCache } from "./token-cache.js";
import type { RefreshPolicy } from "./token-cache.js";
import type { Clock, CredentialContext, Credentials, IssuedToken } from "./types.js";

/**
 * A {@link Credentials} whose tokens come from `issue` and are kept in a
 * {@link TokenCache}: what the OAuth token, the service account key and the
 * metadata service share (they differ only in how one token is issued).
 * Inspect and JSON show `summary` only.
 *
 * @example
 * ```ts
 * return cachedCredentials("OAuth token", { kind: "OAuth token" }, policy, (context, signal) =>
 *   context.exchange({ case: "yandexPassportOauthToken", value: secret }, signal));
 * ```
 */
export function cachedCredentials(
  kind: string,
  summary: Readonly<Record<string, string>>,
  policy: Partial<RefreshPolicy> | undefined,
  issue: (context: CredentialContext, signal: AbortSignal) => Promise<IssuedToken>,
): Credentials {
  const cache = new TokenCache(policy);
  return redacted(
    {
      kind,
      token: (context: CredentialContext) => cache.get(context.clock, (signal) => issue(context, signal), context.signal, context.closeSignal),
      cachedToken: (clock: Clock) => cache.fresh(clock),
      invalidate: (issued: string) => cache.invalidate(issued),
    },
    summary,
  );
}

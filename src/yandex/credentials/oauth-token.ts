import { CredentialsError } from "./errors.js";
import { redacted } from "../../core/redact.js";
import { TokenCache } from "./token-cache.js";
import type { RefreshPolicy } from "./token-cache.js";
import type { Clock, CredentialContext, Credentials } from "./types.js";

/**
 * A Yandex account OAuth token, exchanged for IAM tokens through
 * `IamTokenService.Create{yandex_passport_oauth_token}` and renewed before they
 * expire.
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: oauthToken(process.env.YC_TOKEN!) });
 * ```
 */
export function oauthToken(token: string, policy?: Partial<RefreshPolicy>): Credentials {
  if (typeof token !== "string" || token.trim() === "") {
    throw new CredentialsError("oauthToken: the token is empty");
  }
  const secret = token.trim();
  const cache = new TokenCache(policy);
  return redacted(
    {
      kind: "OAuth token",
      token: (context: CredentialContext) =>
        cache.get(
          context.clock,
          (signal) => context.exchange({ case: "yandexPassportOauthToken", value: secret }, signal),
          context.signal,
          context.closeSignal,
        ),
      cachedToken: (clock: Clock) => cache.fresh(clock),
      invalidate: (issued: string) => cache.invalidate(issued),
    },
    { kind: "OAuth token" },
  );
}

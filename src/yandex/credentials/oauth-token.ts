import { CredentialsError } from "./errors.js";
import { cachedCredentials } from "./cached-credentials.js";
import type { RefreshPolicy } from "./token-cache.js";
import type { Credentials } from "./types.js";

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
  return cachedCredentials("OAuth token", { kind: "OAuth token" }, policy, (context, signal) =>
    context.exchange({ case: "yandexPassportOauthToken", value: secret }, signal),
  );
}

import { CredentialsError } from "./errors.js";
import { iamToken } from "./iam-token.js";
import { metadataService } from "./metadata-service.js";
import { oauthToken } from "./oauth-token.js";
import { redacted } from "../../core/redact.js";
import { serviceAccountKey } from "./service-account-key.js";
import type { Clock, CredentialContext, Credentials } from "./types.js";

/**
 * The default credentials, from the environment variables people already use
 * with the `yc` CLI and other SDKs, in this order:
 *
 * 1. `YC_IAM_TOKEN` — a ready IAM token;
 * 2. `YC_SERVICE_ACCOUNT_KEY_FILE` — path of an authorized key file;
 * 3. `YC_TOKEN` — an OAuth token;
 * 4. the VM metadata service (`YC_METADATA_ADDR` to override its address).
 *
 * When none works, the error lists what was tried.
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: fromEnvironment() });
 * ```
 */
export function fromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Credentials {
  const set = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const iam = set("YC_IAM_TOKEN");
  if (iam) return iamToken(iam);
  const keyFile = set("YC_SERVICE_ACCOUNT_KEY_FILE");
  if (keyFile) return serviceAccountKey(keyFile);
  const oauth = set("YC_TOKEN");
  if (oauth) return oauthToken(oauth);

  const address = set("YC_METADATA_ADDR");
  const metadata = metadataService(address ? { address, timeoutMs: 2_000 } : { timeoutMs: 2_000 });
  const explain = (error: unknown): CredentialsError =>
    new CredentialsError(
      "no Yandex Cloud credentials found: YC_IAM_TOKEN, YC_SERVICE_ACCOUNT_KEY_FILE and YC_TOKEN are not set, " +
        `and ${error instanceof Error ? error.message : "the metadata service failed"}`,
    );
  return redacted(
    {
      kind: "metadata service (from environment)",
      token: (context: CredentialContext) =>
        metadata.token(context).catch((error: unknown) => {
          throw error instanceof CredentialsError ? explain(error) : error;
        }),
      cachedToken: (clock: Clock) => metadata.cachedToken?.(clock),
      invalidate: (issued: string) => metadata.invalidate(issued),
    },
    { kind: "metadata service (from environment)" },
  );
}

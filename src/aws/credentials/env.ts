import { cachedProvider } from "./cache.js";
import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";
import { redactedIdentity } from "./types.js";

/**
 * Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, and for
 * temporary keys `AWS_SESSION_TOKEN` and `AWS_CREDENTIAL_EXPIRATION`
 * (RFC 3339). Read when first needed, not at construction.
 *
 * @example
 * ```ts
 * createAwsCloud({ region: "us-east-1", credentials: fromAwsEnvironment() });
 * ```
 */
export function fromAwsEnvironment(options: { env?: Environment; now?: () => number } = {}): AwsCredentialProvider {
  const provider = cachedProvider(
    "environment",
    async () => {
      const env = options.env ?? runtimeEnv();
      const accessKeyId = envValue(env, "AWS_ACCESS_KEY_ID");
      const secretAccessKey = envValue(env, "AWS_SECRET_ACCESS_KEY");
      if (!accessKeyId || !secretAccessKey) {
        throw new AwsCredentialsError(
          "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set",
          { tryNext: true },
        );
      }
      const expiration = envValue(env, "AWS_CREDENTIAL_EXPIRATION");
      let expiresAt: number | undefined;
      if (expiration !== undefined) {
        expiresAt = Date.parse(expiration);
        if (Number.isNaN(expiresAt)) {
          throw new AwsCredentialsError(
            `environment: AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 date-time: ${JSON.stringify(expiration)}`,
            { tryNext: false },
          );
        }
      }
      return redactedIdentity({
        accessKeyId,
        secretAccessKey,
        sessionToken: envValue(env, "AWS_SESSION_TOKEN"),
        expiresAt,
      });
    },
    options.now,
  );
  return summarised(provider, { kind: "environment" });
}

import { redacted } from "../../core/redact.js";
import { AwsCredentialsError } from "./errors.js";
import type { AwsCredentialProvider } from "./types.js";
import { redactedIdentity } from "./types.js";

/** Keys given in code (or read by the caller from a secret store). */
export interface StaticAwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary keys stop working (ms since the epoch, or a Date). */
  readonly expiration?: number | Date;
}

/**
 * Static AWS credentials. The secret is kept in a closure: inspecting or
 * serialising the provider (or the cloud that holds it) never shows it.
 *
 * @example
 * ```ts
 * import { createAwsCloud, awsCredentials } from "dataproc-connect/aws";
 * const cloud = createAwsCloud({
 *   region: "us-east-1",
 *   credentials: awsCredentials({ accessKeyId: "AKIA…", secretAccessKey: "…" }),
 * });
 * ```
 */
export function awsCredentials(keys: StaticAwsCredentials): AwsCredentialProvider {
  if (typeof keys?.accessKeyId !== "string" || keys.accessKeyId === "") {
    throw new TypeError("awsCredentials: accessKeyId must be a non-empty string");
  }
  if (typeof keys.secretAccessKey !== "string" || keys.secretAccessKey === "") {
    throw new TypeError("awsCredentials: secretAccessKey must be a non-empty string");
  }
  if (keys.sessionToken !== undefined && typeof keys.sessionToken !== "string") {
    throw new TypeError("awsCredentials: sessionToken must be a string when given");
  }
  const expiresAt = keys.expiration instanceof Date ? keys.expiration.getTime() : keys.expiration;
  const identity = redactedIdentity({
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    sessionToken: keys.sessionToken,
    expiresAt,
  });
  return summarised({
    kind: "static",
    resolve: async () => {
      if (expiresAt !== undefined && Date.now() >= expiresAt) {
        throw new AwsCredentialsError("awsCredentials: the static credentials have expired", { tryNext: false });
      }
      return identity;
    },
  }, { kind: "static", accessKeyId: keys.accessKeyId });
}

/**
 * Adds a non-secret `toJSON` / inspect view to a provider (or the cloud that
 * holds one): the shared {@link redacted}, labelled `AwsCredentialProvider`.
 */
export function summarised<T extends object>(target: T, summary: Record<string, string>): T {
  return redacted(target, summary, { label: "AwsCredentialProvider" });
}

import { cachedProvider } from "./cache.js";
import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { defaultMetadataTimeoutMs, metadataRequest, parseRemoteCredentials } from "./remote.js";
import type { FetchLike } from "./remote.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";

/** The EC2 instance metadata address. */
export const defaultImdsEndpoint = "http://169.254.169.254";

export interface InstanceMetadataOptions {
  /** Base URL; default `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else 169.254.169.254. Tests point it at 127.0.0.1. */
  readonly endpoint?: string;
  readonly env?: Environment;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/**
 * The instance role's credentials from EC2 instance metadata, IMDSv2 only:
 * `PUT /latest/api/token` (6 h session token), then
 * `GET /latest/meta-data/iam/security-credentials/` for the role name, then
 * the role's credentials, each with `x-aws-ec2-metadata-token`. Off when
 * `AWS_EC2_METADATA_DISABLED=true`. Redirects are never followed (they
 * would resend the session token elsewhere).
 */
export function fromAwsInstanceMetadata(options: InstanceMetadataOptions = {}): AwsCredentialProvider {
  const source = "instance metadata";
  const provider = cachedProvider(
    source,
    async (context) => {
      const env = options.env ?? runtimeEnv();
      if (envValue(env, "AWS_EC2_METADATA_DISABLED")?.toLowerCase() === "true") {
        throw new AwsCredentialsError(`${source}: disabled by AWS_EC2_METADATA_DISABLED`, { tryNext: true });
      }
      const base = (options.endpoint ?? envValue(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? defaultImdsEndpoint).replace(/\/+$/, "");
      const timeout = options.timeoutMs ?? defaultMetadataTimeoutMs;
      const request = { fetch: options.fetch, timeoutMs: options.timeoutMs ?? defaultMetadataTimeoutMs, signal: context.signal };
      const token = await metadataRequest(source, `${base}/latest/api/token`, {
        ...request,
        method: "PUT",
        headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" },
      });
      // fetchCredentialEndpoint refuses a session token that is not header-safe, before sending it.
      const headers = { "x-aws-ec2-metadata-token": token };
      const roles = await metadataRequest(source, `${base}/latest/meta-data/iam/security-credentials/`, { ...request, headers });
      const role = roles.split("\n").map((line) => line.trim()).find(Boolean);
      if (!role) throw new AwsCredentialsError(`${source}: the instance has no IAM role`, { tryNext: true });
      const text = await metadataRequest(source, `${base}/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`, {
        ...request,
        headers,
      });
      return parseRemoteCredentials(source, text);
    },
    options.now,
  );
  return summarised(provider, { kind: source });
}

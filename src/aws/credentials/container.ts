import { nodeBuiltin } from "../../util/node-builtin.js";
import { headerValueProblem } from "../../core/header-value.js";
import { isLoopback } from "../../core/plaintext.js";
import { cachedProvider } from "./cache.js";
import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { defaultMetadataTimeoutMs, metadataRequest, parseRemoteCredentials } from "./remote.js";
import type { FetchLike } from "./remote.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";

/** The ECS task metadata address `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to. */
export const ecsCredentialsHost = "http://169.254.170.2";

/**
 * Besides loopback, the hosts a plaintext `AWS_CONTAINER_CREDENTIALS_FULL_URI`
 * may name: the ECS task metadata address and EKS Pod Identity's IPv4 and
 * IPv6 addresses, as the parsed URL spells them (the AWS SDK's `checkUrl`).
 */
const containerHosts = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"]);

export interface ContainerOptions {
  readonly env?: Environment;
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  /** Reads `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`; default: `node:fs`, imported when needed. */
  readonly readFile?: (path: string) => Promise<string>;
}

/**
 * Credentials of an ECS task or EKS pod (Pod Identity) from the container
 * credentials endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on
 * 169.254.170.2), or `AWS_CONTAINER_CREDENTIALS_FULL_URI` with the
 * `Authorization` value from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on
 * every refresh: EKS rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
 * A plaintext full URI must point at loopback (127.0.0.0/8, ::1,
 * `localhost`) or the ECS/EKS link-local addresses, judged on the parsed
 * host (so `http://127.0.0.1.evil.example/` is refused), and the endpoint
 * is never followed through a redirect, so the token never travels in the
 * clear elsewhere. A token that cannot be sent as a header is refused
 * before anything is sent.
 */
export function fromAwsContainer(options: ContainerOptions = {}): AwsCredentialProvider {
  const source = "container credentials";
  const provider = cachedProvider(
    source,
    async (context) => {
      const env = options.env ?? runtimeEnv();
      const relative = envValue(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
      const full = envValue(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
      let url: string;
      if (relative) url = ecsCredentialsHost + (relative.startsWith("/") ? relative : `/${relative}`);
      else if (full) url = checkedFullUri(full);
      else {
        throw new AwsCredentialsError(
          `${source}: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set`,
          { tryNext: true },
        );
      }
      const headers: Record<string, string> = {};
      const tokenFile = envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      const token = tokenFile
        ? (await (options.readFile ?? readText)(tokenFile)).trim()
        : envValue(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
      if (token && !relative) {
        const from = tokenFile ? `the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile}` : "AWS_CONTAINER_AUTHORIZATION_TOKEN";
        const problem = headerValueProblem(token, from);
        if (problem) throw new AwsCredentialsError(`${source}: ${problem}`, { tryNext: false });
        headers.authorization = token;
      }
      const text = await metadataRequest(source, url, {
        headers,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs ?? defaultMetadataTimeoutMs,
        signal: context.signal,
      });
      return parseRemoteCredentials(source, text);
    },
    options.now,
  );
  return summarised(provider, { kind: source });
}

function checkedFullUri(full: string): string {
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    throw new AwsCredentialsError("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL", {
      tryNext: false,
    });
  }
  const plaintextAllowed = parsed.protocol === "http:" && (isLoopback(parsed.href) || containerHosts.has(parsed.hostname));
  if (parsed.protocol !== "https:" && !plaintextAllowed) {
    throw new AwsCredentialsError(
      "container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address (127.0.0.0/8, ::1, localhost) " +
        `or the ECS/EKS address (169.254.170.2, 169.254.170.23, fd00:ec2::23); got ${parsed.protocol}//${parsed.host}`,
      { tryNext: false },
    );
  }
  return parsed.href;
}

async function readText(path: string): Promise<string> {
  const fs = nodeBuiltin<typeof import("node:fs/promises")>("node:fs/promises", "container credentials: reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  try {
    return await fs.readFile(path, "utf8");
  } catch (error) {
    throw new AwsCredentialsError(`container credentials: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${path}`, {
      tryNext: false,
      cause: error,
    });
  }
}

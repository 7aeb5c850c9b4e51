import { nodeBuiltin } from "../../util/node-builtin.js";
import { cachedProvider } from "./cache.js";
import { envValue, processEnv } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { defaultMetadataTimeoutMs, metadataRequest, parseRemoteCredentials } from "./remote.js";
import type { FetchLike } from "./remote.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";

/** The ECS task metadata address `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to. */
export const ecsCredentialsHost = "http://169.254.170.2";

/** Hosts a plaintext `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name (ECS, EKS Pod Identity, loopback). */
const allowedPlaintextHosts = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]", "localhost", "[::1]"]);

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
 * A plaintext full URI must point at loopback or the ECS/EKS link-local
 * addresses, so the token never travels in the clear elsewhere.
 */
export function fromAwsContainer(options: ContainerOptions = {}): AwsCredentialProvider {
  const source = "container credentials";
  const provider = cachedProvider(
    source,
    async () => {
      const env = options.env ?? processEnv();
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
      if (token && !relative) headers.authorization = token;
      const text = await metadataRequest(
        source,
        options.fetch ?? fetch,
        url,
        { headers },
        options.timeoutMs ?? defaultMetadataTimeoutMs,
      );
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
  const loopback = /^127\./.test(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && (loopback || allowedPlaintextHosts.has(parsed.hostname)))) {
    throw new AwsCredentialsError(
      `container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to loopback or the ECS/EKS address (got host ${parsed.hostname})`,
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

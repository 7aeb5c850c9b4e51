import { nodeBuiltin } from "../../util/node-builtin.js";
import { cachedProvider } from "./cache.js";
import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { configProfiles, parseIni } from "./ini.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";
import { redactedIdentity } from "./types.js";

/** Where the shared files are and which profile to read. */
export interface SharedFilesOptions {
  /** Default: `AWS_PROFILE`, else `default`. */
  readonly profile?: string;
  /** Default: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. */
  readonly credentialsFile?: string;
  /** Default: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
  readonly configFile?: string;
  readonly env?: Environment;
}

/** One profile, merged from both files (the credentials file wins). */
export interface SharedProfile {
  readonly name: string;
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Reads a file, or `undefined` when it does not exist. `node:fs` is looked
 * up (`process.getBuiltinModule`, not an import a bundler would follow) only
 * here and only when a shared file is actually read, so the REST path loads
 * and bundles on runtimes without it (there this source just finds no files).
 */
async function readOptional(path: string): Promise<string | undefined> {
  let fs: typeof import("node:fs/promises");
  try {
    fs = nodeBuiltin<typeof fs>("node:fs/promises", "shared files");
  } catch {
    return undefined;
  }
  try {
    return await fs.readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw new AwsCredentialsError(`shared files: cannot read ${path}`, { tryNext: false, cause: error });
  }
}

function home(env: Environment): string | undefined {
  return envValue(env, "HOME") ?? envValue(env, "USERPROFILE");
}

function expand(path: string, env: Environment): string {
  const h = home(env);
  return h && (path === "~" || path.startsWith("~/")) ? h + path.slice(1) : path;
}

/** Loads the chosen profile from `~/.aws/credentials` and `~/.aws/config`. */
export async function loadSharedProfile(options: SharedFilesOptions = {}): Promise<SharedProfile | undefined> {
  const env = options.env ?? runtimeEnv();
  const name = options.profile ?? envValue(env, "AWS_PROFILE") ?? "default";
  const h = home(env);
  const credentialsPath = options.credentialsFile ?? envValue(env, "AWS_SHARED_CREDENTIALS_FILE") ?? (h && `${h}/.aws/credentials`);
  const configPath = options.configFile ?? envValue(env, "AWS_CONFIG_FILE") ?? (h && `${h}/.aws/config`);
  const credentialsText = credentialsPath ? await readOptional(expand(credentialsPath, env)) : undefined;
  const configText = configPath ? await readOptional(expand(configPath, env)) : undefined;
  const fromConfig = configText === undefined ? undefined : configProfiles(parseIni(configText)).get(name);
  const fromCredentials = credentialsText === undefined ? undefined : parseIni(credentialsText).get(name);
  if (!fromConfig && !fromCredentials) return undefined;
  return { name, values: new Map([...(fromConfig ?? []), ...(fromCredentials ?? [])]) };
}

/**
 * Static keys of a profile in the shared files (`aws_access_key_id`,
 * `aws_secret_access_key`, `aws_session_token`). Profiles that assume a
 * role, use SSO or a `credential_process` are not supported yet: they are
 * reported, not silently skipped.
 *
 * @example
 * ```ts
 * createAwsCloud({ region: "eu-west-1", credentials: fromAwsSharedFiles({ profile: "dev" }) });
 * ```
 */
export function fromAwsSharedFiles(options: SharedFilesOptions = {}): AwsCredentialProvider {
  const provider = cachedProvider("shared files", async () => {
    const profile = await loadSharedProfile(options);
    if (!profile) {
      throw new AwsCredentialsError("shared files: no such profile in ~/.aws/credentials or ~/.aws/config", {
        tryNext: true,
      });
    }
    const accessKeyId = profile.values.get("aws_access_key_id");
    const secretAccessKey = profile.values.get("aws_secret_access_key");
    if (accessKeyId && secretAccessKey) {
      return redactedIdentity({ accessKeyId, secretAccessKey, sessionToken: profile.values.get("aws_session_token") || undefined });
    }
    const unsupported = ["role_arn", "sso_session", "sso_start_url", "credential_process", "web_identity_token_file"].find(
      (key) => profile.values.has(key),
    );
    throw new AwsCredentialsError(
      unsupported
        ? `shared files: profile "${profile.name}" uses ${unsupported}, which this package does not support yet`
        : `shared files: profile "${profile.name}" has no aws_access_key_id and aws_secret_access_key`,
      { tryNext: unsupported === undefined },
    );
  });
  return summarised(provider, { kind: "shared files" });
}

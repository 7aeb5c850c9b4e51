import { runtimeEnv } from "../../core/env.js";
import { HuaweiCredentialsError } from "./errors.js";
import { redacted } from "../../core/redact.js";
import { maskAccessKey } from "./redact.js";
import { HuaweiAccessKey } from "./types.js";
import type { HuaweiCredentials } from "./types.js";

/**
 * The variable names the official Huawei Cloud SDKs read (Go
 * `core/auth/provider/env_provider.go`, Node core `utils/constant`).
 */
export const huaweiEnv = {
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  projectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
} as const;


/**
 * AK/SK from `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK` (+
 * `HUAWEICLOUD_SDK_SECURITY_TOKEN`), and the project id from
 * `HUAWEICLOUD_SDK_PROJECT_ID`, read once, now. Pass `env` to read another
 * map (tests, Deno's `Deno.env.toObject()`).
 *
 * @example
 * ```ts
 * const cloud = createHuaweiCloud({ region: "cn-north-4", credentials: huaweiEnvironmentCredentials() });
 * ```
 */
export function huaweiEnvironmentCredentials(env: Readonly<Record<string, string | undefined>> = runtimeEnv()): HuaweiCredentials {
  const ak = env[huaweiEnv.accessKey];
  const sk = env[huaweiEnv.secretKey];
  if (!ak || !sk) {
    const missing = [!ak && huaweiEnv.accessKey, !sk && huaweiEnv.secretKey].filter(Boolean).join(" and ");
    throw new HuaweiCredentialsError(`huaweiEnvironmentCredentials: ${missing} not set`);
  }
  const key = new HuaweiAccessKey(ak, sk, env[huaweiEnv.securityToken]);
  const projectId = env[huaweiEnv.projectId] || undefined;
  return redacted(
    { kind: "environment", ...(projectId ? { projectId } : {}), accessKey: () => Promise.resolve(key) },
    { kind: "environment", accessKey: maskAccessKey(ak) },
  );
}


/**
 * The default source of `createHuaweiCloud`: {@link huaweiEnvironmentCredentials},
 * except that missing variables do not throw at construction. The cloud is
 * built and its first call rejects, UNAUTHENTICATED and before sending,
 * naming the variables that were tried — as the other clouds do without
 * credentials. (Called explicitly, `huaweiEnvironmentCredentials()` still
 * throws at once.)
 *
 * @internal
 */
export function defaultHuaweiCredentials(env: Readonly<Record<string, string | undefined>>): HuaweiCredentials {
  try {
    return huaweiEnvironmentCredentials(env);
  } catch (error) {
    if (!(error instanceof HuaweiCredentialsError)) throw error;
    const missing = new HuaweiCredentialsError(`${error.message} (tried the environment; pass credentials: huaweiCredentials({ accessKey, secretKey }) or set them)`);
    return redacted({ kind: "environment", accessKey: () => Promise.reject(missing) }, { kind: "environment", accessKey: "(none)" });
  }
}

import { HuaweiCredentialsError } from "./errors.js";
import { redacted } from "../../core/redact.js";
import { maskAccessKey } from "./redact.js";
import { HuaweiAccessKey } from "./types.js";
import type { HuaweiCredentials } from "./types.js";

export interface StaticHuaweiCredentialsInit {
  /** Access key id (AK). */
  readonly accessKey: string;
  /** Secret access key (SK). */
  readonly secretKey: string;
  /** Security token of temporary AK/SK, sent (and signed) as `X-Security-Token`. */
  readonly securityToken?: string;
}

/**
 * Fixed AK/SK credentials (permanent keys, or temporary keys with their
 * security token that you renew yourself).
 *
 * @example
 * ```ts
 * const credentials = huaweiCredentials({ accessKey: "QTWA…", secretKey: process.env.SK! });
 * ```
 */
export function huaweiCredentials(init: StaticHuaweiCredentialsInit): HuaweiCredentials {
  for (const field of ["accessKey", "secretKey"] as const) {
    const value: unknown = init?.[field];
    if (typeof value !== "string" || value === "") {
      throw new HuaweiCredentialsError(`huaweiCredentials: ${field} must be a non-empty string`);
    }
  }
  if (init.securityToken !== undefined && typeof init.securityToken !== "string") {
    throw new HuaweiCredentialsError("huaweiCredentials: securityToken must be a string when given");
  }
  const key = new HuaweiAccessKey(init.accessKey, init.secretKey, init.securityToken);
  return redacted(
    { kind: "static", accessKey: () => Promise.resolve(key) },
    { kind: "static", accessKey: maskAccessKey(init.accessKey) },
  );
}

import { redacted } from "../../core/redact.js";
import { maskAccessKey } from "./redact.js";

/**
 * One AK/SK pair (plus the security token of temporary keys). The secret key
 * and token are private fields behind getters: `JSON.stringify`,
 * `util.inspect` and `console.log` show only the masked access key.
 */
export class HuaweiAccessKey {
  readonly accessKey: string;
  readonly #secretKey: string;
  readonly #securityToken: string | undefined;
  /** Milliseconds since the epoch when temporary keys stop working; `Infinity` for permanent ones. */
  readonly expiresAt: number;

  constructor(accessKey: string, secretKey: string, securityToken?: string, expiresAt = Infinity) {
    this.accessKey = accessKey;
    this.#secretKey = secretKey;
    this.#securityToken = securityToken === "" ? undefined : securityToken;
    this.expiresAt = expiresAt;
    redacted(this, {
      accessKey: maskAccessKey(accessKey),
      ...(this.#securityToken ? { securityToken: "<redacted>" } : {}),
      secretKey: "<redacted>",
    });
  }

  /** The secret key (SK); only the signer reads it. */
  get secretKey(): string {
    return this.#secretKey;
  }

  /** `X-Security-Token` of temporary keys, else `undefined`. */
  get securityToken(): string | undefined {
    return this.#securityToken;
  }
}

/**
 * A source of Huawei Cloud access keys for SDK-HMAC-SHA256 signing. Sources
 * of temporary keys cache them and renew them lazily (on a call, never from a
 * timer) with one fetch in flight.
 *
 * @example
 * ```ts
 * const cloud = createHuaweiCloud({ region: "cn-north-4", projectId, credentials: huaweiCredentials({ accessKey, secretKey }) });
 * ```
 */
export interface HuaweiCredentials {
  /** Short name for messages, e.g. `"static"`, `"environment"`. Never secret. */
  readonly kind: string;
  /** The project id this source knows (`HUAWEICLOUD_SDK_PROJECT_ID`), if any. */
  readonly projectId?: string;
  /**
   * Keys that are valid now, fetching or renewing first when needed.
   * `signal` ends this caller's wait; `closeSignal` (the asking client's)
   * stops a fetch once every client that asked for it has closed.
   */
  accessKey(signal?: AbortSignal, closeSignal?: AbortSignal): Promise<HuaweiAccessKey>;
  /** The gateway rejected `key`: forget it so that the next call fetches new keys. */
  invalidate?(key: HuaweiAccessKey): void;
}

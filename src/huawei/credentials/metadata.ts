import { singleFlight } from "../../core/abortable.js";
import { HuaweiCredentialsError } from "./errors.js";
import { redacted } from "./redact.js";
import { HuaweiAccessKey } from "./types.js";
import type { HuaweiCredentials } from "./types.js";

export interface HuaweiMetadataOptions {
  /** Base URL of the ECS metadata service. Default `http://169.254.169.254` (as the Go SDK). */
  readonly endpoint?: string;
  /** How long each metadata request may take. Default 3 s (the Go SDK's client timeout). */
  readonly timeoutMs?: number;
  /** Renew keys this long before they expire. Default 40 min (Go `defaultExpirationThresholdSeconds`). */
  readonly refreshBeforeMs?: number;
  /** Time source for expiry; tests pass the emulator's clock. */
  readonly clock?: { now(): number };
  /** `fetch` to use; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

const tokenPath = "/meta-data/latest/api/token";
const securityKeyPath = "/openstack/latest/securitykey";
const tokenTtlSeconds = 6 * 60 * 60;
const noAgencyMessage = "Please configure Cloud Service Agency first";

/**
 * Temporary AK/SK + security token of the agency bound to this ECS instance,
 * from the metadata service, as the Go SDK's `MetadataCredentialProvider` does:
 *
 * 1. `PUT /meta-data/latest/api/token` (`X-Metadata-Token-Ttl-Seconds: 21600`)
 *    for a session token; 404/405/503 mean the service has none (then go on
 *    without it);
 * 2. `GET /openstack/latest/securitykey` (with `X-Metadata-Token`) →
 *    `{"credential": {access, secret, securitytoken, expires_at}}`; a 401
 *    renews the session token once.
 *
 * Keys are cached until `refreshBeforeMs` before `expires_at` and renewed
 * lazily on a call, never from a timer; concurrent callers share one fetch.
 * The plaintext `http://` is the metadata service's own link-local address.
 *
 * @example
 * ```ts
 * const cloud = createHuaweiCloud({ region: "cn-north-4", projectId, credentials: huaweiMetadataCredentials() });
 * ```
 */
export function huaweiMetadataCredentials(options: HuaweiMetadataOptions = {}): HuaweiCredentials {
  const base = (options.endpoint ?? "http://169.254.169.254").replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 3_000;
  const refreshBeforeMs = options.refreshBeforeMs ?? 40 * 60_000;
  const clock = options.clock ?? { now: () => Date.now() };
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let session: string | undefined;
  let current: HuaweiAccessKey | undefined;
  let issuedAt = 0;

  const request = async (path: string, init: RequestInit): Promise<{ status: number; body: string }> => {
    try {
      const response = await doFetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : error instanceof Error ? error.message : "request failed";
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: ${base}${path} failed (${reason})`);
    }
  };

  const renewSession = async (required: boolean): Promise<void> => {
    const answer = await request(tokenPath, { method: "PUT", headers: { "X-Metadata-Token-Ttl-Seconds": String(tokenTtlSeconds) } });
    if (answer.status === 200) {
      session = answer.body;
    } else if (!required && (answer.status === 404 || answer.status === 405 || answer.status === 503)) {
      session = undefined;
    } else {
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: session token request answered HTTP ${answer.status}`);
    }
  };

  const load = async (): Promise<HuaweiAccessKey> => {
    if (session === undefined) await renewSession(false);
    const get = () => request(securityKeyPath, { method: "GET", headers: session ? { "X-Metadata-Token": session } : {} });
    let answer = await get();
    if (answer.status === 401 && !answer.body.includes(noAgencyMessage)) {
      await renewSession(true);
      answer = await get();
    }
    if (answer.status >= 400) {
      const hint = answer.body.includes(noAgencyMessage) ? ": no agency is bound to this instance" : "";
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: ${securityKeyPath} answered HTTP ${answer.status}${hint}`);
    }
    return parseSecurityKey(answer.body);
  };

  const fresh = (key: HuaweiAccessKey): boolean => {
    const lifetime = key.expiresAt - issuedAt;
    return clock.now() < key.expiresAt - Math.min(refreshBeforeMs, lifetime / 2);
  };

  const refresh = singleFlight(() => {
    const started = clock.now();
    return load().then((key) => {
      current = key;
      issuedAt = started;
      return key;
    });
  });
  const accessKey = (signal?: AbortSignal): Promise<HuaweiAccessKey> =>
    current && fresh(current) ? Promise.resolve(current) : refresh(signal);

  return redacted(
    {
      kind: "ECS metadata",
      accessKey,
      invalidate: (key: HuaweiAccessKey) => {
        if (current === key) current = undefined;
      },
    },
    { kind: "ECS metadata", endpoint: base },
  );
}

/** Reads `{"credential": {access, secret, securitytoken, expires_at}}`; messages never quote values. */
function parseSecurityKey(text: string): HuaweiAccessKey {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HuaweiCredentialsError("huaweiMetadataCredentials: securitykey answer is not JSON");
  }
  const credential = (body as { credential?: Record<string, unknown> } | null)?.credential;
  const missing = ["access", "secret", "securitytoken", "expires_at"].filter(
    (field) => typeof credential?.[field] !== "string" || credential[field] === "",
  );
  if (!credential || missing.length > 0) {
    throw new HuaweiCredentialsError(`huaweiMetadataCredentials: securitykey answer lacks credential.${missing.join(", credential.")}`);
  }
  const expiresAt = Date.parse(credential.expires_at as string);
  if (Number.isNaN(expiresAt)) {
    throw new HuaweiCredentialsError("huaweiMetadataCredentials: credential.expires_at is not a timestamp");
  }
  return new HuaweiAccessKey(credential.access as string, credential.secret as string, credential.securitytoken as string, expiresAt);
}


import { CredentialCache } from "../../core/credential-cache.js";
import type { CredentialCachePolicy } from "../../core/credential-cache.js";
import { CredentialFetchError, fetchCredentialEndpoint } from "../../core/credential-fetch.js";
import { headerValueProblem } from "../../core/header-value.js";
import { HuaweiCredentialsError } from "./errors.js";
import { redacted } from "../../core/redact.js";
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
 * Redirects are never followed (they would resend the session token
 * elsewhere), values that cannot go into a header are refused before
 * anything is sent, and a fetch whose clients all closed is aborted.
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

  const request = async (path: string, init: { method: string; headers: Record<string, string> }, signal: AbortSignal): Promise<{ status: number; body: string }> => {
    try {
      const answer = await fetchCredentialEndpoint(`${base}${path}`, { ...init, timeoutMs, signal, fetch: doFetch });
      return { status: answer.status, body: answer.text };
    } catch (error) {
      if (!(error instanceof CredentialFetchError)) throw error;
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: ${base}${path} ${error.message}`);
    }
  };

  const renewSession = async (required: boolean, signal: AbortSignal): Promise<void> => {
    const answer = await request(tokenPath, { method: "PUT", headers: { "X-Metadata-Token-Ttl-Seconds": String(tokenTtlSeconds) } }, signal);
    if (answer.status === 200) {
      // Sent back as X-Metadata-Token: a value that cannot be is refused, not kept.
      const problem = headerValueProblem(answer.body, "the session token it answered");
      if (problem) throw new HuaweiCredentialsError(`huaweiMetadataCredentials: ${tokenPath}: ${problem}`);
      session = answer.body;
    } else if (!required && (answer.status === 404 || answer.status === 405 || answer.status === 503)) {
      session = undefined;
    } else {
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: session token request answered HTTP ${answer.status}`);
    }
  };

  const load = async (signal: AbortSignal): Promise<HuaweiAccessKey> => {
    if (session === undefined) await renewSession(false, signal);
    const get = () => request(securityKeyPath, { method: "GET", headers: session ? { "X-Metadata-Token": session } : {} }, signal);
    let answer = await get();
    if (answer.status === 401 && !answer.body.includes(noAgencyMessage)) {
      await renewSession(true, signal);
      answer = await get();
    }
    if (answer.status >= 400) {
      const hint = answer.body.includes(noAgencyMessage) ? ": no agency is bound to this instance" : "";
      throw new HuaweiCredentialsError(`huaweiMetadataCredentials: ${securityKeyPath} answered HTTP ${answer.status}${hint}`);
    }
    return parseSecurityKey(answer.body);
  };

  const cache = new CredentialCache<HuaweiAccessKey>(huaweiCachePolicy(refreshBeforeMs), (key) => key.expiresAt);
  const accessKey = (signal?: AbortSignal, closeSignal?: AbortSignal): Promise<HuaweiAccessKey> =>
    cache.get(() => clock.now(), load, signal, closeSignal);

  return redacted(
    {
      kind: "ECS metadata",
      accessKey,
      invalidate: (key: HuaweiAccessKey) => cache.invalidate((cached) => cached === key),
    },
    { kind: "ECS metadata", endpoint: base },
  );
}

/**
 * The Go SDK's rule as the shared cache's policy: renew `refreshBeforeMs`
 * before expiry, but not in the first half of the keys' lifetime; callers
 * wait for the renewal.
 */
export function huaweiCachePolicy(refreshBeforeMs: number): CredentialCachePolicy {
  return { maxAgeMs: Infinity, maxLifetimeShare: 1, refreshBeforeExpiryMs: refreshBeforeMs, minLifetimeShare: 0.5 };
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
  // access goes into the Authorization header, securitytoken into X-Security-Token.
  for (const field of ["access", "securitytoken"] as const) {
    const problem = headerValueProblem(credential[field] as string, `its credential.${field}`);
    if (problem) throw new HuaweiCredentialsError(`huaweiMetadataCredentials: securitykey answer is unusable: ${problem}`);
  }
  const expiresAt = Date.parse(credential.expires_at as string);
  if (Number.isNaN(expiresAt)) {
    throw new HuaweiCredentialsError("huaweiMetadataCredentials: credential.expires_at is not a timestamp");
  }
  return new HuaweiAccessKey(credential.access as string, credential.secret as string, credential.securitytoken as string, expiresAt);
}


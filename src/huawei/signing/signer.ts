import { headerValueProblem } from "../../core/header-value.js";
import type { HttpRequestParts, RequestSigner } from "../../rest/types.js";
import { HuaweiCredentialsError } from "../credentials/errors.js";
import type { HuaweiAccessKey } from "../credentials/types.js";
import type { HuaweiCredentials } from "../credentials/types.js";
import { computeSignature } from "./algorithm.js";
import type { SignatureParts } from "./algorithm.js";
import { formatSdkDate } from "./date.js";
import { selectSignedHeaders } from "./signed-headers.js";

export interface HuaweiSignerOptions {
  readonly credentials: HuaweiCredentials;
  /** Sent and signed as `X-Project-Id` (as the SDKs do when credentials carry a project id). */
  readonly projectId?: string;
  /** Time source for `X-Sdk-Date`; tests pass the emulator's clock. */
  readonly clock?: { now(): number };
  /** Called with what each attempt was signed from, e.g. a {@link SigningLog} for error messages. */
  readonly onSigned?: (request: HttpRequestParts, parts: SignatureParts) => void;
  /**
   * Called on every attempt with the secrets it was signed with (the secret
   * key, and the security token it sent), so that the client can scrub them
   * from whatever the server quotes back. The access key is an identifier
   * and is not passed.
   */
  readonly onSecrets?: (secrets: readonly string[]) => void;
  /** The client's close signal: a key fetch its calls started is stopped once it aborts. */
  readonly closeSignal?: AbortSignal;
}

/**
 * The REST transport's signer hook for Huawei Cloud APIG (SDK-HMAC-SHA256).
 * On every attempt it sets `X-Sdk-Date` (now, `YYYYMMDDTHHMMSSZ`),
 * `X-Project-Id` and, for temporary keys, `X-Security-Token`, then signs
 * `host` and the request's headers (see `selectSignedHeaders`) over the exact
 * body bytes and adds `Authorization`. No `node:` module (SHA-256 from `@noble/hashes`).
 * Keys whose AK or security token cannot go into a header (CR, LF, NUL, …)
 * fail the call unsent with UNAUTHENTICATED naming the source, never the value.
 *
 * @example
 * ```ts
 * const signer = huaweiSigner({ credentials: huaweiCredentials({ accessKey, secretKey }), projectId });
 * await signer(request, signal); // request.headers now has X-Sdk-Date and Authorization
 * ```
 */
export function huaweiSigner(options: HuaweiSignerOptions): RequestSigner {
  const clock = options.clock ?? { now: () => Date.now() };
  return async (request, signal) => {
    const key = await options.credentials.accessKey(signal, options.closeSignal);
    assertSendable(key, options.credentials.kind);
    options.onSecrets?.(key.securityToken ? [key.secretKey, key.securityToken] : [key.secretKey]);
    const headers = request.headers;
    headers.delete("authorization");
    headers.set("x-sdk-date", formatSdkDate(clock.now()));
    if (options.projectId) headers.set("x-project-id", options.projectId);
    if (key.securityToken) headers.set("x-security-token", key.securityToken);
    else headers.delete("x-security-token");
    const parts = await computeSignature(request, request.body, selectSignedHeaders(headers), key.accessKey, key.secretKey);
    headers.set("authorization", parts.authorization);
    options.onSigned?.(request, parts);
  };
}

/** Keys found header-safe: sources cache theirs, so each is checked once, not on every call. */
const sendable = new WeakSet<HuaweiAccessKey>();

function assertSendable(key: HuaweiAccessKey, kind: string): void {
  if (sendable.has(key)) return;
  for (const [field, value] of [["access key", key.accessKey], ["security token", key.securityToken]] as const) {
    if (value === undefined) continue;
    const problem = headerValueProblem(value, `the ${field} from ${kind}`);
    if (problem) throw new HuaweiCredentialsError(`Huawei credentials: ${problem}`);
  }
  sendable.add(key);
}

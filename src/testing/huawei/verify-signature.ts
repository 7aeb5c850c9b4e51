import { computeSignature, parseAuthorization } from "../../huawei/signing/algorithm.js";
import { formatSdkDate, parseSdkDate } from "../../huawei/signing/date.js";
import type { EmulatorHttpRequest } from "../rest-face.js";

/** The outcome of checking one request's SDK-HMAC-SHA256 signature. */
export type SignatureCheck = { readonly ok: true; readonly accessKey: string } | { readonly ok: false; readonly message: string };

/** What the verifier trusts. */
export interface SignatureVerifierOptions {
  /** Access key → secret key of every AK/SK pair the emulator accepts. */
  readonly keys: ReadonlyMap<string, string>;
  readonly clock: { now(): number };
  /** Largest accepted difference between `X-Sdk-Date` and the clock (default 15 min, as APIG). */
  readonly maxSkewMs?: number;
}

const prefix = "Incorrect IAM authentication information: ";

/**
 * Verifies a request as Huawei's API gateway does: `Authorization:
 * SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`, a signed
 * `X-Sdk-Date` within 15 minutes of the clock, and the signature recomputed
 * over the headers it lists, the path, the query and the body bytes (or
 * `X-Sdk-Content-Sha256`). Failure messages follow APIG's wording; a bad
 * signature echoes the canonical request the emulator computed, with `|`
 * for newlines, as APIG does.
 *
 * @example
 * ```ts
 * const check = await verifySdkHmacSha256(request, { keys: new Map([[ak, sk]]), clock });
 * if (!check.ok) return apigError(401, check.message);
 * ```
 */
export async function verifySdkHmacSha256(request: EmulatorHttpRequest, options: SignatureVerifierOptions): Promise<SignatureCheck> {
  const header = request.headers.get("authorization");
  if (!header) return { ok: false, message: `${prefix}Authorization not found in header` };
  const auth = parseAuthorization(header);
  if (!auth) return { ok: false, message: `${prefix}the Authorization header is not SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` };
  const secretKey = options.keys.get(auth.accessKey);
  if (secretKey === undefined) return { ok: false, message: `${prefix}verify aksk signature fail, access key not found` };
  if (!auth.signedHeaders.includes("x-sdk-date")) return { ok: false, message: `${prefix}x-sdk-date is not a signed header` };
  const date = request.headers.get("x-sdk-date") ?? "";
  const signedAt = parseSdkDate(date);
  if (signedAt === undefined) return { ok: false, message: `${prefix}x-sdk-date ${JSON.stringify(date)} is not YYYYMMDDTHHMMSSZ` };
  const now = options.clock.now();
  if (Math.abs(now - signedAt) > (options.maxSkewMs ?? 15 * 60_000)) {
    return {
      ok: false,
      message: `${prefix}calc aksk signature fail:signature expired, signature time:${date},server time:${formatSdkDate(now)}`,
    };
  }
  const parts = await computeSignature(request, request.body, auth.signedHeaders, auth.accessKey, secretKey);
  if (parts.signature !== auth.signature) {
    return { ok: false, message: `${prefix}verify aksk signature fail, canonicalRequest:${parts.canonicalRequest.replaceAll("\n", "|")}` };
  }
  return { ok: true, accessKey: auth.accessKey };
}

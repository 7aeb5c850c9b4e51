import { canonicalRequest } from "./canonical.js";
import type { SignableRequest } from "./canonical.js";
import { emptySha256, hmacSha256Hex, sha256Hex } from "./digest.js";

/** The algorithm name, first word of `Authorization` and of the string to sign. */
export const signingAlgorithm = "SDK-HMAC-SHA256";

/** A header that replaces the body hash, e.g. `UNSIGNED-PAYLOAD` (Go sets it for non-JSON bodies). */
export const headerContentSha256 = "x-sdk-content-sha256";

/** Everything one signature was computed from, kept for debugging signature failures. */
export interface SignatureParts {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly authorization: string;
}

/**
 * Signs a request whose headers (including `X-Sdk-Date`) are final, over
 * exactly the `signedHeaders` given (lower-case, sorted):
 *
 * - StringToSign = `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256(CanonicalRequest)>` (no scope, no key derivation);
 * - Signature = hex HMAC-SHA256 keyed with the secret key;
 * - Authorization = `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>`.
 *
 * @example
 * ```ts
 * const { authorization } = await computeSignature(request, undefined, ["host", "x-sdk-date"], ak, sk);
 * ```
 */
export async function computeSignature(
  request: SignableRequest,
  body: Uint8Array | undefined,
  signedHeaders: readonly string[],
  accessKey: string,
  secretKey: string,
): Promise<SignatureParts> {
  const date = request.headers.get("x-sdk-date") ?? "";
  const payloadHash =
    request.headers.get(headerContentSha256) ?? (body && body.length > 0 ? await sha256Hex(body) : emptySha256);
  const canonical = canonicalRequest(request, signedHeaders, payloadHash);
  const stringToSign = `${signingAlgorithm}\n${date}\n${await sha256Hex(canonical)}`;
  const signature = await hmacSha256Hex(secretKey, stringToSign);
  const authorization = `${signingAlgorithm} Access=${accessKey}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
  return { canonicalRequest: canonical, stringToSign, signature, authorization };
}

/** The three parts of an `Authorization: SDK-HMAC-SHA256 …` value, or `undefined` when it is not one. */
export function parseAuthorization(value: string): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^SDK-HMAC-SHA256 Access=([^,\s]+), SignedHeaders=([^,\s]+), Signature=([0-9a-f]{64})$/.exec(value.trim());
  if (!m) return undefined;
  return { accessKey: m[1]!, signedHeaders: m[2]!.split(";"), signature: m[3]! };
}

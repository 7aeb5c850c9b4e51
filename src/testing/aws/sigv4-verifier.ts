import { signV4 } from "../../aws/sigv4/sign.js";
import { sha256Hex } from "../../aws/sigv4/crypto.js";
import type { EmulatorHttpRequest } from "../rest-face.js";

/** Keys the emulator accepts; a session token may expire. */
export interface EmulatorAwsKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Emulator-clock ms after which the session token is expired. */
  expiresAt?: number;
}

/** Why a request was refused, as AWS names it. */
export interface SigV4Rejection {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** How far `x-amz-date` may be from the emulator clock (AWS: 5 minutes). */
export const maxClockSkewMs = 5 * 60_000;

const authPattern = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * Verifies a SigV4 (header form) request the way AWS does, against the
 * emulator's keys and clock: the Authorization header's shape, the key id,
 * the scope (day, region, service), the date skew, the session token and its
 * expiry, the payload hash, and finally the signature recomputed from the
 * signed headers exactly as received. Returns `undefined` when it holds.
 */
export async function verifySigV4(
  request: EmulatorHttpRequest,
  options: { keys: readonly EmulatorAwsKey[]; region: string; service: string; now: number },
): Promise<SigV4Rejection | undefined> {
  const header = request.headers.get("authorization");
  if (!header) return { status: 403, type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" };
  const m = authPattern.exec(header.trim());
  if (!m) {
    return { status: 403, type: "IncompleteSignatureException", message: "Authorization header requires Credential, SignedHeaders and Signature for AWS4-HMAC-SHA256" };
  }
  const [, accessKeyId, day, region, service, signedHeaders, signature] = m as unknown as string[];
  const key = options.keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return { status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
  if (region !== options.region || service !== options.service) {
    return {
      status: 403,
      type: "InvalidSignatureException",
      message: `Credential should be scoped to a valid region and service: expected ${options.region}/${options.service}, got ${region}/${service}.`,
    };
  }
  const amzDate = request.headers.get("x-amz-date") ?? "";
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== day) {
    return { status: 403, type: "IncompleteSignatureException", message: "x-amz-date is missing, malformed or does not match the credential scope" };
  }
  if (Math.abs(signedAt - options.now) > maxClockSkewMs) {
    return {
      status: 403,
      type: "InvalidSignatureException",
      message: `Signature expired: ${amzDate} is now earlier than the allowed window around ${new Date(options.now).toISOString()}.`,
    };
  }
  const token = request.headers.get("x-amz-security-token") ?? undefined;
  if (key.sessionToken !== undefined) {
    if (token !== key.sessionToken) return { status: 403, type: "UnrecognizedClientException", message: "The security token included in the request is invalid." };
    if (key.expiresAt !== undefined && options.now >= key.expiresAt) {
      return { status: 403, type: "ExpiredTokenException", message: "The security token included in the request is expired" };
    }
  }
  const names = signedHeaders.split(";");
  if (!names.includes("host")) return { status: 403, type: "InvalidSignatureException", message: "'Host' must be a signed header" };
  const bodyHash = await sha256Hex(request.body);
  const claimed = request.headers.get("x-amz-content-sha256");
  if (claimed !== null && claimed !== "UNSIGNED-PAYLOAD" && claimed !== bodyHash) {
    return { status: 400, type: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const special = new Set(["x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]);
  const pairs: [string, string][] = names.filter((n) => !special.has(n)).map((n) => [n, request.headers.get(n) ?? ""]);
  const expected = await signV4(
    {
      method: request.method,
      host: request.headers.get("host") ?? "",
      path: request.url.pathname,
      search: request.url.search,
      headers: pairs,
      body: request.body,
    },
    {
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: names.includes("x-amz-security-token") ? token : undefined },
      region,
      service,
      date: new Date(signedAt),
      signPayloadHeader: names.includes("x-amz-content-sha256"),
    },
  );
  if (expected.signature !== signature) {
    return {
      status: 403,
      type: "InvalidSignatureException",
      message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    };
  }
  return undefined;
}

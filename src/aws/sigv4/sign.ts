import type { AwsCredentialIdentity } from "../credentials/types.js";
import { hmac, sha256Hex, toHex } from "./crypto.js";
import { SigningKeyCache } from "./key-cache.js";
import { canonicalPath, canonicalQuery } from "./uri.js";

/** What SigV4 reads from a request. */
export interface SigningRequest {
  readonly method: string;
  /** `host[:port]` exactly as the Host header will carry it (port only when not the default). */
  readonly host: string;
  /** The path as sent (already percent-encoded). */
  readonly path: string;
  /** The query as sent, with or without the leading `?`. */
  readonly search: string;
  /** Header pairs; repeated names are joined with `,` in order. */
  readonly headers: Iterable<readonly [string, string]>;
  /** The body bytes (or text); absent for none. */
  readonly body?: Uint8Array | string;
}

/** How to sign. */
export interface SigningParams {
  readonly credentials: AwsCredentialIdentity;
  readonly region: string;
  /** The signing name, e.g. `emr-serverless`. */
  readonly service: string;
  /** The signing time (its whole seconds, UTC). */
  readonly date: Date;
  /** Normalize the path (every service but S3). Default true. */
  readonly normalizePath?: boolean;
  /**
   * Add and sign `x-amz-content-sha256` with the payload hash, as the AWS SDK
   * does for every EMR Serverless call. Default true.
   */
  readonly signPayloadHeader?: boolean;
  /**
   * Sign `x-amz-security-token` (default true, as the AWS SDK does). `false`
   * adds it after signing, unsigned (a few services require that).
   */
  readonly signSessionToken?: boolean;
  /** Shared derived-key cache; a private one per call when absent. */
  readonly keyCache?: SigningKeyCache;
}

/** The signature and every intermediate, so tests can check each step. */
export interface SigningResult {
  /** Headers to set on the request, lowercase names, `authorization` last. */
  readonly headers: readonly (readonly [string, string])[];
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly authorization: string;
}

const sigV4Algorithm = "AWS4-HMAC-SHA256";
const emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Headers SigV4 never signs (the AWS SDK's list): proxies and user agents
 * change them in flight, so signing them would break valid requests.
 */
const unsignableHeaders = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

function signable(name: string): boolean {
  return !unsignableHeaders.has(name) && !name.startsWith("proxy-") && !name.startsWith("sec-");
}

/** `20150830T123600Z` */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Signs a request with AWS Signature Version 4 (header form), following the
 * published algorithm step by step: canonical request, string to sign,
 * derived key, signature. Pure: the same input always
 * gives the same signature, which is what the AWS test suite checks.
 *
 * @example
 * ```ts
 * const { headers } = await signV4(
 *   { method: "GET", host: "emr-serverless.us-east-1.amazonaws.com", path: "/applications/a/jobruns", search: "", headers: [] },
 *   { credentials, region: "us-east-1", service: "emr-serverless", date: new Date() },
 * );
 * ```
 */
export async function signV4(request: SigningRequest, params: SigningParams): Promise<SigningResult> {
  const { credentials, region, service } = params;
  const stamp = amzDate(params.date);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;

  const body = request.body;
  const payloadHash = body === undefined || body.length === 0 ? emptySha256 : await sha256Hex(body);

  const values = new Map<string, string[]>();
  const put = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  };
  for (const [name, value] of request.headers) put(name, value);
  const added: [string, string][] = [];
  const add = (name: string, value: string): void => {
    values.set(name, [value]);
    added.push([name, value]);
  };
  if (!values.has("host")) values.set("host", [request.host]);
  add("x-amz-date", stamp);
  if (params.signPayloadHeader !== false) add("x-amz-content-sha256", payloadHash);
  const token = credentials.sessionToken;
  if (token && params.signSessionToken !== false) add("x-amz-security-token", token);

  const names = [...values.keys()].filter(signable).sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${values.get(name)!.map((v) => v.trim().replace(/\s+/g, " ")).join(",")}\n`)
    .join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.path, { normalize: params.normalizePath }),
    canonicalQuery(request.search),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  const stringToSign = [sigV4Algorithm, stamp, scope, await sha256Hex(canonicalRequest)].join("\n");
  const cache = params.keyCache ?? new SigningKeyCache(1);
  const key = await cache.key(credentials.accessKeyId, credentials.secretAccessKey, day, region, service);
  const signature = toHex(await hmac(key, stringToSign));
  const authorization = `${sigV4Algorithm} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  if (token && params.signSessionToken === false) added.push(["x-amz-security-token", token]);
  added.push(["authorization", authorization]);
  return { headers: added, canonicalRequest, stringToSign, signature, authorization };
}

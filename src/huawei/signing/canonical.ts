import { compareCodePoints, percentDecode, rfc3986 } from "./encode.js";

/** The parts of a request the canonical form reads. */
export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
}

/**
 * The canonical URI: every path segment decoded once and re-encoded with the
 * RFC 3986 set, always ending in `/` ("A URI must end with a slash (/) for
 * signature calculation. However, the slash is not required when a request is
 * sent." — Huawei API signing guide).
 *
 * Decoding first means a segment is signed as the gateway sees it: a job id
 * `a:b` sent as `a%3Ab` signs as `a%3Ab`, as Go's signer does (it escapes the
 * raw segment once). The Node core SDK encodes the already-encoded path again
 * (`%` → `%25`), which APIG rejects for such paths (huaweicloud-sdk-nodejs-v3#2);
 * where the two SDKs disagree this follows Go, i.e. what the gateway verifies.
 *
 * @example
 * ```ts
 * canonicalUri(new URL("https://h/v1.1/p/job-executions/a%3Ab/cancel")); // "/v1.1/p/job-executions/a%3Ab/cancel/"
 * ```
 */
export function canonicalUri(url: URL): string {
  const path = url.pathname
    .split("/")
    .map((segment) => rfc3986(percentDecode(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * The canonical query string: keys and values decoded, re-encoded with the
 * RFC 3986 set, sorted by key and, for a repeated key, by value (code-point
 * order, as Go's `sort.Strings`); a key without a value gives `key=`.
 * `+` is read as a literal plus sign, so transports must send spaces as `%20`.
 *
 * @example
 * ```ts
 * canonicalQuery(new URL("https://h/p?b=2&a=&b=1")); // "a=&b=1&b=2"
 * ```
 */
export function canonicalQuery(url: URL): string {
  const query = url.search.startsWith("?") ? url.search.slice(1) : url.search;
  if (query === "") return "";
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = percentDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : percentDecode(part.slice(eq + 1));
    pairs.push([key, value]);
  }
  pairs.sort(([ka, va], [kb, vb]) => compareCodePoints(ka, kb) || compareCodePoints(va, vb));
  return pairs.map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`).join("&");
}

/**
 * `name:value\n` for each signed header (names already lower-case and
 * sorted), values trimmed. `host` is read from the URL when the request has
 * no Host header, since `fetch` sets it from the URL (with the port when it
 * is not the default one).
 */
export function canonicalHeaders(request: SignableRequest, signedHeaders: readonly string[]): string {
  let out = "";
  for (const name of signedHeaders) {
    const value = request.headers.get(name) ?? (name === "host" ? request.url.host : "");
    out += `${name}:${value.trim()}\n`;
  }
  return out;
}

/**
 * The canonical request of SDK-HMAC-SHA256 (the same shape as SigV4's):
 *
 * ```text
 * METHOD\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHexSHA256(body)
 * ```
 *
 * `CanonicalHeaders` ends in `\n`, so a blank line follows it.
 */
export function canonicalRequest(request: SignableRequest, signedHeaders: readonly string[], payloadHash: string): string {
  return [
    request.method.toUpperCase(),
    canonicalUri(request.url),
    canonicalQuery(request.url),
    canonicalHeaders(request, signedHeaders),
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

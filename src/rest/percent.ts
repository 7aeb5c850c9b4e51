/**
 * Percent-encoding for REST URLs, stricter than `encodeURIComponent`: only
 * the RFC 3986 unreserved set `A-Z a-z 0-9 - . _ ~` is left as is, so `!'()*`
 * are escaped too, and a space is always `%20` (never `+`, which Envoy's
 * transcoder and AWS read as a literal plus). `URLSearchParams` is not used
 * anywhere on the REST path for that reason.
 *
 * @example
 * ```ts
 * encodeSegment("a b/c!"); // "a%20b%2Fc%21"
 * encodePathKeepingSlashes("a b/c"); // "a%20b/c"
 * ```
 */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Like {@link encodeSegment} but keeps `/`: for multi-segment path variables (`{name=**}`). */
export function encodePathKeepingSlashes(value: string): string {
  return value.split("/").map(encodeSegment).join("/");
}

/**
 * The URI parts of a SigV4 canonical request.
 *
 * Every service except S3 encodes each path segment twice: the path as sent
 * is already percent-encoded, and the canonical path encodes it again
 * (`/a%40b` → `/a%2540b`). Query keys and values are decoded and encoded
 * once. "Encoded" is RFC 3986: everything but `A-Z a-z 0-9 - . _ ~`.
 */

/** RFC 3986 percent-encoding (also `!'()*`, which `encodeURIComponent` keeps). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Options of {@link canonicalPath}. */
export interface PathOptions {
  /** Drop empty and `.` segments, resolve `..` (every service but S3). Default true. */
  readonly normalize?: boolean;
}

/**
 * The canonical URI of `path` (the path exactly as sent): normalized unless
 * told not to, then each segment encoded once more.
 *
 * @example
 * ```ts
 * canonicalPath("/applications/a%40b/jobruns"); // "/applications/a%2540b/jobruns"
 * canonicalPath("//example//");                 // "/example/"
 * ```
 */
export function canonicalPath(path: string, options: PathOptions = {}): string {
  let segments = path.split("/");
  if (options.normalize !== false) {
    const kept: string[] = [];
    for (const segment of segments) {
      if (segment === "" || segment === ".") continue;
      if (segment === "..") kept.pop();
      else kept.push(segment);
    }
    const leading = path.startsWith("/") ? "/" : "";
    const trailing = kept.length > 0 && path.endsWith("/") ? "/" : "";
    const joined = leading + kept.join("/") + trailing;
    segments = (joined === "" ? "/" : joined).split("/");
  }
  return segments.map(escapeUri).join("/");
}

/**
 * The canonical query string of `search` (`?a=1&b=2`, as sent): pairs decoded
 * (no `+` → space: transports send `%20`), re-encoded, sorted by key then
 * value, `k=` for a key without value.
 *
 * @example
 * ```ts
 * canonicalQuery("?states=RUNNING&maxResults=10"); // "maxResults=10&states=RUNNING"
 * ```
 */
export function canonicalQuery(search: string): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return "";
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([escapeUri(decode(key)), escapeUri(decode(value))]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A stray `%` that is not an escape: sign it as the literal text.
    return value;
  }
}

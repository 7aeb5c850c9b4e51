import { display } from "../util/display.js";

/**
 * An endpoint option as a base URL: scheme, host, port and path prefix, no
 * trailing slash. Every cloud reads its `endpoint` options through this, so
 * a gateway path prefix (`https://gw.example/jobs`) works on all of them,
 * and an endpoint without a scheme is an error that says what to write,
 * never a silent guess of https (a loopback emulator speaks plain http).
 *
 * @example
 * ```ts
 * normaliseEndpoint("https://gw.example/emr/");  // "https://gw.example/emr"
 * normaliseEndpoint("127.0.0.1:4000");           // throws: has no scheme: write http://127.0.0.1:4000 …
 * ```
 */
export function normaliseEndpoint(url: string, what = "endpoint"): string {
  if (typeof url !== "string") throw new TypeError(`${what} must be a URL string such as https://host[:port] (got ${url === null ? "null" : typeof url})`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new TypeError(`${what} ${display(url)} has no scheme: write https://${url} (or http://${url} for a loopback emulator)`);
  }
  if (scheme !== "http" && scheme !== "https") throw new TypeError(`${what} ${display(url)}: only http:// and https:// are supported`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${what} ${display(url)} is not a valid URL (expected https://host[:port][/prefix])`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

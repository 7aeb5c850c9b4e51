/**
 * Headers never signed: ones runtimes, proxies or `fetch` itself may add,
 * drop or rewrite after signing (`content-length`, `user-agent`, hop-by-hop
 * headers), and `authorization`, which carries the signature.
 */
const unsignedHeaders = new Set([
  "authorization",
  "connection",
  "content-length",
  "expect",
  "keep-alive",
  "transfer-encoding",
  "user-agent",
  "accept-encoding",
]);

/**
 * The headers to sign: `host` plus every header present except
 * {@link unsignedHeaders} ones and names containing `_` (gateways such as nginx drop
 * those; the Go SDK skips them too), lower-case and sorted. `X-Sdk-Date`,
 * `X-Project-Id` and `X-Security-Token` are set before this runs, so they are
 * always signed. Unlike Go (which skips `content-type`) this signs it, as the
 * official signing guide and the Node SDK do; the gateway checks whatever
 * `SignedHeaders` lists.
 */
export function selectSignedHeaders(headers: Headers): string[] {
  const names = new Set<string>(["host"]);
  headers.forEach((_value, name) => {
    const lower = name.toLowerCase();
    if (!unsignedHeaders.has(lower) && !lower.includes("_")) names.add(lower);
  });
  return [...names].sort();
}

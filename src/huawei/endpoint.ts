/**
 * The MRS endpoint of a region: `https://mrs.{region}.myhuaweicloud.com`
 * (Go SDK `services/mrs/v2/region/region.go`).
 */
export function mrsEndpoint(region: string): string {
  return `https://mrs.${region}.myhuaweicloud.com`;
}

/**
 * An endpoint option as a base URL (origin plus path prefix, no trailing
 * slash); the plaintext rule is the shared `assertSafeEndpoint`.
 */
export function normaliseHuaweiEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`createHuaweiCloud: endpoint ${JSON.stringify(endpoint)} is not a URL (expected https://host[:port])`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`createHuaweiCloud: endpoint must be https:// (got ${url.protocol})`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

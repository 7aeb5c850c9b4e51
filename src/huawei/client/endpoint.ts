/**
 * The MRS endpoint of a region: `https://mrs.{region}.myhuaweicloud.com`
 * (Go SDK `services/mrs/v2/region/region.go`).
 */
export function mrsEndpoint(region: string): string {
  return `https://mrs.${region}.myhuaweicloud.com`;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Refuses to send signed requests (an AK and, for temporary keys, the
 * security token) over plaintext `http://`, except to loopback and to the
 * `host[:port]`s listed in `insecurePlaintextHosts` (or the comma-separated
 * `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`), which get a loud warning.
 * Returns the normalised base URL.
 */
export function checkEndpoint(endpoint: string, insecurePlaintextHosts: readonly string[], warn: (line: string) => void): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`createHuaweiCloud: endpoint ${JSON.stringify(endpoint)} is not a URL (expected https://host[:port])`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`createHuaweiCloud: endpoint must be https:// (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    if (!insecurePlaintextHosts.includes(url.host) && !insecurePlaintextHosts.includes(url.hostname)) {
      throw new Error(
        `createHuaweiCloud: refusing to send signed requests over plaintext HTTP to ${url.host}; use https:// ` +
          "(plaintext is allowed to loopback, or to hosts listed in insecurePlaintextHosts / DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS)",
      );
    }
    warn(`dataproc-connect: WARNING: sending signed Huawei Cloud requests over plaintext HTTP to ${url.host} (insecurePlaintextHosts)`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

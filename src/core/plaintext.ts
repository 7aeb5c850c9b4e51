import { warnOnce } from "./env.js";

/** True for 127.0.0.0/8, ::1 and localhost: the only places credentials may go in plaintext by default. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether `url` is on the explicit plaintext allow-list: entries are
 * `host[:port]`; an entry without a port allows every port of that host.
 *
 * @example
 * ```ts
 * isAllowedPlaintext("http://10.0.0.5:4000", ["10.0.0.5:4000"]); // true
 * ```
 */
export function isAllowedPlaintext(url: string, insecurePlaintextHosts: readonly string[]): boolean {
  const parsed = new URL(url);
  const port = parsed.port || "80";
  return insecurePlaintextHosts.some((entry) => {
    const allowed = entry.trim().toLowerCase();
    return allowed === parsed.hostname || allowed === `${parsed.hostname}:${port}` || allowed === parsed.host;
  });
}

/** The allow-list: the option when given, else the comma-separated `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`. */
export function plaintextHostsFrom(option: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>): readonly string[] {
  return option ?? (env.DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * The one plaintext rule of every cloud: refuses `http://` to anything but
 * loopback and the hosts named in `insecurePlaintextHosts` (the option or
 * `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`), because every call carries
 * a credential (`what`: a bearer token, a SigV4 signature and session token,
 * an AK-signed request) that plaintext would hand to anyone on the path.
 * An allowed non-loopback host gets a loud warning, once per process.
 * Throws a plain `Error`; each cloud turns it into its own error type.
 *
 * @example
 * ```ts
 * assertSafeEndpoint("http://10.0.0.5:4000", ["10.0.0.5"], "signed AWS requests"); // warns, does not throw
 * ```
 */
export function assertSafeEndpoint(url: string, insecurePlaintextHosts: readonly string[] = [], what = "a bearer token"): void {
  if (!url.startsWith("http://") || isLoopback(url)) return;
  if (!isAllowedPlaintext(url, insecurePlaintextHosts)) {
    throw new Error(
      `refusing to send ${what} over plaintext HTTP to ${url}; use https:// (plaintext is allowed only to 127.0.0.1, ::1, localhost ` +
        `and hosts named in the insecurePlaintextHosts option or DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS)`,
    );
  }
  warnOnce(
    `plaintext ${what} ${url}`,
    `dataproc-connect: sending ${what} over plaintext HTTP to ${new URL(url).host} because it is listed in ` +
      `insecurePlaintextHosts / DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS; anyone on the network path can read them`,
    "DATAPROC_CONNECT_INSECURE_PLAINTEXT",
  );
}

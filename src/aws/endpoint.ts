import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { aws_signing_name } from "../../gen/dataproc_connect/v1/rest_pb.js";
import { envValue, processEnv } from "./credentials/env-vars.js";
import type { Environment } from "./credentials/env-vars.js";

/** The SigV4 signing name of an AWS service, from `(dataproc_connect.v1.aws_signing_name)`. */
export function signingNameOf(service: DescService): string {
  if (!hasOption(service, aws_signing_name)) {
    throw new TypeError(`${service.typeName} is not an AWS service: it has no (dataproc_connect.v1.aws_signing_name) option`);
  }
  return getOption(service, aws_signing_name);
}

/** `https://<signing name>.<region>.amazonaws.com` (the `aws` partition; China and GovCloud need `endpoint`). */
export function defaultAwsEndpoint(service: DescService, region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${signingNameOf(service)}.${region}.${suffix}`;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Checks an endpoint before credentials are sent to it: `https://`, or
 * plaintext `http://` to loopback only, or to a host listed in
 * `insecurePlaintextHosts` / `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`
 * (comma-separated `host[:port]`), which is warned about loudly once.
 * Returns the origin (plus path prefix, if any) without a trailing slash.
 */
export function checkAwsEndpoint(
  url: string,
  insecurePlaintextHosts: readonly string[] = [],
  env: Environment = processEnv(),
  warn: (line: string) => void = (line) => console.warn(line),
): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`AWS endpoint ${JSON.stringify(url)} is not a URL (expected https://host[:port])`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`AWS endpoint ${JSON.stringify(url)}: only https:// and http:// are supported`);
  }
  if (parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    const allowed = [...insecurePlaintextHosts, ...(envValue(env, "DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS") ?? "").split(",")]
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    if (!allowed.includes(parsed.host.toLowerCase()) && !allowed.includes(parsed.hostname.toLowerCase())) {
      throw new TypeError(
        `refusing to send SigV4-signed requests over plaintext HTTP to ${parsed.host}; use https:// ` +
          "(plaintext is allowed only to loopback, or to hosts in insecurePlaintextHosts / DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS)",
      );
    }
    warn(`dataproc-connect: WARNING: sending signed AWS requests over plaintext HTTP to ${parsed.host} (allowed by insecurePlaintextHosts)`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

import type { DescService } from "@bufbuild/protobuf";
import { normaliseEndpoint } from "../core/endpoint.js";

/**
 * Where a service lives when no override is given. Yandex Cloud names its
 * gRPC endpoints after the API package: `yandex.cloud.dataproc.v1.JobService`
 * is served by `dataproc.api.cloud.yandex.net:443`. Packages whose host does
 * not follow that rule are listed here.
 */
const hostExceptions: Readonly<Record<string, string>> = {
  k8s: "mks.api.cloud.yandex.net",
  containerregistry: "container-registry.api.cloud.yandex.net",
};

/**
 * The default `https://` base URL of a Yandex Cloud service, derived from its
 * full name.
 *
 * @example
 * ```ts
 * defaultEndpoint(JobService); // "https://dataproc.api.cloud.yandex.net:443"
 * ```
 */
export function defaultEndpoint(service: DescService): string {
  const match = /^yandex\.cloud\.([a-z0-9]+)\./.exec(service.typeName);
  if (!match) {
    throw new Error(`no default endpoint for ${service.typeName}: pass one in the "endpoints" option`);
  }
  const segment = match[1]!;
  return `https://${hostExceptions[segment] ?? `${segment}.api.cloud.yandex.net`}:443`;
}

/**
 * Overrides, most specific first: the service's full name
 * (`yandex.cloud.spark.v1.JobService`), then its package
 * (`yandex.cloud.spark.v1`), then any shorter package prefix (`yandex.cloud`).
 */
export type EndpointOverrides = Readonly<Record<string, string>>;

/** The base URL for `service`: an override if one matches, else the default. */
export function resolveEndpoint(service: DescService, overrides: EndpointOverrides = {}, all?: string): string {
  const parts = service.typeName.split(".");
  for (let i = parts.length; i > 0; i--) {
    const url = overrides[parts.slice(0, i).join(".")];
    if (url !== undefined) return normaliseEndpoint(url);
  }
  return normaliseEndpoint(all ?? defaultEndpoint(service));
}


export { assertSafeEndpoint, isAllowedPlaintext, isLoopback } from "../core/plaintext.js";

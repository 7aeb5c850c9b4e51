import type { DescService, Registry } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { createRestTransport } from "../rest/transport.js";
import { yandexErrorDecoder } from "./rest-errors.js";
import { serviceHasHttpRules } from "../rest/http-rule.js";
import { publishedTextAsBytes } from "../rest/hooks.js";
import type { GrpcTransportConfig } from "../grpc/transport.js";

/** How a service's calls travel: gRPC over HTTP/2, or REST/JSON over `fetch`. */
export type TransportKind = "grpc" | "rest";

/**
 * Per-service or per-package transport choice, most specific match wins, as
 * for `endpoints`: `{ "yandex.cloud.dataproc.v1": "rest" }`.
 */
export type TransportOverrides = Readonly<Record<string, TransportKind>>;

/**
 * The transport kind for `service`: the most specific `overrides` entry (full
 * service name, then each shorter package prefix), else `all`, else gRPC.
 * A service asked to go over REST that has no `google.api.http` rules is an
 * error here, when its client is made, not at its first call.
 *
 * @example
 * ```ts
 * transportKindFor(JobService, { "yandex.cloud": "rest" }); // "rest"
 * transportKindFor(SparkJobService, { "yandex.cloud": "rest" }); // throws: no HTTP rules
 * ```
 */
export function transportKindFor(service: DescService, overrides: TransportOverrides = {}, all: TransportKind = "grpc"): TransportKind {
  const parts = service.typeName.split(".");
  let kind = all;
  for (let i = parts.length; i > 0; i--) {
    const found = overrides[parts.slice(0, i).join(".")];
    if (found !== undefined) {
      kind = found;
      break;
    }
  }
  if (kind !== "grpc" && kind !== "rest") {
    throw new TypeError(`transport for ${service.typeName} must be "grpc" or "rest", got ${JSON.stringify(kind)}`);
  }
  if (kind === "rest" && !serviceHasHttpRules(service)) {
    throw new TypeError(
      `${service.typeName} cannot go over REST: its methods have no google.api.http rules (the public API serves it over gRPC only); use transport "grpc" for it`,
    );
  }
  return kind;
}

/** What the factory needs to build either transport for one base URL. */
export interface TransportConfig extends GrpcTransportConfig {
  readonly registry: Registry;
  readonly fetch?: typeof globalThis.fetch;
}

/** The REST transport with Yandex Cloud's error body and JSON rules. */
export function yandexRestTransport(config: TransportConfig): Transport {
  return createRestTransport({
    baseUrl: config.baseUrl,
    registry: config.registry,
    interceptors: config.interceptors,
    readMaxBytes: config.readMaxBytes,
    ...(config.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: config.defaultTimeoutMs }),
    ...(config.fetch === undefined ? {} : { fetch: config.fetch }),
    errorDecoder: yandexErrorDecoder(config.registry),
    jsonHooks: [publishedTextAsBytes(config.registry)],
  });
}

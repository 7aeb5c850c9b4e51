import type { DescService, Registry } from "@bufbuild/protobuf";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createRestTransport } from "../rest/transport.js";
import { yandexErrorDecoder } from "../rest/error-body.js";
import { serviceHasHttpRules } from "../rest/http-rule.js";
import { publishedTextAsBytes } from "../rest/hooks.js";

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
export interface TransportConfig {
  readonly baseUrl: string;
  readonly interceptors: readonly Interceptor[];
  readonly defaultTimeoutMs: number | undefined;
  readonly registry: Registry;
  readonly fetch?: typeof globalThis.fetch;
  /** Largest received message, after decompression (see `defaultReadMaxBytes`). */
  readonly readMaxBytes: number;
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

/** A session manager as `@connectrpc/connect-node` has it (only what the factory calls). */
export interface ClosableSession {
  abort(): void;
}

/**
 * The gRPC transport, loaded on its first call: `@connectrpc/connect-node`
 * (and with it `node:http2`) is imported only when a service actually goes
 * over gRPC, so an application that uses REST only never loads it and runs
 * where `node:` modules do not exist. `client()` stays synchronous.
 *
 * The HTTP/2 session is registered in `sessions` (by base URL) once created,
 * so `close()` can abort it; after `isClosed()` no session is created.
 */
export function lazyGrpcTransport(
  config: TransportConfig,
  sessions: Map<string, ClosableSession>,
  isClosed: () => boolean,
): Transport {
  let loading: Promise<Transport> | undefined;
  let loaded: Transport | undefined;
  const load = (): Promise<Transport> =>
    (loading ??= Promise.all([import("@connectrpc/connect-node"), import("./grpc-session.js"), import("./grpc-compression.js")]).then(([node, grpc, compression]) => {
      if (isClosed()) throw new Error("createYandexCloud: used after close()");
      let session = sessions.get(config.baseUrl) as InstanceType<typeof grpc.SettlingSessionManager> | undefined;
      if (!session) sessions.set(config.baseUrl, (session = new grpc.SettlingSessionManager(config.baseUrl)));
      return (loaded = node.createGrpcTransport({
        baseUrl: config.baseUrl,
        sessionManager: session,
        interceptors: [...config.interceptors],
        ...(config.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: config.defaultTimeoutMs }),
        // Connect refuses a message whose length prefix passes the limit
        // before reading it; boundedGzip stops inflating at the limit.
        readMaxBytes: config.readMaxBytes,
        acceptCompression: [...compression.boundedCompressions],
      }));
    }));
  // Once loaded, calls go straight to the transport: no extra promise per call.
  return {
    unary(...args) {
      return loaded ? loaded.unary(...args) : load().then((transport) => transport.unary(...args));
    },
    stream(...args) {
      return loaded ? loaded.stream(...args) : load().then((transport) => transport.stream(...args));
    },
  };
}

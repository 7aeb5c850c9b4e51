import type { Interceptor, Transport } from "@connectrpc/connect";

/** What the gRPC transport needs for one base URL. */
export interface GrpcTransportConfig {
  readonly baseUrl: string;
  readonly interceptors: readonly Interceptor[];
  readonly defaultTimeoutMs: number | undefined;
  /** Largest received message, after decompression (see `defaultReadMaxBytes`). */
  readonly readMaxBytes: number;
  /** HTTP/2 keep-alive pings of the session (see {@link KeepAlive}); `false` for none. */
  readonly keepAlive?: KeepAlive | false;
}

/**
 * HTTP/2 PING frames on a session with calls in flight that has received
 * nothing for `pingIntervalMs`; no answer within `pingTimeoutMs` closes the
 * session, and its calls fail UNAVAILABLE (retried when safe). Without pings
 * a NAT or load balancer that silently drops an idle flow leaves a long call
 * hanging until its deadline, or for ever without one. An idle session (no
 * call in flight) is not pinged, so servers that limit pings
 * (`ENHANCE_YOUR_CALM`) see none between calls.
 *
 * @example
 * ```ts
 * createYandexCloud({ keepAlive: { pingIntervalMs: 10_000 } }); // a NAT that drops flows after 15 s
 * ```
 */
export interface KeepAlive {
  /** Quiet time on a busy session before a PING. Default 30 s. */
  readonly pingIntervalMs?: number;
  /** How long a PING may go unanswered. Default 15 s. */
  readonly pingTimeoutMs?: number;
}

/** The default {@link KeepAlive}: a PING after 30 s of silence during a call, 15 s to answer. */
export const defaultKeepAlive: Required<KeepAlive> = { pingIntervalMs: 30_000, pingTimeoutMs: 15_000 };

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
  config: GrpcTransportConfig,
  sessions: Map<string, ClosableSession>,
  isClosed: () => boolean,
): Transport {
  let loading: Promise<Transport> | undefined;
  let loaded: Transport | undefined;
  const load = (): Promise<Transport> =>
    (loading ??= Promise.all([import("@connectrpc/connect-node"), import("./session.js"), import("./compression.js")]).then(([node, grpc, compression]) => {
      if (isClosed()) throw new Error("the client was used after close()");
      let session = sessions.get(config.baseUrl) as InstanceType<typeof grpc.SettlingSessionManager> | undefined;
      if (!session) {
        const ping = config.keepAlive === false ? {} : { ...defaultKeepAlive, ...config.keepAlive, pingIdleConnection: false };
        sessions.set(config.baseUrl, (session = new grpc.SettlingSessionManager(config.baseUrl, ping)));
      }
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

import { createServer } from "node:http2";
import type { Http2Server, Http2Session } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import type { Clock, RealClock } from "./clock.js";
import { EmulatorControls, createEmulatorCore } from "./core.js";
import type { EmulatorCore, EmulatorOptions } from "./core.js";
import { createHttp2Listener } from "./http.js";
import { yandexRestFace } from "./yandex/face.js";
import { createHuaweiFace } from "./huawei/face.js";
import type { RestFace } from "./rest-face.js";
import { startRestServer } from "./rest-server.js";
import type { Server as HttpServer } from "node:http";
import { createApiRegistry } from "../yandex/registry.js";

/** Options of {@link startEmulator}: the emulator's plus where to listen. */
export interface StartEmulatorOptions<C extends Clock = Clock> extends EmulatorOptions<C> {
  /** Interface to bind (default `127.0.0.1`; the emulator has no TLS and no real auth). */
  readonly host?: string;
  /** Port (default 0: any free port; read it from `url` or `port`). */
  readonly port?: number;
  /** Largest request message accepted, in bytes (default 4 MiB, as gRPC servers default to). */
  readonly readMaxBytes?: number;
  /**
   * The REST/JSON faces served on {@link Emulator.restUrl} (HTTP/1.1, its own
   * port), tried in order. Default: the Yandex face, the AWS (EMR Serverless) face and the Huawei MRS face. Pass `[]` for no
   * REST server.
   */
  readonly restFaces?: readonly RestFace[];
  /** Port of the REST server (default 0: any free port). */
  readonly restPort?: number;
  /**
   * Whether the gRPC server compresses its responses. `"gzip"` (the
   * default, as before this option existed): a response message of 1 KiB or
   * more is gzip-compressed when the client advertises gzip in
   * `grpc-accept-encoding` (every Connect and grpc-js client does), so a
   * 1 MiB ListLog page costs the client a gunzip. `"none"`: responses go
   * out uncompressed whatever the client accepts, as from a gRPC server
   * with no send compressor; compressed requests are still read either way
   * (and answered with plain messages).
   * Benchmarks of the client's own throughput (log following) turn it off,
   * since with it on they mostly measure zlib. The REST server never
   * compresses.
   *
   * @example
   * ```ts
   * const emulator = await startEmulator({ compression: "none" });
   * ```
   */
  readonly compression?: EmulatorCompression;
}

/** How the emulator's gRPC server compresses responses; see {@link StartEmulatorOptions.compression}. */
export type EmulatorCompression = "gzip" | "none";

function compressionOf(value: unknown): EmulatorCompression {
  if (value === undefined || value === "gzip") return "gzip";
  if (value === "none") return value;
  throw new TypeError(`compression: expected "gzip" or "none", got ${JSON.stringify(value) ?? String(value)}`);
}

/**
 * A running emulator: a real gRPC-over-HTTP/2 (h2c) server.
 * Close it when done; `await using` works too.
 */
export class Emulator<C extends Clock = Clock> extends EmulatorControls<C> {
  /** `http://127.0.0.1:<port>`: the base URL for `createGrpcTransport`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * `http://127.0.0.1:<port>` of the REST/JSON server (HTTP/1.1): the base
   * URL for `createRestTransport`, or `createYandexCloud({ transport: "rest",
   * endpoint: emulator.restUrl })`. Empty when started with `restFaces: []`.
   */
  readonly restUrl: string;
  readonly #server: Http2Server;
  readonly #rest: HttpServer | undefined;
  readonly #sessions: Set<Http2Session>;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link startEmulator}. */
  constructor(core: EmulatorCore<C>, server: Http2Server, sessions: Set<Http2Session>, host: string, rest?: HttpServer) {
    super(core);
    this.#server = server;
    this.#sessions = sessions;
    this.#rest = rest;
    this.port = (server.address() as AddressInfo).port;
    const hostPart = host.includes(":") ? `[${host}]` : host;
    this.url = `http://${hostPart}:${this.port}`;
    this.restUrl = rest ? `http://${hostPart}:${(rest.address() as AddressInfo).port}` : "";
  }

  /**
   * Stops listening and drops every open connection (clients see their
   * calls in flight fail). Never hangs, even with clients that keep their
   * HTTP/2 sessions open; calling it again returns the same promise.
   */
  close(): Promise<void> {
    const rest = this.#rest;
    this.#closing ??= Promise.all([
      new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        for (const session of this.#sessions) session.destroy();
        this.#sessions.clear();
      }),
      new Promise<void>((resolve) => {
        if (!rest) return resolve();
        rest.close(() => resolve());
        rest.closeAllConnections();
      }),
    ]).then(() => undefined);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  override toJSON(): Record<string, unknown> {
    return { url: this.url, restUrl: this.restUrl, ...super.toJSON() };
  }
}

/**
 * Starts the emulator on `127.0.0.1` (any free port by default) and resolves
 * once it is listening.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
 * import { JobService } from "dataproc-connect/dataproc/v1";
 * import { ManualClock, startEmulator } from "dataproc-connect/testing";
 *
 * const clock = new ManualClock();
 * const emulator = await startEmulator({ clock });
 * const sessionManager = new Http2SessionManager(emulator.url);
 * const transport = createGrpcTransport({ baseUrl: emulator.url, sessionManager });
 * const jobs = createClient(JobService, transport);
 * const headers = { authorization: `Bearer ${emulator.iamToken}` };
 * const op = await jobs.create({ clusterId: emulator.clusters[0], jobSpec: … }, { headers });
 * clock.advance(5_000); // the job is DONE now
 * sessionManager.abort();
 * await emulator.close();
 * ```
 */
export async function startEmulator<C extends Clock = RealClock>(options: StartEmulatorOptions<C> = {}): Promise<Emulator<C>> {
  const compression = compressionOf(options.compression);
  const core = createEmulatorCore<C>(options);
  const host = options.host ?? "127.0.0.1";
  // Raw sockets by client port. The connection-reset fault destroys the TCP
  // socket: destroying the Http2Session itself from inside a request, with
  // other streams in flight, corrupted Node 20.20's heap (session.socket is a
  // proxy that refuses destroy(), hence this map).
  const sockets = new Map<number, Socket>();
  const listener = createHttp2Listener(core, {
    readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
    compressResponses: compression === "gzip",
    resetConnection: (session) => {
      const socket = sockets.get(session.socket.remotePort ?? -1);
      if (socket) socket.destroy();
      else session.destroy();
    },
  });
  const sessions = new Set<Http2Session>();
  const server = createServer(listener);
  // Without TCP_NODELAY, small gRPC frames wait for delayed ACKs: a single
  // HTTP/2 connection then tops out at a few hundred calls per second.
  server.on("connection", (socket: Socket) => {
    socket.setNoDelay(true);
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once("close", () => sockets.delete(port));
  });
  server.on("session", (session) => {
    sessions.add(session);
    session.on("error", () => {}); // a client's protocol error must not crash the server
    session.once("close", () => sessions.delete(session));
  });
  server.on("stream", (stream) => stream.on("error", () => {}));
  server.on("sessionError", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const faces = options.restFaces ?? [yandexRestFace(), core.aws.face, createHuaweiFace({ identity: core.huawei, clock: core.clock })];
  const rest =
    faces.length === 0
      ? undefined
      : await startRestServer(core, {
          host,
          port: options.restPort ?? 0,
          readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
          faces,
          registry: createApiRegistry(),
        }).catch((e: unknown) => {
          server.close();
          throw e;
        });
  return new Emulator(core, server, sessions, host, rest);
}

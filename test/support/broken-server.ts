// HTTP/2 servers that break every call in one precise way, to check how the
// client classifies transport failures (retry or not, hang or not).
import { constants, createServer } from "node:http2";
import type { Http2Session, ServerHttp2Stream } from "node:http2";
import type { AddressInfo, Socket } from "node:net";

/**
 * - `tcp-rst`: the TCP connection is reset (RST) when a request arrives, as
 *   a crashed load balancer or a NAT drop does; Node reports ECONNRESET.
 * - `headers-then-close`: response headers (HTTP 200, gRPC content type)
 *   are sent, then the stream ends with no trailers: no `grpc-status`.
 * - `rst-no-error`: the stream is reset with NO_ERROR before any response,
 *   as proxies (Envoy, Linkerd) do during a graceful shutdown.
 * - `hang`: the call is accepted and never answered, so a test can hold it
 *   in flight as long as it likes (see `arrived`).
 */
export type BreakMode = "tcp-rst" | "headers-then-close" | "rst-no-error" | "hang";

export interface BrokenServer {
  readonly url: string;
  /** Requests received so far (one per attempt). */
  readonly requests: () => number;
  /** Resolves once `n` calls have arrived in all. */
  arrived(n?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBrokenServer(mode: BreakMode): Promise<BrokenServer> {
  const sockets = new Map<number, Socket>();
  const sessions = new Set<Http2Session>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let requests = 0;
  const server = createServer();
  server.on("connection", (socket: Socket) => {
    if (socket.remotePort !== undefined) sockets.set(socket.remotePort, socket);
  });
  server.on("session", (session) => {
    sessions.add(session);
    session.on("error", () => {});
    session.once("close", () => sessions.delete(session));
  });
  server.on("stream", (stream: ServerHttp2Stream) => {
    requests++;
    stream.on("error", () => {});
    stream.resume();
    for (const w of waiters.filter((w) => requests >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    switch (mode) {
      case "tcp-rst": {
        const socket = sockets.get(stream.session?.socket.remotePort ?? -1);
        socket?.resetAndDestroy();
        break;
      }
      case "headers-then-close":
        stream.respond({ ":status": 200, "content-type": "application/grpc" });
        stream.end();
        break;
      case "rst-no-error":
        stream.close(constants.NGHTTP2_NO_ERROR);
        break;
      case "hang":
        break;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    arrived: (n = 1) => (requests >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

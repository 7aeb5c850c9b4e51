// An HTTP/2 server that accepts every gRPC call and never answers, so a test
// can hold a call in flight for as long as it likes and know when it arrived.
import { createServer } from "node:http2";
import type { Http2Session, ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";

export interface HangingServer {
  readonly url: string;
  /** Calls received so far. */
  readonly requests: () => number;
  /** Resolves once `n` calls have arrived in all. */
  arrived(n?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHangingServer(): Promise<HangingServer> {
  const sessions = new Set<Http2Session>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let requests = 0;
  const server = createServer();
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

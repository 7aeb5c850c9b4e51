// A small node:http server on 127.0.0.1 that answers every request through
// one function the test gives: a hostile or broken REST service in a few
// lines (alternating page tokens, an outage, a gateway echoing secrets).
import { createServer } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface JsonReply {
  readonly status?: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface JsonServer {
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startJsonServer(answer: (req: SeenRequest, n: number) => JsonReply): Promise<JsonServer> {
  const requests: SeenRequest[] = [];
  let url = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = { method: req.method ?? "", url: new URL(req.url ?? "/", url), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      const reply = answer(seen, requests.length);
      const body = reply.body === undefined ? "{}" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

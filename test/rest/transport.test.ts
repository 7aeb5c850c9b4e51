// The REST transport against a real HTTP/1.1 server on 127.0.0.1 that answers
// each test's script: statuses, bodies, resets. The transport is not mocked;
// only the far end is scripted.
import { CloudError } from "../../src/core/cloud-error.js";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRegistry } from "@bufbuild/protobuf";
import type { DescMethodUnary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { file_google_rpc_error_details, RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { failureOf } from "../../src/core/failure.js";
import { codeFromHttpStatus } from "../../src/rest/http-status.js";
import { createRestTransport } from "../../src/rest/transport.js";
import { yandexErrorDecoder } from "../../src/yandex/rest-errors.js";
import type { HttpRequestParts, JsonFieldHook, RestTransportOptions } from "../../src/rest/index.js";
import { restTestService } from "../support/rest-test-service.js";

const { service } = restTestService();
const registry = createRegistry(service.file, file_google_rpc_error_details);
const method = (name: string) => service.methods.find((m) => m.name === name)! as DescMethodUnary;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
let server: Server;
let base: string;
let seen: Seen[];
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;

beforeEach(async () => {
  seen = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const transport = (extra: Partial<RestTransportOptions> = {}) =>
  createRestTransport({ baseUrl: base, registry, errorDecoder: yandexErrorDecoder(registry), ...extra });
const call = (name: string, input: Record<string, unknown>, extra: Partial<RestTransportOptions> = {}, signal?: AbortSignal) =>
  transport(extra).unary(method(name), signal, undefined, { "x-client-request-id": "r1" }, input as never);
const failure = async (p: Promise<unknown>): Promise<ConnectError> => {
  try {
    await p;
  } catch (e) {
    return CloudError.from(e);
  }
  throw new Error("expected the call to fail");
};

describe("requests on the wire", () => {
  it("sends verb, encoded path, JSON body, content-type and interceptor headers", async () => {
    answer = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"id":"i 1","sizeBytes":"7"}');
    const res = await call("Cancel", { id: "i 1" });
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/items/i%201:cancel", body: "{}" });
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.headers["x-client-request-id"]).toBe("r1");
    expect(res.message).toMatchObject({ id: "i 1", sizeBytes: 7n });
  });

  it("a 204 with no body is an empty response message", async () => {
    answer = (_req, res) => res.writeHead(204).end();
    const res = await call("Delete", { id: "i" });
    expect(seen[0]!.method).toBe("DELETE");
    expect(seen[0]!.headers["content-type"]).toBeUndefined();
    expect(res.message).toMatchObject({ id: "", sizeBytes: 0n });
  });

  it("response_body: the HTTP body is that field of the response", async () => {
    answer = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"id":"x","displayName":"X"}');
    const res = await call("Peek", { id: "x" });
    expect(res.message).toMatchObject({ item: { id: "x", displayName: "X" }, etag: "" });
  });

  it("unknown fields and unknown enum values in a response are ignored", async () => {
    answer = (_req, res) => res.writeHead(200).end('{"id":"x","newField":{"a":1}}');
    expect((await call("Cancel", { id: "x" })).message).toMatchObject({ id: "x" });
  });

  it("the signer runs last, once per call, on the exact bytes sent, and its headers reach the server", async () => {
    answer = (_req, res) => res.writeHead(200).end("{}");
    const signed: HttpRequestParts[] = [];
    await call("Upload", { path: "a/b", item: { id: "i" } }, {
      signer: (request) => {
        signed.push(request);
        request.headers.set("x-signature", `${request.method} ${request.url.pathname}${request.url.search} ${new TextDecoder().decode(request.body)}`);
      },
    });
    expect(signed).toHaveLength(1);
    expect(seen[0]!.headers["x-signature"]).toBe('POST /v1/a/b:upload {"id":"i"}');
    expect(seen[0]!.headers["x-client-request-id"]).toBe("r1");
  });

  it("JsonFieldHooks rewrite field values per location on the way out and on the way in", async () => {
    answer = (_req, res) => res.writeHead(200).end('{"id":"x","sizeBytes":1700000000}');
    const where: string[] = [];
    const hook: JsonFieldHook = {
      write: (field, value, location) => {
        where.push(`${field.name}@${location}`);
        return field.name === "size_bytes" && typeof value === "string" ? Number(value) : value;
      },
      read: (field, value) => (field.name === "id" && typeof value === "string" ? value.toUpperCase() : value),
    };
    const res = await call("Upload", { path: "p/q", item: { id: "i", sizeBytes: 5n }, dryRun: true }, { jsonHooks: [hook] });
    expect(seen[0]!.body).toBe('{"id":"i","sizeBytes":5}');
    expect(where.sort()).toEqual(["dry_run@query", "id@body", "item@body", "path@path", "size_bytes@body"]);
    expect(res.message).toMatchObject({ id: "X", sizeBytes: 1700000000n });
  });

  it("streaming methods are UNIMPLEMENTED, marked local", async () => {
    const e = await failure(transport().stream({ ...method("Get"), methodKind: "server_streaming", parent: service } as never, undefined, undefined, undefined, (async function* () {})()));
    expect(e.code).toBe(Code.Unimplemented);
    expect(failureOf(e)).toEqual({ origin: "local" });
    expect(seen).toHaveLength(0);
  });
});

describe("errors", () => {
  it("decodes the Yandex body {code, message, details} with headers as metadata, marked server", async () => {
    answer = (_req, res) =>
      res
        .writeHead(404, { "content-type": "application/json", "x-request-id": "req-1", "x-server-trace-id": "trace-1" })
        .end(
          JSON.stringify({
            code: 5,
            message: "Job not found",
            details: [
              { "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId: "req-1", servingData: "trace-1" },
              { "@type": "type.googleapis.com/unknown.Type", x: 1 },
            ],
          }),
        );
    const e = await failure(call("Cancel", { id: "x" }));
    expect(e.code).toBe(Code.NotFound);
    expect(e.rawMessage).toBe("Job not found");
    expect(e.metadata.get("x-request-id")).toBe("req-1");
    expect(e.findDetails(RequestInfoSchema)[0]).toMatchObject({ requestId: "req-1", servingData: "trace-1" });
    expect(failureOf(e)).toEqual({ origin: "server" });
  });

  it.each([
    [400, Code.InvalidArgument], [401, Code.Unauthenticated], [403, Code.PermissionDenied], [404, Code.NotFound],
    [409, Code.Aborted], [429, Code.ResourceExhausted], [499, Code.Canceled], [501, Code.Unimplemented],
    [503, Code.Unavailable], [504, Code.DeadlineExceeded], [418, Code.FailedPrecondition], [500, Code.Internal], [599, Code.Internal],
  ])("HTTP %i without a Status body is %s", async (status, code) => {
    expect(codeFromHttpStatus(status)).toBe(code);
    answer = (_req, res) => res.writeHead(status, { "content-type": "text/html", "retry-after": "3" }).end("<html>proxy</html>");
    const e = await failure(call("Cancel", { id: "x" }));
    expect(e.code).toBe(code);
    expect(e.rawMessage).toContain(`HTTP ${status}`);
    expect(failureOf(e)).toEqual({ origin: "server", retryAfterMs: 3000 });
  });

  it("a connection reset before any answer is UNAVAILABLE, marked connection", async () => {
    answer = (req) => req.socket.destroy();
    const e = await failure(call("Cancel", { id: "x" }));
    expect(e.code).toBe(Code.Unavailable);
    expect(failureOf(e)).toEqual({ origin: "connection" });
  });

  it("a body cut short is marked connection", async () => {
    answer = (req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write('{"id":');
      res.once("finish", () => {});
      setImmediate(() => req.socket.destroy());
    };
    const e = await failure(call("Cancel", { id: "x" }));
    expect(failureOf(e)).toEqual({ origin: "connection" });
  });

  it("a 200 whose body is not JSON is INTERNAL from the server", async () => {
    answer = (_req, res) => res.writeHead(200).end("not json");
    const e = await failure(call("Cancel", { id: "x" }));
    expect(e.code).toBe(Code.Internal);
    expect(failureOf(e)?.origin).toBe("server");
  });

  it("aborting the call aborts the fetch in flight", async () => {
    const controller = new AbortController();
    answer = () => controller.abort(new Error("user gave up")); // never answers
    const e = await failure(call("Cancel", { id: "x" }, {}, controller.signal));
    expect(e.code).toBe(Code.Canceled);
    expect(seen).toHaveLength(1);
  });

  it("the call's deadline aborts the fetch in flight: DEADLINE_EXCEEDED", async () => {
    answer = () => {}; // never answers: only the deadline can end the call
    const e = await failure(transport().unary(method("Cancel"), undefined, 20, undefined, { id: "x" } as never));
    expect(e.code).toBe(Code.DeadlineExceeded);
  });

  it("a redirect is not followed (it would resend credentials elsewhere)", async () => {
    answer = (_req, res) => res.writeHead(302, { location: "http://example.invalid/" }).end();
    const e = await failure(call("Cancel", { id: "x" }, { fetch: (input, init) => fetch(input, init) }));
    expect(e.rawMessage).toContain("HTTP 302");
    expect(seen).toHaveLength(1);
  });
});

// Raw HTTP/2 requests a well-behaved client never sends: the emulator must
// answer each with a proper gRPC/HTTP error and stay up.
import { connect, constants } from "node:http2";
import type { ClientHttp2Session, IncomingHttpHeaders } from "node:http2";
import { Socket } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, decodeBinaryHeader } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import { ListJobsRequestSchema } from "../../src/yandex/dataproc/v1/index.js";
import { startEmulator } from "../../src/testing/index.js";
import { startHarness } from "../support/emulator-helpers.js";
import type { Harness } from "../support/emulator-helpers.js";

let h: Harness;
let session: ClientHttp2Session;
beforeAll(async () => {
  h = await startHarness({ readMaxBytes: 64 * 1024 });
  session = connect(h.emulator.url);
});
afterAll(async () => {
  session.close();
  await h.close();
});

interface RawResponse {
  /** Whether the response HEADERS frame ended the stream (a trailers-only response). */
  trailersOnly: boolean;
  status: number;
  headers: IncomingHttpHeaders;
  trailers: IncomingHttpHeaders;
  data: Buffer;
}

function raw(options: { path?: string; method?: string; contentType?: string; body?: Buffer; auth?: boolean }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ":method": options.method ?? "POST",
      ":path": options.path ?? "/yandex.cloud.dataproc.v1.JobService/List",
      "content-type": options.contentType ?? "application/grpc",
      te: "trailers",
      ...(options.auth === false ? {} : { authorization: `Bearer ${h.emulator.iamToken}` }),
    });
    let headers: IncomingHttpHeaders = {};
    let trailersOnly = false;
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on("response", (hd, flags) => {
      headers = hd;
      trailersOnly = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    });
    req.on("trailers", (tr) => (trailers = tr));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ trailersOnly, status: Number(headers[":status"]), headers, trailers, data: Buffer.concat(chunks) }));
    req.on("error", reject);
    if (options.method === "GET") req.end();
    else req.end(options.body ?? Buffer.alloc(0));
  });
}

function envelope(payload: Uint8Array, flags = 0, declaredLength = payload.length): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, payload]);
}

/** The gRPC status of a response: from trailers, or from headers for trailers-only responses. */
function grpcStatus(r: RawResponse): { code: number; message: string; requestInfo?: string } {
  const src = r.trailers["grpc-status"] !== undefined ? r.trailers : r.headers;
  const details = src["grpc-status-details-bin"];
  const status = typeof details === "string" ? decodeBinaryHeader(details, StatusSchema) : undefined;
  const info = status?.details.map((d) => anyUnpack(d, RequestInfoSchema)).find((x) => x !== undefined);
  return {
    code: Number(src["grpc-status"]),
    message: decodeURIComponent(String(src["grpc-message"] ?? "")),
    ...(info === undefined ? {} : { requestInfo: info.requestId }),
  };
}

const validList = () => toBinary(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: h.cluster }));

describe("protocol errors", () => {
  it("a valid raw gRPC call works (baseline for the raw client)", async () => {
    const r = await raw({ body: envelope(validList()) });
    expect(r.status).toBe(200);
    expect(r.trailersOnly).toBe(false);
    expect(grpcStatus(r).code).toBe(0);
    expect(r.headers["x-request-id"]).toBeDefined();
  });

  it("answers errors as trailers-only responses, so x-request-id arrives together with the status", async () => {
    const r = await raw({ body: envelope(validList()), auth: false });
    expect(r.trailersOnly).toBe(true);
    expect(r.data.length).toBe(0);
    const s = grpcStatus(r);
    expect(s.code).toBe(Code.Unauthenticated);
    expect(s.requestInfo).toBe(r.headers["x-request-id"]);
    expect(r.headers["x-server-trace-id"]).toBeDefined();
  });

  it("wrong content-type: HTTP 415 with grpc-status INVALID_ARGUMENT, request id and RequestInfo", async () => {
    for (const contentType of ["application/json", "application/connect+proto", "text/plain"]) {
      const r = await raw({ contentType, body: Buffer.from("{}") });
      expect(r.status).toBe(415);
      const s = grpcStatus(r);
      expect(s.code).toBe(Code.InvalidArgument);
      expect(s.message).toContain("content-type");
      expect(s.requestInfo).toBe(r.headers["x-request-id"]);
      expect(r.headers["x-server-trace-id"]).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it("GET: HTTP 405 with a gRPC status", async () => {
    const r = await raw({ method: "GET" });
    expect(r.status).toBe(405);
    expect(grpcStatus(r).code).toBe(Code.InvalidArgument);
  });

  it("unknown method: UNIMPLEMENTED", async () => {
    const r = await raw({ path: "/yandex.cloud.dataproc.v1.JobService/Delete", body: envelope(new Uint8Array()) });
    expect(r.status).toBe(200);
    const s = grpcStatus(r);
    expect(s.code).toBe(Code.Unimplemented);
    expect(s.requestInfo).toBe(r.headers["x-request-id"]);
  });

  it("malformed frames and undecodable messages: a gRPC error with RequestInfo", async () => {
    const cases: Record<string, Buffer> = {
      truncatedHeader: Buffer.from([0, 0, 0]),
      shortBody: envelope(validList(), 0, 100),
      garbageProto: envelope(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
      compressedWithoutEncoding: envelope(validList(), 1),
      twoMessagesForUnary: Buffer.concat([envelope(validList()), envelope(validList())]),
    };
    for (const [name, body] of Object.entries(cases)) {
      const r = await raw({ body });
      const s = grpcStatus(r);
      expect(s.code, name).not.toBe(0);
      expect(Number.isNaN(s.code), name).toBe(false);
      expect(s.requestInfo, name).toBe(r.headers["x-request-id"]);
    }
  });

  it("oversized messages: RESOURCE_EXHAUSTED", async () => {
    const big = Buffer.alloc(200 * 1024, 0x41);
    const r = await raw({ body: envelope(big) });
    const s = grpcStatus(r);
    expect(s.code).toBe(Code.ResourceExhausted);
    expect(s.requestInfo).toBe(r.headers["x-request-id"]);
    // a declared length over the limit is refused without reading the body
    const declared = await raw({ body: envelope(Buffer.alloc(10), 0, 1 << 30) });
    expect(grpcStatus(declared).code).toBe(Code.ResourceExhausted);
  });

  it("records calls that failed before any handler in the call log", async () => {
    const mark = h.emulator.mark();
    await raw({ contentType: "application/json", body: Buffer.from("{}") });
    await raw({ body: Buffer.from([0, 0, 0]) });
    // Such calls are logged when their stream closes, which may be just after the answer arrives.
    await h.emulator.waitForCalls("", 2, { since: mark });
    expect(h.emulator.callsSince(mark).map((c) => [c.method, c.outcome])).toEqual([
      ["/yandex.cloud.dataproc.v1.JobService/List", "INVALID_ARGUMENT"],
      ["/yandex.cloud.dataproc.v1.JobService/List", expect.stringMatching(/^[A-Z_]+$/)],
    ]);
    expect(h.emulator.callsSince(mark)[0]!.headers["authorization"]).toBe("Bearer [REDACTED]");
  });

  it("stays up: after all of the above, and after a client speaking garbage, normal calls succeed", async () => {
    const port = Number(new URL(h.emulator.url).port);
    await new Promise<void>((resolve) => {
      const socket = new Socket();
      socket.connect(port, "127.0.0.1", () => socket.end("GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\x01garbage"));
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
      socket.resume();
    });
    const page = await h.dataproc.list({ clusterId: h.cluster }, h.auth);
    expect(page.nextPageToken).toBe("");
    expect(grpcStatus(await raw({ body: envelope(validList()) })).code).toBe(0);
  });
});

describe("close()", () => {
  it("does not hang when clients keep HTTP/2 sessions open, and is idempotent", async () => {
    const emulator = await startEmulator();
    const client = connect(emulator.url);
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    // A hang would hit the test timeout; no wall-clock bound needed.
    await Promise.all([emulator.close(), emulator.close()]);
    await closed;
    client.destroy();
  });
});

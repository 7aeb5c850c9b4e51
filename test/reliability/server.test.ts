// The emulator as a server, beyond emulator-robustness.test.ts: every method
// of every service gets truncated, oversized and malformed messages and
// wrong content types; then floods of 1 000 concurrent streams on one HTTP/2
// session (valid, malformed, with absurd declared lengths, and abandoned
// halfway). Every stream must get a proper gRPC status (or be torn down by
// its own client), memory must stay bounded, and the server must keep
// serving normal calls.
import { connect, constants } from "node:http2";
import type { ClientHttp2Session, IncomingHttpHeaders } from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetJobRequestSchema, JobService as DataprocJobService, ListJobsRequestSchema } from "../../src/yandex/dataproc/v1/index.js";
import { IamTokenService } from "../../src/yandex/iam/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { SecretScan } from "../support/secret-scan.js";

const scan = new SecretScan();
scan.captureConsole();
const internalErrors: unknown[] = [];

let emulator: Emulator<ManualClock>;
let session: ClientHttp2Session;
const readMaxBytes = 64 * 1024;
beforeAll(async () => {
  emulator = await startEmulator({
    clock: new ManualClock(),
    readMaxBytes,
    callLogLimit: 1_000,
    onInternalError: (error) => internalErrors.push(error),
  });
  scan.secret(emulator.iamToken);
  session = connect(emulator.url);
  await new Promise<void>((resolve) => session.once("remoteSettings", () => resolve()));
});
afterAll(async () => {
  scan.text("call log", JSON.stringify(emulator.calls));
  session.close();
  await emulator.close();
  // The suite-wide audit, whatever order the tests ran in: no token appears
  // in any answer, log line or call log entry of this suite.
  expect(scan.leaks()).toEqual([]);
});

interface Answer {
  /** HTTP status, 0 when the stream was reset with no response. */
  status: number;
  /** grpc-status from trailers or a trailers-only response; NaN when absent. */
  grpc: number;
  message: string;
  requestId: string | undefined;
  rstCode: number;
}

function call(options: {
  path: string;
  body?: Buffer;
  contentType?: string;
  auth?: boolean;
  /** Send only this many bytes of the body, then reset the stream with CANCEL. */
  abandonAfter?: number;
  on?: ClientHttp2Session;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const s = options.on ?? session;
    if (s.destroyed || s.closed) return reject(new Error("session gone"));
    const req = s.request({
      ":method": "POST",
      ":path": options.path,
      "content-type": options.contentType ?? "application/grpc",
      te: "trailers",
      ...(options.auth === false ? {} : { authorization: `Bearer ${emulator.iamToken}` }),
    });
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    req.on("response", (h) => (headers = h));
    req.on("trailers", (t) => (trailers = t));
    req.on("error", () => {});
    req.resume();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const src = trailers["grpc-status"] !== undefined ? trailers : headers;
      resolve({
        status: Number(headers[":status"] ?? 0),
        grpc: Number(src["grpc-status"] ?? Number.NaN),
        message: decodeURIComponent(String(src["grpc-message"] ?? "")),
        requestId: headers["x-request-id"] as string | undefined,
        rstCode: req.rstCode ?? 0,
      });
      // The server may answer before reading the whole body (an oversized
      // message): stop sending it, as a well-behaved client does, so the
      // unsent rest does not sit in this session's flow-control window.
      if (!req.closed && !req.writableFinished) req.close(constants.NGHTTP2_CANCEL);
    };
    req.on("end", finish);
    req.on("close", finish);
    const body = options.body ?? Buffer.alloc(0);
    if (options.abandonAfter !== undefined) {
      req.write(body.subarray(0, options.abandonAfter), () => setImmediate(() => req.close(constants.NGHTTP2_CANCEL)));
    } else {
      req.end(body);
    }
  });
}

function envelope(payload: Uint8Array, flags = 0, declaredLength = payload.length): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, payload]);
}

const methods = [DataprocJobService, SparkJobService, OperationService, IamTokenService].flatMap((s) =>
  s.methods.map((m) => `/${s.typeName}/${m.name}`),
);

/** A proper gRPC error: a numeric non-OK status with a request id, as every emulator answer has. */
function expectGrpcError(a: Answer, what: string, code?: Code): void {
  expect(Number.isInteger(a.grpc), `${what}: grpc-status`).toBe(true);
  expect(a.grpc, what).not.toBe(0);
  if (code !== undefined) expect(a.grpc, `${what}: ${a.message}`).toBe(code);
  expect(a.requestId, what).toMatch(/^[0-9a-f-]{36}$/);
  expect(a.message, what).not.toContain(emulator.iamToken);
}

describe("malformed requests on every method", () => {
  it("covers all 13 methods of the four services", () => {
    expect(methods).toHaveLength(13);
  });

  it("truncated message (length prefix larger than the body): INVALID_ARGUMENT-class error, per method", async () => {
    const answers = await Promise.all(methods.map((path) => call({ path, body: envelope(Buffer.from([0x0a, 0x02, 0x61, 0x62]), 0, 64) })));
    answers.forEach((a, i) => expectGrpcError(a, methods[i]!));
    expect(new Set(answers.map((a) => a.grpc)).size).toBe(1); // the same answer everywhere
  });

  it("oversized message (over readMaxBytes): RESOURCE_EXHAUSTED, per method, also when only declared", async () => {
    const big = Buffer.alloc(readMaxBytes + 1024, 0x41);
    const sent = await Promise.all(methods.map((path) => call({ path, body: envelope(big) })));
    const declared = await Promise.all(methods.map((path) => call({ path, body: envelope(Buffer.alloc(8), 0, 0x7fffffff) })));
    sent.forEach((a, i) => expectGrpcError(a, `sent ${methods[i]}`, Code.ResourceExhausted));
    declared.forEach((a, i) => expectGrpcError(a, `declared ${methods[i]}`, Code.ResourceExhausted));
  });

  it("wrong content types: HTTP 415 with grpc-status INVALID_ARGUMENT, per method", async () => {
    const types = ["application/json", "application/grpc-web+proto", "application/connect+proto", "text/html", ""];
    const answers = await Promise.all(
      methods.flatMap((path) => types.map((contentType) => call({ path, contentType, body: Buffer.from("{}") }))),
    );
    for (const a of answers) {
      expect(a.status).toBe(415);
      expectGrpcError(a, "content-type", Code.InvalidArgument);
    }
  });

  it("malformed frames: garbage protobuf, a cut header, a compressed flag with no encoding, two messages for a unary call", async () => {
    const valid = toBinary(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: emulator.clusters[0]! }));
    const bodies: Record<string, Buffer> = {
      garbageProto: envelope(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f])),
      cutHeader: Buffer.from([0, 0, 0]),
      compressedFlag: envelope(valid, 1),
      twoMessages: Buffer.concat([envelope(valid), envelope(valid)]),
      wrongWireType: envelope(Buffer.from([0x0d, 0x01, 0x02, 0x03, 0x04])), // field 1 as fixed32, not a string
    };
    for (const path of methods) {
      const answers = await Promise.all(Object.values(bodies).map((body) => call({ path, body })));
      answers.forEach((a, i) => expectGrpcError(a, `${path} ${Object.keys(bodies)[i]}`));
    }
  });

  // FIXED FINDING (minor): the emulator accepted a gRPC message whose flags byte is
  // 0x80 (neither 0 nor 1) as an uncompressed message: the Connect adapter
  // reads the byte as Connect's end-stream flag. grpc-go rejects it
  // ("grpc: received unexpected payload format 128", INTERNAL), so a client
  // bug the real API would refuse passes here. Fix: in createHttp2Listener,
  // refuse envelopes whose flags have bits other than 0x01 set.
  it("a message with an undefined flags byte (0x80) is refused with INTERNAL, as grpc-go does", async () => {
    const valid = toBinary(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: emulator.clusters[0]! }));
    const answer = await call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body: envelope(valid, 0x80) });
    expectGrpcError(answer, "flags 0x80", Code.Internal);
    expect(answer.message).toContain("unexpected payload format 128");
  });

  it("a well-formed call on the same session still works", async () => {
    const body = envelope(toBinary(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: emulator.clusters[0]! })));
    const a = await call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body });
    expect(a.grpc).toBe(0);
    expect(internalErrors).toEqual([]);
  });
});

describe("floods of 1 000 concurrent streams on one HTTP/2 session", () => {
  const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
  // A leak bound, not a memory target (those live in bench/): RSS growth after a
  // flood is allocator high-water, 40-105 MB across Node 20-24 and GC timing; a
  // server that buffered the declared sizes or kept every stream would grow by
  // gigabytes. Tighter figures need a forced GC and belong in a benchmark.
  const leakBoundMb = 256;
  const listBody = () => envelope(toBinary(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: emulator.clusters[0]! })));
  const getBody = envelope(toBinary(GetJobRequestSchema, create(GetJobRequestSchema, { clusterId: "c9qnosuchcluster0001", jobId: "c9qjob" })));

  /** Opens `n` streams at once (in batches the server's MAX_CONCURRENT_STREAMS allows). */
  async function flood(n: number, make: (i: number) => Promise<Answer>): Promise<Answer[]> {
    const limit = Math.min(n, session.remoteSettings.maxConcurrentStreams ?? n);
    const out: Answer[] = [];
    for (let start = 0; start < n; start += limit) {
      out.push(...(await Promise.all(Array.from({ length: Math.min(limit, n - start) }, (_, j) => make(start + j)))));
    }
    return out;
  }

  it("the server lets all 1 000 streams run at once", () => {
    expect(session.remoteSettings.maxConcurrentStreams ?? Infinity).toBeGreaterThanOrEqual(1_000);
  });

  it("1 000 mixed valid and malformed calls: each gets its gRPC status, memory bounded, server up", async () => {
    const before = rssMb();
    // declaredHuge: a 2 GiB length prefix, refused without allocating it.
    const kinds = ["valid", "notFound", "truncated", "garbage", "contentType", "declaredHuge", "unauthenticated", "unknownMethod"] as const;
    const answers = await flood(1_000, (i) => {
      switch (kinds[i % kinds.length]!) {
        case "valid":
          return call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body: listBody() });
        case "notFound":
          return call({ path: "/yandex.cloud.spark.v1.JobService/Get", body: getBody });
        case "truncated":
          return call({ path: "/yandex.cloud.dataproc.v1.JobService/Get", body: envelope(Buffer.from([0x0a]), 0, 100) });
        case "garbage":
          return call({ path: "/yandex.cloud.operation.OperationService/Get", body: envelope(Buffer.from([0xff, 0xff, 0xff])) });
        case "contentType":
          return call({ path: "/yandex.cloud.dataproc.v1.JobService/Create", contentType: "application/json", body: Buffer.from("{}") });
        case "declaredHuge":
          return call({ path: "/yandex.cloud.spark.v1.JobService/Create", body: envelope(Buffer.alloc(16), 0, 0x7fffffff) });
        case "unauthenticated":
          return call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body: listBody(), auth: false });
        case "unknownMethod":
          return call({ path: "/yandex.cloud.dataproc.v1.JobService/Delete", body: listBody() });
      }
    });
    const growth = rssMb() - before;
    expect(answers).toHaveLength(1_000);
    const byKind = new Map<string, Set<number>>();
    answers.forEach((a, i) => {
      const kind = kinds[i % kinds.length]!;
      byKind.set(kind, (byKind.get(kind) ?? new Set()).add(a.grpc));
      if (kind === "valid") expect(a.grpc).toBe(0);
      else expectGrpcError(a, kind);
    });
    expect(Object.fromEntries([...byKind].map(([k, v]) => [k, [...v]]))).toEqual({
      valid: [0],
      notFound: [Code.NotFound],
      truncated: [byKind.get("truncated")!.values().next().value],
      garbage: [byKind.get("garbage")!.values().next().value],
      contentType: [Code.InvalidArgument],
      declaredHuge: [Code.ResourceExhausted],
      unauthenticated: [Code.Unauthenticated],
      unknownMethod: [Code.Unimplemented],
    });
    expect(growth).toBeLessThan(leakBoundMb);
    expect(internalErrors).toEqual([]);
  });

  it("300 streams abandoned halfway through their body: every stream settles, the server survives, memory bounded", async () => {
    // On a session of its own. (A burst of 1 000 RST_STREAMs would be the
    // HTTP/2 "rapid reset" attack, CVE-2023-44487, which nghttp2 answers by
    // ending the session with GOAWAY: the right defence, not tested here.)
    const attacker = connect(emulator.url);
    attacker.on("error", () => {});
    await new Promise<void>((resolve) => attacker.once("remoteSettings", () => resolve()));
    const before = rssMb();
    const half = envelope(Buffer.alloc(32 * 1024, 0x61), 0); // a 32 KiB message, cut at 8 KiB
    // Every stream must settle: one that hangs holds the test to its timeout.
    const settled = await Promise.all(
      Array.from({ length: 300 }, () =>
        call({ path: "/yandex.cloud.dataproc.v1.JobService/Create", body: half, abandonAfter: 8 * 1024, on: attacker }).catch(() => "session gone"),
      ),
    );
    expect(settled).toHaveLength(300);
    expect(rssMb() - before).toBeLessThan(leakBoundMb);
    attacker.destroy();
    const ok = await call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body: listBody() });
    expect(ok.grpc).toBe(0);
  });

  it("after the floods: a fresh session and the existing one both get normal answers, and nothing was an internal error", async () => {
    const fresh = connect(emulator.url);
    try {
      const [a, b] = await Promise.all([
        call({ path: "/yandex.cloud.dataproc.v1.JobService/List", body: listBody(), on: fresh }),
        call({ path: "/yandex.cloud.spark.v1.JobService/List", body: listBody() }),
      ]);
      expect([a.grpc, b.grpc]).toEqual([0, 0]);
    } finally {
      fresh.close();
    }
    expect(internalErrors).toEqual([]);
    // The call log stays bounded however many calls came in.
    expect(emulator.calls.length).toBeLessThanOrEqual(1_000);
  });
});

describe("oversized requests through the client", () => {
  // FIXED FINDING (client): an over-limit request wedged the client's connection.
  // Client validation allows Create requests far above the 4 MiB gRPC limit
  // (e.g. pyspark args: 2 500 × 100 000 characters). The server answers
  // RESOURCE_EXHAUSTED "message size … is larger than configured
  // readMaxBytes"; the retry policy retries it (same 5.4 MB sent again), and
  // the unsent rest of each attempt stays queued in the client's HTTP/2
  // session until it passes Node's maxSessionMemory (10 MB): from then on
  // every call on that session — any method — fails with "[internal] Stream
  // closed with error code NGHTTP2_ENHANCE_YOUR_CALM", and since the session
  // is never closed, Http2SessionManager never replaces it (only close() and
  // a new createYandexCloud recover). Measured: 3 attempts, then 3 of 3
  // unrelated List calls failed; with maxSessionMemory 100 the same calls work.
  // The API states no request size limit, so the client sets none; instead
  // (src/client/grpc-session.ts) the server's RESOURCE_EXHAUSTED for an
  // oversized message is a final error (never retried), and a session that
  // hits ENHANCE_YOUR_CALM is dropped so the next call reconnects.
  it("a request over the server's limit fails once, and the connection keeps working", async () => {
    const { createYandexCloud, iamToken, dataprocJobs } = await import("../../src/index.js");
    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), retry: { initialDelayMs: 1, maxDelayMs: 2 } });
    try {
      const jobs = cloud.client(DataprocJobService);
      await jobs.list({ clusterId: emulator.clusters[0]! });
      const mark = emulator.mark();
      const args = Array.from({ length: 60 }, () => "x".repeat(90_000)); // 5.4 MB, valid for the client's validation
      const error = await jobs.create({ clusterId: emulator.clusters[0]!, jobSpec: dataprocJobs.pyspark({ mainPythonFileUri: "s3a://b/m.py", args }) }).catch((e: unknown) => e);
      expect((error as { code?: Code }).code).toBe(Code.ResourceExhausted);
      expect(String((error as Error).message)).toMatch(/request too large for the server/);
      await emulator.waitForCalls("JobService/Create", 1, { since: mark }); // logged when its stream closes
      expect(emulator.callsSince(mark, "JobService/Create").map((c) => c.outcome)).toEqual(["RESOURCE_EXHAUSTED"]); // not retried
      for (let i = 0; i < 3; i++) await jobs.list({ clusterId: emulator.clusters[0]! });
    } finally {
      cloud.close();
    }
  });
});

// Hostile servers and inputs (issue 24, items 1, 2 and 8): raw node:http and
// node:http2 servers on 127.0.0.1 that answer gRPC as HTTP/1.1, send an
// 80 MiB frame or a gzip bomb, reset a stream mid-message, send a garbage
// grpc-status-details-bin, or stall a metadata answer after its headers; and
// ids that cannot be put in a URL. Each test owns its server and asserts on
// what the client reports and what the server saw.
import { spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { constants as h2, createServer as createHttp2Server } from "node:http2";
import type { ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import { AwsError, awsCredentials, createAwsCloud, fromAwsInstanceMetadata } from "../../src/aws/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { JobSchema, JobService } from "../../src/yandex/dataproc/v1/index.js";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService as HuaweiJobs } from "../../src/huawei/mrs/v2/index.js";
import { YandexCloudError, createYandexCloud, iamToken } from "../../src/index.js";
import type { YandexCloudOptions } from "../../src/index.js";
import { sourceEntry } from "../support/child-sources.js";

const MiB = 1024 * 1024;
/** Retries with no wall-clock wait: the backoff resolves at once. */
const instantSleep = (): Promise<void> => Promise.resolve();

// ─── servers ────────────────────────────────────────────────────────────────

interface Listening {
  readonly url: string;
  close(): Promise<void>;
}

async function listenH2(onStream: (stream: ServerHttp2Stream) => void): Promise<Listening> {
  const server = createHttp2Server();
  server.on("stream", (stream) => {
    stream.on("error", () => {}); // the client resets streams on purpose here
    onStream(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function listenH1(onRequest: (req: IncomingMessage, res: ServerResponse) => void): Promise<Listening> {
  const server = createHttpServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A gRPC length-prefixed message: flag byte, 4-byte big-endian length, bytes. */
function grpcFrame(bytes: Uint8Array, compressed = false, declaredLength = bytes.byteLength): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(compressed ? 1 : 0, 0);
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, bytes]);
}

/** Answers one gRPC message (optionally gzip-encoded) and an OK status. */
function answerGrpc(stream: ServerHttp2Stream, frame: Buffer, encoding?: string): void {
  stream.respond({ ":status": 200, "content-type": "application/grpc", ...(encoding ? { "grpc-encoding": encoding } : {}) }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  stream.end(frame);
}

function yandex(url: string, options: YandexCloudOptions = {}) {
  return createYandexCloud({ credentials: iamToken("t1"), endpoint: url, sleep: instantSleep, ...options });
}

async function failure<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

const getJob = { clusterId: "c9qcluster", jobId: "c9qjob" };

// ─── item 1: close() after a protocol failure ───────────────────────────────

describe("a gRPC endpoint that answers as HTTP/1.1", () => {
  it("fails the call with INTERNAL, and no sequence of calls, failures and close() crashes the process (child process)", async () => {
    const h1 = await listenH1((_req, res) => res.end("this is HTTP/1.1"));
    try {
      const index = pathToFileURL(sourceEntry("src/index.ts")).href;
      const dataproc = pathToFileURL(sourceEntry("src/yandex/dataproc/v1/index.ts")).href;
      // Each sequence once; the child prints one line per call outcome.
      const script = `
        import { createYandexCloud, iamToken } from ${JSON.stringify(index)};
        import { JobService } from ${JSON.stringify(dataproc)};
        const endpoint = ${JSON.stringify(h1.url)};
        const make = (retry) => createYandexCloud({ credentials: iamToken("t1"), endpoint, retry, sleep: () => Promise.resolve() });
        const get = (cloud) => cloud.client(JobService).get(${JSON.stringify(getJob)}).then(() => "OK", (e) => e.code + " " + e.rawMessage);
        const out = [];
        { const c = make(false); try { out.push("fail-then-close " + await get(c)); } finally { c.close(); } }
        { const c = make(false); const p = get(c); c.close(); out.push("close-in-flight " + await p); }
        { const c = make(false); const p = get(c); await new Promise((r) => setImmediate(r)); c.close(); out.push("close-next-turn " + await p); }
        { const c = make({ maxAttempts: 3 }); const r = await Promise.all([get(c), get(c)]); c.close(); out.push("retried-pair " + r.join(" | ")); out.push("after-close " + await get(c)); }
        { const c = make(false); out.push("twice " + await get(c) + " | " + await get(c)); c.close(); c.close(); }
        console.log(out.join("\\n"));
        // Printed before the late socket and session events: a crash after
        // it still shows in the exit code and on stderr.
        console.log("end of script");
      `;
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).toBe("");
      expect(exitCode).toBe(0);
      const canceled = `${Code.Canceled} client closed: cloud.close() was called`;
      const internal = `${Code.Internal} Protocol error`;
      expect(stdout.trim().split("\n")).toEqual([
        `fail-then-close ${internal}`,
        `close-in-flight ${canceled}`,
        `close-next-turn ${canceled}`,
        `retried-pair ${internal} | ${internal}`,
        `after-close ${canceled}`,
        `twice ${internal} | ${internal}`,
        "end of script",
      ]);
    } finally {
      await h1.close();
    }
  });
});

// ─── item 2: size limits on received messages ───────────────────────────────

describe("received message size limit (readMaxBytes)", () => {
  it("gRPC: an 80 MiB frame is refused after its length prefix with RESOURCE_EXHAUSTED naming the 16 MiB default, not retried, and the stream is reset", async () => {
    let streams = 0;
    let sent = 0;
    let serverStreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (serverStreamClosed = resolve));
    const server = await listenH2((stream) => {
      streams++;
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(grpcFrame(new Uint8Array(0), false, 80 * MiB));
      const chunk = Buffer.alloc(MiB);
      // Sends the 80 MiB body as fast as the client reads it.
      const pump = (): void => {
        while (!stream.destroyed && sent < 80 * MiB) {
          sent += chunk.byteLength;
          if (!stream.write(chunk)) return void stream.once("drain", pump);
        }
        if (!stream.destroyed) stream.end();
      };
      pump();
      stream.on("close", serverStreamClosed);
    });
    const cloud = yandex(server.url);
    try {
      const error = await failure(cloud.client(JobService).get(getJob), YandexCloudError);
      expect(error.code).toBe(Code.ResourceExhausted);
      expect(error.rawMessage).toMatch(/^response message too large \(message size 83886080 is larger than configured readMaxBytes 16777216\); raise the client's readMaxBytes option/);
      expect(error.attempts).toBe(1);
      expect(streams).toBe(1);
      await closed; // the client reset the stream instead of reading 80 MiB
      expect(sent).toBeLessThan(80 * MiB);
    } finally {
      cloud.close();
      await server.close();
    }
  });

  it("gRPC: a gzip bomb stops inflating at readMaxBytes (the bytes inflated are reported), RESOURCE_EXHAUSTED, not retried; a small gzip message still decodes", async () => {
    const bomb = gzipSync(Buffer.alloc(32 * MiB));
    expect(bomb.byteLength).toBeLessThan(64 * 1024); // ~32 KiB inflating 1 000×
    const job = gzipSync(toBinary(JobSchema, create(JobSchema, { id: "c9qjob", name: "gzipped" })));
    let streams = 0;
    let nextAnswer = bomb;
    const server = await listenH2((stream) => {
      streams++;
      answerGrpc(stream, grpcFrame(nextAnswer, true), "gzip");
    });
    const limited = yandex(server.url, { readMaxBytes: 4 * MiB });
    const byDefault = yandex(server.url);
    try {
      const error = await failure(limited.client(JobService).get(getJob), YandexCloudError);
      expect(error.code).toBe(Code.ResourceExhausted);
      const match = /larger than configured readMaxBytes 4194304 after decompression \(stopped after inflating (\d+) bytes\)/.exec(error.rawMessage);
      expect(match, error.rawMessage).not.toBeNull();
      const inflated = Number(match![1]);
      expect(inflated).toBeGreaterThan(4 * MiB);
      expect(inflated).toBeLessThanOrEqual(4 * MiB + 64 * 1024); // one inflate step past the limit, not 32 MiB
      expect(error.rawMessage).toMatch(/raise the client's readMaxBytes option/);
      expect(error.attempts).toBe(1);
      expect(streams).toBe(1);

      const byDefaultError = await failure(byDefault.client(JobService).get(getJob), YandexCloudError);
      expect(byDefaultError.code).toBe(Code.ResourceExhausted);
      expect(byDefaultError.rawMessage).toMatch(/readMaxBytes 16777216 after decompression \(stopped after inflating \d+ bytes\)/);
      expect(Number(/inflating (\d+) bytes/.exec(byDefaultError.rawMessage)![1])).toBeLessThanOrEqual(16 * MiB + 64 * 1024);
      expect(streams).toBe(2);

      nextAnswer = job;
      await expect(limited.client(JobService).get(getJob)).resolves.toMatchObject({ id: "c9qjob", name: "gzipped" });
    } finally {
      limited.close();
      byDefault.close();
      await server.close();
    }
  });

  it("REST, every factory: readMaxBytes caps the response body (RESOURCE_EXHAUSTED naming it, one attempt), and the default is 16 MiB", async () => {
    let requests = 0;
    let declare: number | undefined;
    const body = JSON.stringify({ padding: "x".repeat(4096) });
    const server = await listenH1((_req, res) => {
      requests++;
      if (declare !== undefined) {
        // Declares a body over the default limit; sends only its start.
        res.writeHead(200, { "content-type": "application/json", "content-length": String(declare) });
        res.write("{");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
    const yandexRest = yandex(server.url, { transport: "rest", readMaxBytes: 1024 });
    const aws = createAwsCloud({ region: "us-east-1", endpoint: server.url, credentials: awsCredentials({ accessKeyId: "AKID", secretAccessKey: "s" }), readMaxBytes: 1024, sleep: instantSleep });
    const huawei = createHuaweiCloud({
      region: "cn-north-4",
      projectId: "p1",
      endpoint: server.url,
      credentials: huaweiCredentials({ accessKey: "AK", secretKey: "SK" }),
      readMaxBytes: 1024,
      sleep: instantSleep,
    });
    const yandexDefault = yandex(server.url, { transport: "rest" });
    try {
      const errors = [
        await failure(yandexRest.client(JobService).get(getJob), YandexCloudError),
        await failure(aws.client(EmrServerless).getJobRun({ applicationId: "00app", jobRunId: "00run" }), AwsError),
        await failure(huawei.client(HuaweiJobs).showSingleJobExe({ clusterId: "c1", jobExecutionId: "j1" }), HuaweiCloudError),
      ];
      for (const error of errors) {
        expect(error.code).toBe(Code.ResourceExhausted);
        expect(error.rawMessage).toBe("response body larger than readMaxBytes (1024 bytes)");
        expect(error.attempts).toBe(1);
      }
      expect(requests).toBe(3);

      declare = 16 * MiB + 1;
      const byDefault = await failure(yandexDefault.client(JobService).get(getJob), YandexCloudError);
      expect(byDefault.code).toBe(Code.ResourceExhausted);
      expect(byDefault.rawMessage).toBe(`response body larger than readMaxBytes (${16 * MiB} bytes)`);
      expect(byDefault.attempts).toBe(1);
      expect(requests).toBe(4);
    } finally {
      for (const cloud of [yandexRest, aws, huawei, yandexDefault]) cloud.close();
      await server.close();
    }
  });

  it("a readMaxBytes that is not a whole number of bytes from 1 to 2^32-1 is refused by every factory, before any call", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 32]) {
      const expected = new RegExp(`readMaxBytes must be a whole number of bytes from 1 to 4294967295 \\(got ${String(bad).replace(".", "\\.")}\\)`);
      for (const make of [
        () => yandex("http://127.0.0.1:9", { readMaxBytes: bad }),
        () => createAwsCloud({ region: "us-east-1", credentials: awsCredentials({ accessKeyId: "A", secretAccessKey: "s" }), readMaxBytes: bad }),
        () => createHuaweiCloud({ region: "cn-north-4", projectId: "p1", credentials: huaweiCredentials({ accessKey: "AK", secretKey: "SK" }), readMaxBytes: bad }),
      ]) {
        let thrown: unknown;
        try {
          make();
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toMatchObject({ code: Code.InvalidArgument, attempts: 0 });
        expect((thrown as Error).message).toMatch(expected);
      }
    }
  });
});

// ─── item 8: codes that say what happened ───────────────────────────────────

describe("codes that say what happened", () => {
  it("gRPC RST_STREAM(INTERNAL_ERROR) in the middle of a message is INTERNAL, and a read-only call is retried", async () => {
    let streams = 0;
    const server = await listenH2((stream) => {
      streams++;
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      // 10 of the 100 bytes promised, then a reset.
      stream.write(grpcFrame(new Uint8Array(10), false, 100), () => stream.close(h2.NGHTTP2_INTERNAL_ERROR));
    });
    const cloud = yandex(server.url, { retry: { maxAttempts: 3 } });
    try {
      const error = await failure(cloud.client(JobService).get(getJob), YandexCloudError);
      expect(error.code).toBe(Code.Internal);
      expect(error.rawMessage).toMatch(/^the response ended in the middle of a message \(protocol error: incomplete envelope\)/);
      expect(error.attempts).toBe(3);
      expect(streams).toBe(3);
    } finally {
      cloud.close();
      await server.close();
    }
  });

  it("a garbage grpc-status-details-bin keeps the server's NOT_FOUND, drops the details and says so (trailers-only and trailers)", async () => {
    const notStatus = Buffer.from([0xff, 0xff, 0xff]).toString("base64"); // valid base64, not a google.rpc.Status
    const answers = [
      (stream: ServerHttp2Stream) =>
        stream.respond(
          { ":status": 200, "content-type": "application/grpc", "grpc-status": "5", "grpc-message": "job%20c9qjob%20not%20found", "grpc-status-details-bin": "!!not base64$$" },
          { endStream: true },
        ),
      (stream: ServerHttp2Stream) => {
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () =>
          stream.sendTrailers({ "grpc-status": "5", "grpc-message": "job%20c9qjob%20not%20found", "grpc-status-details-bin": notStatus }),
        );
        stream.end();
      },
      // A readable Status is still used as before.
      (stream: ServerHttp2Stream) => {
        const status = create(StatusSchema, { code: Code.NotFound, message: "from details" });
        const bin = Buffer.from(toBinary(StatusSchema, status)).toString("base64").replace(/=+$/, "");
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "5", "grpc-status-details-bin": bin }, { endStream: true });
      },
    ];
    let next = 0;
    const server = await listenH2((stream) => answers[next++]!(stream));
    const cloud = yandex(server.url);
    try {
      for (let i = 0; i < 2; i++) {
        const error = await failure(cloud.client(JobService).get(getJob), YandexCloudError);
        expect(error.code).toBe(Code.NotFound);
        expect(error.rawMessage).toBe("job c9qjob not found (the server's grpc-status-details-bin was not a google.rpc.Status; its details were dropped)");
        expect(error.details).toEqual([]);
        expect(error.attempts).toBe(1);
      }
      const readable = await failure(cloud.client(JobService).get(getJob), YandexCloudError);
      expect(readable.code).toBe(Code.NotFound);
      expect(readable.rawMessage).toBe("from details");
      expect(next).toBe(3);
    } finally {
      cloud.close();
      await server.close();
    }
  });

  it("an IMDS that stalls after its headers is UNAUTHENTICATED naming the source, not a bare CANCELED", async () => {
    let stalled!: () => void;
    const reachedStall = new Promise<void>((resolve) => (stalled = resolve));
    let apiCalls = 0;
    const imds = await listenH1((req, res) => {
      if (req.method === "PUT" && req.url === "/latest/api/token") return void res.end("imds-session-token");
      if (req.url === "/latest/meta-data/iam/security-credentials/") return void res.end("app-role");
      // The role's credentials: headers, a first byte, then nothing.
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      stalled();
    });
    const api = await listenH1((_req, res) => {
      apiCalls++;
      res.end("{}");
    });
    const aws = createAwsCloud({
      region: "us-east-1",
      endpoint: api.url,
      // The metadata deadline is what ends a stall; it is not what the test waits on.
      credentials: fromAwsInstanceMetadata({ endpoint: imds.url, env: {}, timeoutMs: 150 }),
      sleep: instantSleep,
    });
    try {
      const call = aws.client(EmrServerless).getJobRun({ applicationId: "00app", jobRunId: "00run" });
      await reachedStall;
      const error = await failure(call, AwsError);
      expect(error.code).toBe(Code.Unauthenticated);
      expect(error.rawMessage).toMatch(/instance metadata: http:\/\/127\.0\.0\.1:\d+\/latest\/meta-data\/iam\/security-credentials\/app-role answered HTTP 200 but its body did not arrive/);
      expect(apiCalls).toBe(0);
    } finally {
      aws.close();
      await imds.close();
      await api.close();
    }
  });

  it("`.` and `..` ids, and ids with a lone UTF-16 surrogate, are INVALID_ARGUMENT naming the field, with attempts 0 and nothing sent", async () => {
    let requests = 0;
    const server = await listenH1((_req, res) => {
      requests++;
      res.end("{}");
    });
    const yandexRest = yandex(server.url, { transport: "rest" });
    const huawei = createHuaweiCloud({ region: "cn-north-4", projectId: "p1", endpoint: server.url, credentials: huaweiCredentials({ accessKey: "AK", secretKey: "SK" }) });
    try {
      for (const jobId of [".", ".."]) {
        const error = await failure(yandexRest.client(JobService).get({ clusterId: "c9qcluster", jobId }), YandexCloudError);
        expect(error.code).toBe(Code.InvalidArgument);
        expect(error.rawMessage).toContain(`field job_id = ${JSON.stringify(jobId)} does not match the path pattern`);
        expect(error.attempts).toBe(0);
        const huaweiError = await failure(huawei.client(HuaweiJobs).showSingleJobExe({ clusterId: "c1", jobExecutionId: jobId }), HuaweiCloudError);
        expect(huaweiError.code).toBe(Code.InvalidArgument);
        expect(huaweiError.rawMessage).toContain(`field job_execution_id = ${JSON.stringify(jobId)} does not match the path pattern`);
        expect(huaweiError.attempts).toBe(0);
      }
      const lone = await failure(yandexRest.client(JobService).get({ clusterId: "c9qcluster", jobId: "c9q\uD800" }), YandexCloudError);
      expect(lone.code).toBe(Code.InvalidArgument);
      expect(lone.rawMessage).toMatch(/field job_id in the path GET \S+ holds a lone UTF-16 surrogate \(not valid Unicode\)/);
      expect(lone.attempts).toBe(0);
      const inQuery = await failure(yandexRest.client(JobService).list({ clusterId: "c9qcluster", filter: "name = \uDC00" }), YandexCloudError);
      expect(inQuery.code).toBe(Code.InvalidArgument);
      expect(inQuery.rawMessage).toMatch(/field filter \(query parameter\) holds a lone UTF-16 surrogate/);
      expect(inQuery.attempts).toBe(0);
      expect(requests).toBe(0);
    } finally {
      yandexRest.close();
      huawei.close();
      await server.close();
    }
  });
});

/**
 * The emulator's `compression` setting, seen on the wire: a 1 MiB ListLog
 * page to a client that advertises gzip is gzip-encoded by default and with
 * "gzip", and plain with "none" (grpc-encoding header and the envelope's
 * compressed flag); our client reads the same log either way.
 */
import { connect, constants } from "node:http2";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { fromBinary, toBinary, create } from "@bufbuild/protobuf";
import { ListJobLogRequestSchema, ListJobLogResponseSchema, JobService } from "../../src/yandex/dataproc/v1/index.js";
import { createYandexCloud, iamToken, jobLogs } from "../../src/index.js";
import { runCli } from "../../src/cli/run.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator, EmulatorCompression } from "../../src/testing/index.js";

const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

const logBytes = 1024 * 1024;

async function emulatorWithFinishedJob(compression?: EmulatorCompression) {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, ...(compression ? { compression } : {}), restFaces: [], jobTiming: { provisioningMs: 0, pendingMs: 0 } });
  running.push(emulator);
  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
  const clusterId = emulator.clusters[0]!;
  const operation = await cloud.client(JobService).create({
    clusterId,
    jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": "1000", "emulator.log_bytes": String(logBytes) } } },
  });
  const job = await operation.wait();
  return { emulator, cloud, ref: { clusterId, jobId: job.id } };
}

function envelope(message: Uint8Array, compressed: boolean): Buffer {
  const body = compressed ? gzipSync(message) : Buffer.from(message);
  const out = Buffer.alloc(5 + body.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

/** One raw gRPC ListLog call over HTTP/2: the response headers, the envelope flag and the decoded page. */
async function rawListLog(emulator: { url: string; iamToken: string }, ref: { clusterId: string; jobId: string }, options: { compressRequest?: boolean } = {}) {
  const session = connect(emulator.url);
  try {
    const request = toBinary(ListJobLogRequestSchema, create(ListJobLogRequestSchema, { ...ref, pageSize: BigInt(logBytes) }));
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: "POST",
      [constants.HTTP2_HEADER_PATH]: `/${JobService.typeName}/ListLog`,
      "content-type": "application/grpc",
      te: "trailers",
      authorization: `Bearer ${emulator.iamToken}`,
      "grpc-accept-encoding": "gzip",
      ...(options.compressRequest ? { "grpc-encoding": "gzip" } : {}),
    });
    stream.end(envelope(request, options.compressRequest ?? false));
    const headers = await new Promise<Record<string, unknown>>((resolve) => stream.once("response", resolve));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const flag = body[0];
    const payload = body.subarray(5, 5 + body.readUInt32BE(1));
    const page = fromBinary(ListJobLogResponseSchema, flag === 1 ? gunzipSync(payload) : payload);
    return { encoding: headers["grpc-encoding"], flag, wireBytes: body.length, contentLength: page.content.length };
  } finally {
    session.close();
  }
}

async function readAll(cloud: ReturnType<typeof createYandexCloud>, ref: { clusterId: string; jobId: string }): Promise<number> {
  let length = 0;
  for await (const text of jobLogs(cloud, JobService, ref)) length += text.length;
  return length;
}

describe("emulator compression setting", () => {
  it("default and \"gzip\": a 1 MiB ListLog page to a gzip-accepting client is gzip-encoded on the wire", async () => {
    for (const setting of [undefined, "gzip"] as const) {
      const { emulator, cloud, ref } = await emulatorWithFinishedJob(setting);
      const raw = await rawListLog(emulator, ref);
      expect(raw).toMatchObject({ encoding: "gzip", flag: 1 });
      expect(raw.contentLength).toBeGreaterThan(logBytes * 0.9); // the emulator's log ends at a line close to log_bytes
      expect(raw.wireBytes).toBeLessThan(raw.contentLength / 2); // its text compresses well
      expect(await readAll(cloud, ref)).toBe(raw.contentLength);
      cloud.close();
    }
  });

  it("\"none\": the same page goes out plain (no grpc-encoding, flag 0), and a gzip request is still read", async () => {
    const { emulator, cloud, ref } = await emulatorWithFinishedJob("none");
    const raw = await rawListLog(emulator, ref);
    expect(raw).toMatchObject({ encoding: undefined, flag: 0 });
    expect(raw.contentLength).toBeGreaterThan(logBytes * 0.9);
    expect(raw.wireBytes).toBeGreaterThan(raw.contentLength);
    const compressedRequest = await rawListLog(emulator, ref, { compressRequest: true });
    // Connect answers a gzip request in gzip; with "none" the messages still go out plain (flag 0).
    expect(compressedRequest).toMatchObject({ flag: 0, contentLength: raw.contentLength });
    expect(await readAll(cloud, ref)).toBe(raw.contentLength);
    cloud.close();
  });

  it("a bad setting is a TypeError naming the option", async () => {
    await expect(startEmulator({ compression: "br" as never })).rejects.toThrow(new TypeError('compression: expected "gzip" or "none", got "br"'));
  });
});

describe("dataproc-connect emulator --compression", () => {
  it("none: ListLog answers plain; a value other than gzip or none is a usage error", async () => {
    const out: string[] = [];
    const controller = new AbortController();
    let printed!: () => void;
    const ready = new Promise<void>((resolve) => (printed = resolve));
    const exit = runCli(["emulator", "--port", "0", "--compression", "none"], {
      stdout: {
        write: (text) => {
          out.push(...text.replace(/\n$/, "").split("\n"));
          if (out.length >= 2) printed();
          return true;
        },
      },
      stderr: { write: () => true },
      signal: controller.signal,
    });
    await ready;
    const url = out[0]!.split(" ").at(-1)!;
    const token = out[1]!.slice("IAM token: ".length);
    const cloud = createYandexCloud({ endpoint: url, credentials: iamToken(token) });
    try {
      const clusterId = "c9qemulator0cluster1";
      const operation = await cloud.client(JobService).create({
        clusterId,
        jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": "0", "emulator.log_bytes": "65536" } } },
      });
      const job = await operation.wait({ initialDelayMs: 50, maxDelayMs: 100 });
      expect(await rawListLog({ url, iamToken: token }, { clusterId, jobId: job.id })).toMatchObject({ encoding: undefined, flag: 0 });
    } finally {
      cloud.close();
      controller.abort();
    }
    expect(await exit).toBe(0);
    const errors: string[] = [];
    const bad = runCli(["emulator", "--compression", "br"], { stdout: { write: () => true }, stderr: { write: (t) => errors.push(t) > 0 }, signal: new AbortController().signal });
    expect(await bad).toBe(2);
    expect(errors.join("")).toMatch(/--compression must be gzip or none/);
  });
});

import { createServer } from "node:http";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { JobService, Job_Status } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { RequestInfoSchema } from "../../src/yandex/operation/index.js";
import {
  YandexCloudError,
  createYandexCloud,
  dataprocJobs,
  iamToken,
  metadataService,
  oauthToken,
  serviceAccountKey,
} from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import type { Credentials } from "../../src/index.js";

let h: ClientHarness;
beforeEach(async () => {
  h = await startClientHarness({ oauthTokens: ["y0_oauth-secret-token"], tokenLifetimeMs: 3_600_000 });
});
afterEach(async () => {
  await h.close();
});

const spark = (properties: Record<string, string> = {}) => dataprocJobs.spark({ mainJarFileUri: "s3a://bucket/app.jar", properties });

describe("credentials end to end", () => {
  it("service account key file → PS256 JWT → IAM token → job call", async () => {
    const key = await h.emulator.createServiceAccountKey();
    const path = join(mkdtempSync(join(tmpdir(), "dc-key-")), "key.json");
    writeFileSync(path, JSON.stringify(key));
    const cloud = h.cloud({ credentials: serviceAccountKey(path) });
    const { jobs } = await cloud.client(JobService).list({ clusterId: h.cluster });
    expect(jobs).toEqual([]);
    const creates = h.emulator.callsTo("IamTokenService/Create");
    expect(creates).toHaveLength(1);
    expect(creates[0]!.outcome).toBe("ok");
    expect(h.emulator.callsTo("JobService/List")[0]!.outcome).toBe("ok");
  });

  it("OAuth token → IAM token → job call", async () => {
    const cloud = h.cloud({ credentials: oauthToken("y0_oauth-secret-token") });
    await cloud.client(JobService).list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("IamTokenService/Create").map((c) => c.outcome)).toEqual(["ok"]);
  });

  it("a fixed IAM token goes straight to the service", async () => {
    const cloud = h.cloud({ credentials: iamToken(h.emulator.iamToken) });
    await cloud.client(SparkJobService).list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(0);
  });

  it("the VM metadata service's token → job call", async () => {
    const vmToken = h.emulator.issueToken("ajevmserviceaccount1");
    const server = createServer((_, res) => res.end(JSON.stringify({ access_token: vmToken, expires_in: 3600, token_type: "Bearer" })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
      const cloud = h.cloud({ credentials: metadataService({ address }) });
      const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: spark() });
      expect(op.decodedMetadata?.jobId).toMatch(/.+/);
    } finally {
      server.close();
    }
  });

  it("refreshes the token near expiry on the emulator clock, lazily", async () => {
    const key = await h.emulator.createServiceAccountKey();
    const cloud = h.cloud({ credentials: serviceAccountKey(key) });
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: h.cluster });
    h.clock.advance(20 * 60_000);
    await jobs.list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(1);
    h.clock.advance(15 * 60_000); // past half of the 1 h lifetime: refresh in the background
    await jobs.list({ clusterId: h.cluster });
    // The refresh runs behind the call: wait for it on the call log, not on time.
    await h.emulator.waitForCalls("IamTokenService/Create", 2, { outcome: "ok" });
    await h.emulator.whenIdle();
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(2);
    h.clock.advance(59 * 60_000); // the first token is gone; the second still works
    await jobs.list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("JobService/List").every((c) => c.outcome === "ok")).toBe(true);
  });

  it("100 concurrent calls during a refresh make exactly one IamTokenService.Create", async () => {
    const key = await h.emulator.createServiceAccountKey();
    const cloud = h.cloud({ credentials: serviceAccountKey(key) });
    const jobs = cloud.client(JobService);
    const results = await Promise.all(Array.from({ length: 100 }, () => jobs.list({ clusterId: h.cluster })));
    expect(results).toHaveLength(100);
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(1);
    h.clock.advance(59 * 60_000 + 30_000); // inside the safety margin: everyone must wait for a new token
    await Promise.all(Array.from({ length: 100 }, () => jobs.list({ clusterId: h.cluster })));
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(2);
    expect(h.emulator.callsTo("JobService/List").filter((c) => c.outcome !== "ok")).toEqual([]);
  });

  it("UNAUTHENTICATED drops the token and retries the call once with a new one", async () => {
    const cloud = h.cloud({ credentials: oauthToken("y0_oauth-secret-token") });
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: h.cluster });
    h.emulator.expireTokens();
    await jobs.list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("JobService/List").map((c) => c.outcome)).toEqual(["ok", "UNAUTHENTICATED", "ok"]);
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(2);
  });
});

describe("the token on each call", () => {
  it("goes out from cachedToken() without a token() call, and from token() when none is cached", async () => {
    let asked = 0;
    let cache: string | undefined;
    const credentials: Credentials = {
      kind: "counting",
      token: async () => {
        asked++;
        return (cache = h.emulator.iamToken);
      },
      cachedToken: () => cache,
      invalidate: () => {},
    };
    const jobs = h.cloud({ credentials }).client(JobService);
    await jobs.list({ clusterId: h.cluster });
    await jobs.list({ clusterId: h.cluster });
    await jobs.list({ clusterId: h.cluster });
    expect(asked).toBe(1);
    const calls = h.emulator.callsTo("JobService/List");
    expect(calls.map((c) => c.outcome)).toEqual(["ok", "ok", "ok"]);
  });
});

describe("retries, idempotency and request ids", () => {
  it("retries reads through injected UNAVAILABLE and RESOURCE_EXHAUSTED", async () => {
    const jobs = h.cloud().client(JobService);
    h.emulator.faults.script(["UNAVAILABLE", "RESOURCE_EXHAUSTED", "UNAVAILABLE"], { methods: ["JobService/List"] });
    await jobs.list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("JobService/List").map((c) => c.outcome)).toEqual(["UNAVAILABLE", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "ok"]);
  });

  it("keeps one trace id per call, a new request id per attempt, and one unchanged user-agent and authorization on each", async () => {
    const jobs = h.cloud().client(JobService);
    h.emulator.faults.failNext(2, "UNAVAILABLE", { methods: ["JobService/Get"] });
    await expect(jobs.get({ clusterId: h.cluster, jobId: "nope" })).rejects.toThrow();
    const calls = h.emulator.callsTo("JobService/Get");
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers["x-client-trace-id"])).size).toBe(1);
    expect(new Set(calls.map((c) => c.headers["x-client-request-id"])).size).toBe(3);
    expect(calls.every((c) => c.headers["idempotency-key"] === undefined)).toBe(true);
    // The retry keeps no copy of the headers here: every attempt overwrites its own.
    expect(new Set(calls.map((c) => c.headers["user-agent"])).size).toBe(1);
    expect(calls[0]!.headers["user-agent"]).toMatch(/^dataproc-connect\/\S+ connect-es\/\S+$/);
    expect(new Set(calls.map((c) => c.headers["authorization"])).size).toBe(1);
    expect(calls[0]!.headers["authorization"]).not.toContain(",");
  });

  it("starts each retry from the headers before the first attempt when user interceptors run inside it", async () => {
    let n = 0;
    const tag: Interceptor = (next) => (req) => {
      req.header.append("x-attempt-tag", `a${++n}`);
      if (n === 1) req.header.set("x-first-only", "1");
      return next(req);
    };
    const jobs = h.cloud({ interceptors: [tag] }).client(JobService);
    h.emulator.faults.failNext(2, "UNAVAILABLE", { methods: ["JobService/Get"] });
    await expect(jobs.get({ clusterId: h.cluster, jobId: "nope" })).rejects.toThrow();
    const calls = h.emulator.callsTo("JobService/Get");
    expect(calls.map((c) => c.headers["x-attempt-tag"])).toEqual(["a1", "a2", "a3"]);
    expect(calls.map((c) => c.headers["x-first-only"])).toEqual(["1", undefined, undefined]);
    expect(new Set(calls.map((c) => c.headers["x-client-request-id"])).size).toBe(3);
  });

  it("retries a Create that the server handled but whose answer was lost, creating exactly one job", async () => {
    const jobs = h.cloud().client(JobService);
    h.emulator.faults.script(["reset-after-handling", "UNAVAILABLE", "reset-stream"], { methods: ["JobService/Create"] });
    const op = await jobs.create({ clusterId: h.cluster, jobSpec: spark() });
    const creates = h.emulator.callsTo("JobService/Create");
    expect(creates.length).toBe(4);
    expect(new Set(creates.map((c) => c.idempotencyKey)).size).toBe(1);
    const { jobs: all } = await jobs.list({ clusterId: h.cluster });
    expect(all.map((j) => j.id)).toEqual([op.decodedMetadata!.jobId]);
  });

  it("does not retry a Create on INTERNAL from the server", async () => {
    const jobs = h.cloud().client(JobService);
    h.emulator.faults.failNext(1, "INTERNAL", { methods: ["JobService/Create"] });
    await expect(jobs.create({ clusterId: h.cluster, jobSpec: spark() })).rejects.toMatchObject({ code: Code.Internal });
    expect(h.emulator.callsTo("JobService/Create")).toHaveLength(1);
  });

  it("uses the caller's Idempotency-Key so a repeated submission returns the same operation", async () => {
    const jobs = h.cloud().client(JobService);
    const headers = { "idempotency-key": "3f0e8d9a-5f1c-4f3e-9d6a-2b7c1e4a5d60" };
    const a = await jobs.create({ clusterId: h.cluster, jobSpec: spark() }, { headers });
    const b = await jobs.create({ clusterId: h.cluster, jobSpec: spark() }, { headers });
    expect(b.id).toBe(a.id);
    expect((await jobs.list({ clusterId: h.cluster })).jobs).toHaveLength(1);
  });

  it("timeoutMs: 0 means no default deadline, not an instant one", async () => {
    const jobs = h.cloud({ timeoutMs: 0 }).client(JobService);
    await expect(jobs.list({ clusterId: h.cluster })).resolves.toMatchObject({ jobs: [] });
    const short = h.cloud({ timeoutMs: 1 }).client(JobService);
    h.emulator.faults.set({ latencyMs: 50, methods: ["JobService/List"] });
    await expect(short.list({ clusterId: h.cluster })).rejects.toMatchObject({ code: Code.DeadlineExceeded });
  });

  it("gives up after the attempt budget with the last error", async () => {
    const jobs = h.cloud({ retry: { maxAttempts: 3, initialDelayMs: 1 } }).client(JobService);
    h.emulator.faults.failNext(10, "UNAVAILABLE", { methods: ["JobService/List"] });
    await expect(jobs.list({ clusterId: h.cluster })).rejects.toMatchObject({ code: Code.Unavailable });
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(3);
  });
});

describe("errors", () => {
  it("carry method, x-request-id, x-server-trace-id and decoded RequestInfo", async () => {
    const jobs = h.cloud().client(JobService);
    const error = await jobs.get({ clusterId: h.cluster, jobId: "missing-job" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YandexCloudError);
    const e = error as YandexCloudError;
    expect(e.code).toBe(Code.NotFound);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Get");
    expect(e.requestId).toMatch(/.+/);
    expect(e.serverTraceId).toMatch(/.+/);
    expect(e.requestInfo?.requestId).toBe(e.requestId);
    expect(e.statusDetails.map((d) => d.$typeName)).toContain(RequestInfoSchema.typeName);
    expect(e.message).toContain(`request-id ${e.requestId}`);
    expect(e.clientTraceId).toBe(h.emulator.callsTo("JobService/Get")[0]!.headers["x-client-trace-id"]);
  });

  it("refuses a bearer token over plaintext HTTP to a non-loopback host before connecting", () => {
    const cloud = createYandexCloud({ credentials: iamToken("t1.x"), endpoint: "http://dataproc.example.com:80" });
    expect(() => cloud.client(JobService)).toThrow(/refusing to send a bearer token over plaintext HTTP/);
    cloud.close();
  });

  it("never show a token or key in messages, inspect or JSON", async () => {
    const key = await h.emulator.createServiceAccountKey();
    const secrets = [h.emulator.iamToken, "y0_oauth-secret-token", key.private_key.split("\n")[3]!];
    const clouds = [h.cloud({ credentials: oauthToken("y0_oauth-secret-token") }), h.cloud({ credentials: serviceAccountKey(key) }), h.cloud()];
    const seen: string[] = [];
    for (const cloud of clouds) {
      const jobs = cloud.client(JobService);
      h.emulator.expireTokens();
      const errors = await Promise.all([
        jobs.get({ clusterId: h.cluster, jobId: "missing" }).catch((e: unknown) => e),
        jobs.create({ clusterId: "", jobSpec: spark() }).catch((e: unknown) => e),
      ]);
      for (const e of errors) seen.push(String(e), inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e));
      seen.push(inspect(cloud, { depth: 10, showHidden: true }), JSON.stringify(cloud), inspect(jobs, { depth: 5 }));
    }
    seen.push(JSON.stringify(h.emulator.calls), inspect(h.emulator, { depth: 10 }));
    const text = seen.join("\n");
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe("validation before sending", () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["missing cluster_id", { clusterId: "", jobSpec: spark() }, /cluster_id: is required/],
    ["cluster_id too long", { clusterId: "c".repeat(51), jobSpec: spark() }, /cluster_id: .*<=50/],
    ["bad name", { clusterId: "c1", name: "Bad_Name", jobSpec: spark() }, /name: does not match pattern/],
    ["no job spec", { clusterId: "c1" }, /job_spec: exactly one of/],
    ["no main jar", { clusterId: "c1", jobSpec: { case: "sparkJob", value: {} } }, /spark_job\.main_jar_file_uri: is required/],
    ["too many args", { clusterId: "c1", jobSpec: dataprocJobs.mapreduce({ mainClass: "A", args: Array.from({ length: 33 }, () => "a") }) }, /mapreduce_job\.args: size 33/],
    ["bad property key", { clusterId: "c1", jobSpec: spark({ "1bad": "x" }) }, /spark_job\.properties\["1bad"\]: .*pattern/],
    ["no hive query", { clusterId: "c1", jobSpec: { case: "hiveJob", value: {} } }, /hive_job\.query_type: exactly one of/],
  ];
  it.each(cases)("rejects %s with nothing sent", async (_, request, message) => {
    const jobs = h.cloud().client(JobService);
    const error = await jobs.create(request as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.InvalidArgument);
    expect((error as YandexCloudError).message).toMatch(message);
    expect((error as YandexCloudError).violations.length).toBeGreaterThan(0);
    expect(h.emulator.calls).toEqual([]);
  });

  it("rejects out-of-range page sizes on List and ListLog", async () => {
    const jobs = h.cloud().client(JobService);
    await expect(jobs.list({ clusterId: h.cluster, pageSize: 1001n })).rejects.toThrow(/page_size: .*<=1000/);
    await expect(jobs.listLog({ clusterId: h.cluster, jobId: "j", pageSize: 1048577n })).rejects.toThrow(/page_size/);
    expect(h.emulator.calls).toEqual([]);
  });
});

describe("typed operations", () => {
  it("create() returns an Operation whose wait() yields the finished Job", async () => {
    const jobs = h.cloud().client(JobService);
    const op = await jobs.create({ clusterId: h.cluster, jobSpec: spark({ "emulator.duration_ms": "4000" }) });
    expect(op.done).toBe(false);
    expect(op.decodedMetadata?.clusterId).toBe(h.cluster);
    const job = await op.wait();
    expect(job.$typeName).toBe("yandex.cloud.dataproc.v1.Job");
    expect(job.id).toBe(op.decodedMetadata?.jobId);
    expect(job.status).toBe(Job_Status.DONE);
  });

  it("the handle is still a plain Operation message", async () => {
    const { toJsonString } = await import("@bufbuild/protobuf");
    const { OperationSchema } = await import("../../src/yandex/operation/index.js");
    const op = await h.cloud().client(JobService).create({ clusterId: h.cluster, jobSpec: spark() });
    expect(Object.keys(op)).not.toContain("wait");
    expect(JSON.parse(toJsonString(OperationSchema, op, { registry: h.cloud().registry })).id).toBe(op.id);
  });
});

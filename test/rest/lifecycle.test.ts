// The full job lifecycle over REST/JSON against the emulator's HTTP/1.1 face:
// every interceptor (auth, ids, idempotency, retry, validation, errors,
// typed operations) runs unchanged over the REST transport.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { JobService, Job_Status } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { YandexCloudError, dataprocJobs, jobLogs, listJobs, submitJob, waitForJob } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";

let h: ClientHarness;
let cloud: YandexCloud;
beforeEach(async () => {
  h = await startClientHarness({ pollIntervalSeconds: 1 });
  cloud = h.cloud({ transport: "rest", endpoint: h.emulator.restUrl });
});
afterEach(async () => {
  await h.close();
});

const spec = (p: Record<string, string> = {}) =>
  dataprocJobs.spark({ mainJarFileUri: "s3a://bucket/app.jar", args: ["a b", "c/d"], properties: { "emulator.duration_ms": "3000", ...p } });

describe("Data Proc over REST", () => {
  it("create → wait → logs → list, every call over HTTP/1.1 REST", async () => {
    const sent: string[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    };
    cloud = h.cloud({ transport: "rest", endpoint: h.emulator.restUrl, fetch: counting });
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, name: "rest-job", jobSpec: spec({ "emulator.log_bytes": "300" }) });
    expect(job.operation.decodedMetadata?.jobId).toBe(job.jobId);
    const done = await job.wait();
    expect(done.status).toBe(Job_Status.DONE);
    expect(done.name).toBe("rest-job");
    const waited = await waitForJob(cloud, JobService, { clusterId: h.cluster, jobId: job.jobId });
    expect(waited.status).toBe(Job_Status.DONE);
    let text = "";
    for await (const chunk of jobLogs(cloud, JobService, { clusterId: h.cluster, jobId: job.jobId })) text += chunk;
    expect(Buffer.byteLength(text)).toBeGreaterThan(200);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300);
    expect(text.endsWith("\n")).toBe(true);
    const listed = [];
    for await (const j of listJobs(cloud, JobService, h.cluster)) listed.push(j.id);
    expect(listed).toContain(job.jobId);
    // Nothing went over gRPC: every call the emulator saw came through fetch.
    expect(h.emulator.calls.length).toBe(sent.length);
    expect(sent[0]).toBe(`POST /dataproc/v1/clusters/${h.cluster}/jobs`);
    expect(sent).toContain(`GET /dataproc/v1/clusters/${h.cluster}/jobs/${job.jobId}:logs`);
    // The same bytes as over gRPC: whole lines, at most the 300 bytes asked for.
    let overGrpc = "";
    for await (const chunk of jobLogs(h.cloud(), JobService, { clusterId: h.cluster, jobId: job.jobId })) overGrpc += chunk;
    expect(text).toBe(overGrpc);
  });

  it("a job created over REST is visible over gRPC, and cancel works over REST", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: spec({ "emulator.duration_ms": "60000" }) });
    const grpc = h.cloud();
    const seen = await grpc.client(JobService).get({ clusterId: h.cluster, jobId: job.jobId });
    expect(seen.id).toBe(job.jobId);
    const cancel = await cloud.client(JobService).cancel({ clusterId: h.cluster, jobId: job.jobId });
    expect(cancel.decodedMetadata?.jobId).toBe(job.jobId);
    const cancelled = await cancel.wait();
    expect([Job_Status.CANCELLED, Job_Status.CANCELLING]).toContain(cancelled.status);
    const op = await cloud.client(OperationService).get({ operationId: cancel.id });
    expect(op.id).toBe(cancel.id);
  });

  it("sends the Idempotency-Key and bearer token as HTTP headers and retries a 503 with the same key", async () => {
    h.emulator.faults.failNext(1, "UNAVAILABLE", { methods: ["JobService/Create"] });
    await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: spec() });
    const creates = h.emulator.callsTo("dataproc.v1.JobService/Create");
    expect(creates.map((c) => c.outcome)).toEqual(["UNAVAILABLE", "ok"]);
    expect(creates[0]!.idempotencyKey).toBeDefined();
    expect(creates[1]!.idempotencyKey).toBe(creates[0]!.idempotencyKey);
    expect(creates[0]!.headers["authorization"]).toBe("Bearer [REDACTED]");
    expect(creates[0]!.headers["x-client-request-id"]).toBeDefined();
  });

  it("a server error becomes a YandexCloudError with the Yandex code, details and request ids", async () => {
    const error = await cloud
      .client(JobService)
      .get({ clusterId: h.cluster, jobId: "c9qnosuchjob00000000" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(YandexCloudError);
    const e = error as YandexCloudError;
    expect(e.code).toBe(Code.NotFound);
    expect(e.requestId).toMatch(/./);
    expect(e.serverTraceId).toMatch(/./);
    expect(e.requestInfo?.requestId).toBe(e.requestId);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Get");
  });

  it("an expired token over REST: UNAUTHENTICATED, and the token appears in no error text", async () => {
    h.emulator.expireTokens();
    const error = (await cloud.client(JobService).list({ clusterId: h.cluster }).catch((e: unknown) => e)) as YandexCloudError;
    expect(error.code).toBe(Code.Unauthenticated);
    const shown = [String(error), error.stack ?? "", JSON.stringify(error), JSON.stringify([...error.metadata])].join("\n");
    expect(shown).not.toContain(h.emulator.iamToken);
    expect(shown).not.toContain(h.emulator.iamToken.slice(3, 20));
  });

  it("Managed Spark asked to go over REST is a clear error at client()", () => {
    expect(() => cloud.client(SparkJobService)).toThrow(/yandex\.cloud\.spark\.v1\.JobService cannot go over REST.*google\.api\.http/);
  });
});

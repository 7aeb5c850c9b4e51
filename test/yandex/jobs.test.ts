import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { JobService as DataprocJobService, Job_Status as DataprocStatus } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService, Job_Status as SparkStatus } from "../../src/yandex/spark/v1/index.js";
import {
  OperationError,
  YandexCloudError,
  realSleep,
  dataprocJobs,
  isSucceeded,
  jobKind,
  jobLogs,
  jobLogStream,
  listJobs,
  managedSparkJobs,
  submitJob,
  waitForJob,
} from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { rawLogService } from "../../src/yandex/jobs/raw-log.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";

let h: ClientHarness;
let cloud: YandexCloud;
beforeEach(async () => {
  h = await startClientHarness({ pollIntervalSeconds: 2 });
  cloud = h.cloud();
});
afterEach(async () => {
  await h.close();
});

const props = (p: Record<string, string> = {}) => ({ "emulator.duration_ms": "3000", ...p });

/** The whole log as the service has it, read as raw bytes in one page. */
async function fullLog(service: typeof DataprocJobService | typeof SparkJobService, jobId: string): Promise<Buffer> {
  const raw = cloud.client(rawLogService(service)) as unknown as {
    listLog(r: object): Promise<{ content: Uint8Array; nextPageToken: string }>;
  };
  return Buffer.from((await raw.listLog({ clusterId: h.cluster, jobId })).content);
}

describe("every job kind of both services", () => {
  const dataprocSpecs = [
    ["spark", dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props() })],
    ["pyspark", dataprocJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", properties: props() })],
    ["hive", dataprocJobs.hive({ queries: ["SELECT 1", "SELECT 2"], properties: props() })],
    ["mapreduce", dataprocJobs.mapreduce({ mainClass: "org.example.WordCount", properties: props() })],
  ] as const;
  it.each(dataprocSpecs)("Data Proc %s: submit → wait → DONE", async (kind, jobSpec) => {
    const job = await submitJob(cloud, DataprocJobService, { clusterId: h.cluster, name: `job-${kind}`, jobSpec });
    expect(job.operation.decodedMetadata?.jobId).toBe(job.jobId);
    const done = await job.wait();
    expect(done.status).toBe(DataprocStatus.DONE);
    expect(isSucceeded(done)).toBe(true);
    expect(jobKind(done)).toBe(kind);
    expect(done.name).toBe(`job-${kind}`);
    expect((await job.operation.wait()).id).toBe(job.jobId);
  });

  const sparkSpecs = [
    ["spark", managedSparkJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props() })],
    ["pyspark", managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", properties: props() })],
    ["sparkConnect", managedSparkJobs.sparkConnect({ properties: props() })],
  ] as const;
  it.each(sparkSpecs)("Managed Spark %s: submit → wait → DONE", async (kind, jobSpec) => {
    const job = await submitJob(cloud, SparkJobService, { clusterId: h.cluster, jobSpec, serviceAccountId: "ajesa1" });
    const done = await job.wait();
    expect(done.status).toBe(SparkStatus.DONE);
    expect(jobKind(done)).toBe(kind);
    expect(done.serviceAccountId).toBe("ajesa1");
  });
});

describe("waiting", () => {
  it("a failed job: the operation rejects with its status, waitForJob returns the ERROR job", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props({ "emulator.outcome": "error" }) }),
    });
    const error = await job.operation.wait().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toBeInstanceOf(Error);
    const e = error as OperationError;
    expect(e.operationId).toBe(job.operation.id);
    expect(e.status.message).toContain(job.jobId);
    expect(e.code).toBe(e.status.code);
    expect((await job.wait()).status).toBe(DataprocStatus.ERROR);
  });

  it("cancel during RUNNING ends CANCELLED", async () => {
    const job = await submitJob(cloud, SparkJobService, {
      clusterId: h.cluster,
      jobSpec: managedSparkJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props({ "emulator.duration_ms": "60000" }) }),
    });
    const seen: SparkStatus[] = [];
    h.clock.advance(1000);
    expect((await job.get()).status).toBe(SparkStatus.RUNNING);
    await job.cancel();
    const final = await job.wait({ onStatus: (j) => seen.push(j.status) });
    expect(final.status).toBe(SparkStatus.CANCELLED);
    expect(seen).toContain(SparkStatus.CANCELLED);
  });

  it("an operation already done resolves at once, without a poll", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props() }),
    });
    h.clock.advance(10_000);
    const done = await job.operation.refresh();
    expect(done.done).toBe(true);
    const mark = h.emulator.mark();
    expect((await done.wait()).status).toBe(DataprocStatus.DONE);
    expect(h.emulator.callsSince(mark)).toEqual([]);
  });

  it("honours x-operation-poll-interval, reports progress and tolerates the first 3 NOT_FOUND", async () => {
    h.emulator.faults.set({ notFoundPolls: 3 });
    const delays: number[] = [];
    const c = h.cloud({ sleep: (ms, signal) => (delays.push(ms), h.clock.sleep(ms, signal)) });
    const op = await c.client(DataprocJobService).create({
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props({ "emulator.duration_ms": "20000" }) }),
    });
    const progress: string[] = [];
    const job = await op.wait({ onProgress: (metadata) => progress.push(metadata!.jobId) });
    expect(job.status).toBe(DataprocStatus.DONE);
    const gets = h.emulator.callsTo("OperationService/Get").map((call) => call.outcome);
    expect(gets.slice(0, 3)).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);
    expect(gets.slice(3).every((o) => o === "ok")).toBe(true);
    expect(progress.length).toBe(gets.length - 3);
    expect(new Set(progress)).toEqual(new Set([op.decodedMetadata!.jobId]));
    // 500 ms, ×1.5 through the NOT_FOUNDs; then never below the server's 2 s
    // hint, still backing off towards the 10 s cap.
    expect(delays.slice(0, 5)).toEqual([500, 750, 1125, 1687.5, 2531.25]);
    expect(delays.slice(4).every((d) => d >= 2000 && d <= 10_000)).toBe(true);
    expect(delays.slice(4).every((d, i, all) => i === 0 || d >= all[i - 1]!)).toBe(true);
  });

  it("a fourth NOT_FOUND is an error", async () => {
    h.emulator.faults.set({ notFoundPolls: 4 });
    const op = await cloud.client(DataprocJobService).create({
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props() }),
    });
    await expect(op.wait()).rejects.toMatchObject({ code: Code.NotFound });
  });

  it("times out on the clock with DEADLINE_EXCEEDED", async () => {
    const op = await cloud.client(DataprocJobService).create({
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props({ "emulator.duration_ms": "600000" }) }),
    });
    await expect(op.wait({ timeoutMs: 30_000 })).rejects.toMatchObject({ code: Code.DeadlineExceeded });
    await expect(op.wait({ timeoutMs: 30_000 })).rejects.toBeInstanceOf(YandexCloudError);
    await expect(waitForJob(cloud, DataprocJobService, { clusterId: h.cluster, jobId: op.decodedMetadata!.jobId }, { timeoutMs: 30_000 }))
      .rejects.toMatchObject({ code: Code.DeadlineExceeded });
  });

  it("an aborted wait stops polling at once and leaves no timer behind", async () => {
    const timers = () =>
      (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    let pausing!: () => void;
    let pauses = 0;
    const paused = new Promise<void>((resolve) => (pausing = resolve));
    // Real one-minute timers: only the abort can end these waits.
    const real = h.cloud({ sleep: (ms, signal) => (++pauses === 2 && pausing(), realSleep(60_000, signal)) });
    const op = await real.client(DataprocJobService).create({
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: props() }),
    });
    const timersBefore = timers();
    const controller = new AbortController();
    // Intervals far longer than the test may run: only a working abort ends these waits.
    const mark = h.emulator.mark();
    const waits = [
      op.wait({ signal: controller.signal }),
      waitForJob(real, DataprocJobService, { clusterId: h.cluster, jobId: op.decodedMetadata!.jobId }, { signal: controller.signal }),
    ];
    await paused; // both waits are in their pause now
    const before = h.emulator.calls.length;
    controller.abort();
    for (const w of waits) await expect(w).rejects.toMatchObject({ code: Code.Canceled });
    for (const w of waits) await expect(w).rejects.toBeInstanceOf(YandexCloudError);
    expect(h.emulator.calls.length).toBe(before); // nothing was sent after the abort
    expect(timers()).toBeLessThanOrEqual(timersBefore); // the minute-long timers were cleared
  });
});

describe("logs", () => {
  it("follow yields exactly the full log of a job whose log grows while it runs, across split characters", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.pyspark({
        mainPythonFileUri: "s3a://b/main.py",
        properties: props({ "emulator.duration_ms": "20000", "emulator.log_bytes": "60000" }),
      }),
    });
    // Let a quarter of the log appear, and pick a page size that ends the
    // first page inside a multi-byte character.
    h.clock.advance(500 + 5000);
    const early = await fullLog(DataprocJobService, job.jobId);
    const pageSize = early.findIndex((byte, i) => i >= 1000 && (byte & 0xc0) === 0x80);
    expect(pageSize).toBeGreaterThan(0);
    const pages: Uint8Array[] = [];
    const capture: Interceptor = (next) => async (req) => {
      const res = await next(req);
      if (req.method.name === "ListLog" && !res.stream) pages.push((res.message as unknown as { content: Uint8Array }).content);
      return res;
    };
    const polls: number[] = [];
    const c = h.cloud({ sleep: (ms, signal) => (polls.push(ms), h.clock.sleep(ms, signal)), interceptors: [capture] });
    const chunks: string[] = [];
    for await (const text of jobLogs(c, DataprocJobService, job, { follow: true, pageSize, initialDelayMs: 1000 })) {
      chunks.push(text);
    }
    expect(polls.length).toBeGreaterThan(5); // it caught up and waited for more while the job ran
    expect((await job.get()).status).toBe(DataprocStatus.DONE);
    const full = await fullLog(DataprocJobService, job.jobId);
    expect(full.length).toBeGreaterThan(59_000);
    expect(chunks.join("")).toBe(full.toString("utf8"));
    expect(chunks.join("")).not.toContain("\uFFFD");
    expect(pages[0]!.length).toBe(pageSize);
    expect(pages[1]![0]! & 0xc0).toBe(0x80); // the second page began mid-character
  });

  it("without follow reads what exists now; the Readable adaptor gives the same text", async () => {
    const job = await submitJob(cloud, SparkJobService, {
      clusterId: h.cluster,
      jobSpec: managedSparkJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: props({ "emulator.log_bytes": "9000" }) }),
    });
    h.clock.advance(60_000);
    let text = "";
    for await (const t of job.logs()) text += t;
    let streamed = "";
    for await (const t of jobLogStream(cloud, SparkJobService, job)) streamed += String(t);
    const full = (await fullLog(SparkJobService, job.jobId)).toString("utf8");
    expect(text).toBe(full);
    expect(streamed).toBe(full);
  });

  it("aborting a follow stops reading at once", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: props({ "emulator.duration_ms": "600000" }) }),
    });
    const controller = new AbortController();
    const c = h.cloud({ sleep: (ms, signal) => { if (h.emulator.callsTo("ListLog").length > 3) controller.abort(); return h.clock.sleep(ms, signal); } });
    const read = (async () => {
      for await (const _ of jobLogs(c, DataprocJobService, job, { follow: true, signal: controller.signal })) void _;
    })();
    await expect(read).rejects.toBeInstanceOf(YandexCloudError);
    await expect(read).rejects.toMatchObject({ code: Code.Canceled, method: "/yandex.cloud.dataproc.v1.JobService/Get" });
    // The abort fired inside the 4th pause: nothing was read after it.
    expect(h.emulator.callsTo("ListLog")).toHaveLength(4);
  });

  it("backs off on short pages, not only on empty ones: a trickling log costs about one read per pause", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({
        mainJarFileUri: "s3a://b/a.jar",
        properties: props({ "emulator.duration_ms": "3000", "emulator.log_bytes": "6000" }),
      }),
    });
    h.clock.advance(500); // provisioning and pending are over: the log trickles from now on
    const pauses: number[] = [];
    const c = h.cloud({ sleep: (ms, signal) => (pauses.push(ms), h.clock.sleep(ms, signal)) });
    let text = "";
    for await (const t of jobLogs(c, DataprocJobService, job, { follow: true, initialDelayMs: 250, maxDelayMs: 250 })) text += t;
    expect(text).toBe((await fullLog(DataprocJobService, job.jobId)).toString("utf8"));
    expect(text.length).toBeGreaterThan(5_000);
    // 3 s at 250 ms per pause: 12 pauses, one read each, plus the final drain.
    expect(pauses.length).toBeGreaterThanOrEqual(11);
    expect(pauses.length).toBeLessThanOrEqual(13);
    expect(h.emulator.callsTo("ListLog").length).toBeLessThanOrEqual(pauses.length + 3);
    expect(pauses.every((ms) => ms === 250)).toBe(true);
  });

  it("stops with INTERNAL when the server repeats a page token with text, instead of looping", async () => {
    const job = await submitJob(cloud, DataprocJobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: props({ "emulator.log_bytes": "9000" }) }),
    });
    h.clock.advance(60_000);
    const stuck: Interceptor = (next) => async (req) => {
      const res = await next(req);
      const sent = req.stream ? "" : (req.message as unknown as { pageToken: string }).pageToken;
      if (req.method.name === "ListLog" && !res.stream && sent !== "") {
        // A broken server: the token it was asked for again, with text.
        (res.message as unknown as { nextPageToken: string }).nextPageToken = sent;
      }
      return res;
    };
    const c = h.cloud({ interceptors: [stuck] });
    const chunks: string[] = [];
    const read = (async () => {
      for await (const t of jobLogs(c, DataprocJobService, job, { pageSize: 1000 })) chunks.push(t);
    })();
    await expect(read).rejects.toMatchObject({ code: Code.Internal, method: "/yandex.cloud.dataproc.v1.JobService/ListLog" });
    await expect(read).rejects.toBeInstanceOf(YandexCloudError);
    expect(h.emulator.callsTo("ListLog")).toHaveLength(3); // "", T, T again with text: stop
    // Two pages' worth, and the repeated page was not handed out twice.
    const full = (await fullLog(DataprocJobService, job.jobId)).toString("utf8");
    expect(full.startsWith(chunks.join(""))).toBe(true);
    expect(Buffer.byteLength(chunks.join(""))).toBeGreaterThan(1_990);
    expect(Buffer.byteLength(chunks.join(""))).toBeLessThanOrEqual(2_000);
  });
});

describe("listing", () => {
  it("iterates every job over pages in a stable order, and filters by name", async () => {
    const jobs = cloud.client(DataprocJobService);
    const ops = await Promise.all(
      Array.from({ length: 230 }, (_, i) =>
        jobs.create({ clusterId: h.cluster, name: i % 10 === 0 ? "nightly" : "", jobSpec: dataprocJobs.hive({ queryFileUri: "s3a://b/q.sql" }) }),
      ),
    );
    const ids = ops.map((op) => op.decodedMetadata!.jobId);
    const mark = h.emulator.mark();
    const listed: string[] = [];
    for await (const job of listJobs(cloud, DataprocJobService, h.cluster, { pageSize: 100 })) listed.push(job.id);
    expect(new Set(listed)).toEqual(new Set(ids));
    expect(listed).toHaveLength(230);
    expect(h.emulator.callsSince(mark, "JobService/List")).toHaveLength(3);
    const again: string[] = [];
    for await (const job of listJobs(cloud, DataprocJobService, h.cluster, { pageSize: 100 })) again.push(job.id);
    expect(again).toEqual(listed);
    const nightly: string[] = [];
    for await (const job of listJobs(cloud, DataprocJobService, h.cluster, { filter: 'name="nightly"' })) nightly.push(job.name);
    expect(nightly).toEqual(Array(23).fill("nightly"));
  });
});

// close() means closed (§4 of issue 11): calls, retries, waits and log follows
// in flight end at once with CANCELED "client closed"; later calls reject
// without connecting; no timer is left behind.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { YandexCloudError, dataprocJobs, jobLogs, realSleep, submitJob } from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import { startHangingServer } from "../support/hanging-server.js";
import type { HangingServer } from "../support/hanging-server.js";

let h: ClientHarness;
let hanging: HangingServer | undefined;
beforeEach(async () => {
  h = await startClientHarness();
});
afterEach(async () => {
  await h.close();
  await hanging?.close();
  hanging = undefined;
});

const timers = (): number =>
  (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === "Timeout").length;

const longJob = () => dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": "600000" } });

async function closedError(promise: Promise<unknown>): Promise<YandexCloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(YandexCloudError);
  const e = error as YandexCloudError;
  expect(e.code).toBe(Code.Canceled);
  expect(e.rawMessage).toMatch(/client closed/);
  return e;
}

describe("close()", () => {
  it("ends a call in flight at once, and later calls reject without connecting", async () => {
    hanging = await startHangingServer();
    const timersBefore = timers();
    const cloud = h.cloud({ endpoint: hanging.url, timeoutMs: 0 });
    const jobs = cloud.client(JobService);
    const call = jobs.get({ clusterId: h.cluster, jobId: "j" });
    await hanging.arrived();
    cloud.close();
    const e = await closedError(call);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Get");
    expect(e.endpoint).toBe(hanging.url);
    expect(e.attempts).toBe(1);
    await closedError(jobs.list({ clusterId: h.cluster }));
    await closedError(cloud.client(JobService).get({ clusterId: h.cluster, jobId: "j" }));
    expect(hanging.requests()).toBe(1); // nothing was sent after close(), no reconnect
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });

  it("ends a retry waiting out its backoff", async () => {
    h.emulator.faults.failNext(10, "UNAVAILABLE", { methods: ["JobService/List"] });
    let failedAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (failedAttempt = resolve));
    const cloud = h.cloud({
      sleep: realSleep, // a real one-minute backoff, which close() must cut short
      retry: { initialDelayMs: 60_000, maxDelayMs: 60_000, maxElapsedMs: Number.POSITIVE_INFINITY },
      debug: (line) => {
        if (line.includes("attempt 1 UNAVAILABLE")) failedAttempt();
      },
    });
    const timersBefore = timers();
    const call = cloud.client(JobService).list({ clusterId: h.cluster });
    await attempted;
    cloud.close();
    const e = await closedError(call);
    expect(e.attempts).toBe(1);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(1);
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });

  it("ends operation and job waits, and log follows, pausing on real timers", async () => {
    const setup = h.cloud();
    const job = await submitJob(setup, JobService, { clusterId: h.cluster, jobSpec: longJob() });
    const pauses: number[] = [];
    let paused!: () => void;
    const allPaused = new Promise<void>((resolve) => (paused = resolve));
    const cloud = h.cloud({
      sleep: (ms, signal) => {
        pauses.push(ms);
        if (pauses.length === 3) paused(); // each of the three helpers is pausing now
        return realSleep(60_000, signal); // every pause is a real minute
      },
    });
    const timersBefore = timers();
    const inFlight = [
      submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longJob() }).then((j) => j.operation.wait()),
      submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longJob() }).then((j) => j.wait()),
      (async () => {
        for await (const _ of jobLogs(cloud, JobService, job, { follow: true })) void _;
      })(),
    ];
    await allPaused;
    cloud.close();
    for (const wait of inFlight) await closedError(wait);
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });
});

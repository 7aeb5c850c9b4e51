/**
 * The two poll policies ("fixed-cap", "growing-cap") on the ManualClock:
 * the exact delays of the one Poller, then the exact number of polls every
 * cloud's wait helper makes against the emulator for a 120 s and a 1 h job.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Poller, growingCapCeilingMs, growingCapFraction } from "../../src/core/poll.js";
import type { PollOptions } from "../../src/core/poll.js";
import { createYandexCloud, iamToken, isSucceeded, waitForJob } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { JobRunState, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { submitMrsJob } from "../../src/huawei/mrs/v2/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";
import type { Emulator } from "../../src/testing/server.js";

const hour = 3_600_000;
const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

/** A Poller on a ManualClock that records every delay it sleeps. */
function recordingPoller(options: PollOptions, defaults = { initialDelayMs: 500, maxDelayMs: 10_000 }) {
  const clock = new ManualClock(0);
  const delays: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    return clock.sleep(ms, signal);
  };
  const failures = {
    timeout: (ms: number, polls: number) => new Error(`timeout ${ms} after ${polls}`),
    aborted: (reason: unknown) => new Error(`aborted ${String(reason)}`),
  };
  return { clock, delays, poller: new Poller({ clock, sleep }, options, defaults, failures) };
}

/** Pauses until the clock has passed `ms`; the number of pauses. */
async function pauseUntil(p: ReturnType<typeof recordingPoller>, ms: number): Promise<number> {
  while (p.clock.now() < ms) await p.poller.pause();
  return p.poller.pauses;
}

describe("Poller policies (unit, ManualClock)", () => {
  it("fixed-cap (the default): ×1.5 from 500 ms to 10 s and no further", async () => {
    const p = recordingPoller({});
    expect(await pauseUntil(p, 120_000)).toBe(18);
    expect(p.delays.slice(0, 10)).toEqual([500, 750, 1125, 1687.5, 2531.25, 3796.875, 5695.3125, 8542.96875, 10_000, 10_000]);
    await pauseUntil(p, hour);
    expect(Math.max(...p.delays)).toBe(10_000);
    expect(p.poller.pauses).toBe(366);
  });

  it("growing-cap: the same as fixed-cap up to 10 × maxDelayMs, then a tenth of the time waited, at most 60 s", async () => {
    const fixed = recordingPoller({});
    const growing = recordingPoller({ policy: "growing-cap" });
    await pauseUntil(fixed, 100_000);
    await pauseUntil(growing, 100_000);
    expect(growing.delays).toEqual(fixed.delays); // identical for the first 100 s
    expect(growingCapFraction).toBe(0.1);
    expect(growingCapCeilingMs).toBe(60_000);
    expect(growing.poller.capAt(50_000)).toBe(10_000);
    expect(growing.poller.capAt(200_000)).toBe(20_000);
    expect(growing.poller.capAt(hour)).toBe(60_000);
    expect(await pauseUntil(growing, 120_000)).toBe(18); // a 120 s job: as many polls as fixed-cap
    await pauseUntil(growing, hour);
    expect(growing.poller.pauses).toBe(85);
    // Past 100 s each delay is a tenth of the elapsed time before it (rounded up by the clock), capped at 60 s.
    let at = 0;
    for (const delay of growing.delays) {
      if (at >= 100_000) expect(delay).toBe(Math.min(Math.max(10_000, at * 0.1), 60_000));
      at += Math.ceil(delay);
    }
    expect(growing.delays.at(-1)).toBe(60_000);
    expect(growing.delays.filter((d) => d === 60_000).length).toBe(50);
  });

  it("growing-cap never caps below a larger maxDelayMs, and a server hint stays a floor", async () => {
    const big = recordingPoller({ policy: "growing-cap", maxDelayMs: 120_000 });
    expect(big.poller.capAt(hour)).toBe(120_000);
    const hinted = recordingPoller({ policy: "growing-cap" });
    while (hinted.clock.now() < hour) await hinted.poller.pause(90_000);
    expect(Math.min(...hinted.delays)).toBe(90_000);
    expect(hinted.poller.pauses).toBe(40);
  });

  it("reset() (progress seen) starts the growing cap over", async () => {
    const p = recordingPoller({ policy: "growing-cap" });
    await pauseUntil(p, 30 * 60_000);
    expect(p.delays.at(-1)).toBe(60_000);
    p.poller.reset();
    await p.poller.pause();
    await p.poller.pause();
    expect(p.delays.slice(-2)).toEqual([500, 750]);
  });

  it("an unknown policy is a TypeError naming the option", () => {
    expect(() => recordingPoller({ policy: "exponential" as never })).toThrow(
      new TypeError('policy: expected "fixed-cap" or "growing-cap", got "exponential"'),
    );
  });
});

async function emulatorOnManualClock(pollIntervalSeconds = 0) {
  const clock = new ManualClock();
  const emulator = await startEmulator({
    clock,
    pollIntervalSeconds,
    jobTiming: { provisioningMs: 0, pendingMs: 0 },
    aws: { runTiming: { submittedMs: 0, pendingMs: 0, scheduledMs: 0 } },
  });
  running.push(emulator);
  return emulator;
}

/** AWS and Huawei clients on the emulator's faces, on its manual clock. */
function signedClouds(emulator: Emulator<ManualClock>) {
  const clock = emulator.clock;
  return {
    aws: createAwsCloud({ region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws), clock: clock, sleep: clock.sleep }),
    huawei: huaweiCloudOn(emulator),
  };
}

const sparkSpec = (durationMs: number) => ({
  case: "sparkJob" as const,
  value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": String(durationMs) } },
});

describe("every cloud's wait helper, both policies (emulator, ManualClock)", () => {
  const cases = [
    // Test time is spent on the wire (signed REST calls for AWS and Huawei):
    // the fixed-cap hour (366, 725, 128 and 1801 polls) and Huawei's fixed
    // 2 s poll are left to the Poller tests above, which count the same rule.
    { durationMs: 120_000, policy: "fixed-cap", operation: 18, job: 29, aws: 12, huawei: undefined },
    { durationMs: 120_000, policy: "growing-cap", operation: 18, job: 25, aws: 12, huawei: 30 },
    { durationMs: hour, policy: "growing-cap", operation: 85, job: 91, aws: 75, huawei: 97 },
  ] as const;

  for (const c of cases) {
    it(`${c.durationMs / 1000} s job, ${c.policy}: Yandex operation ${c.operation ?? "–"}, Yandex job ${c.job ?? "–"}, AWS ${c.aws}, Huawei ${c.huawei ?? "–"} polls`, async () => {
      const emulator = await emulatorOnManualClock();
      const clock = emulator.clock;
      const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
      const { aws, huawei } = signedClouds(emulator);
      try {
        const jobs = cloud.client(JobService);
        const clusterId = emulator.clusters[0]!;
        const got: Record<string, number | undefined> = { operation: undefined, job: undefined, aws: 0, huawei: undefined };

        let mark = emulator.mark();
        if (c.operation !== undefined) {
          const operation = await jobs.create({ clusterId, jobSpec: sparkSpec(c.durationMs) });
          const done = await operation.wait({ policy: c.policy });
          expect(isSucceeded(done)).toBe(true);
          got.operation = emulator.callsSince(mark, "OperationService/Get").length;
        }

        if (c.job !== undefined) {
          const created = await jobs.create({ clusterId, jobSpec: sparkSpec(c.durationMs) });
          mark = emulator.mark();
          await waitForJob(cloud, JobService, { clusterId, jobId: created.decodedMetadata!.jobId }, { policy: c.policy });
          got.job = emulator.callsSince(mark, "JobService/Get").length;
        }

        const run = await startJobRun(aws, {
          applicationId: emulator.aws.applicationId,
          executionRoleArn: "arn:aws:iam::123456789012:role/r",
          jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
          tags: { "emulator.duration_ms": String(c.durationMs) },
        });
        mark = emulator.mark();
        expect((await run.wait({ policy: c.policy })).state).toBe(JobRunState.SUCCESS);
        got.aws = emulator.callsSince(mark, "EmrServerlessService/GetJobRun").length;

        if (c.huawei !== undefined) {
          const mrs = await submitMrsJob(huawei, { clusterId, jobType: "SparkSubmit", jobName: "wait", properties: { "emulator.duration_ms": String(c.durationMs) } });
          mark = emulator.mark();
          expect((await mrs.wait({ policy: c.policy })).jobState).toBe("FINISHED");
          got.huawei = emulator.callsSince(mark, "JobExecutionService/ShowSingleJobExe").length;
        }
        expect(got).toEqual({ operation: c.operation, job: c.job, aws: c.aws, huawei: c.huawei });
      } finally {
        cloud.close();
        aws.close();
        huawei.close();
      }
    });
  }

  it("x-operation-poll-interval wins over the growing cap: a 90 s hint spaces every poll ≥ 90 s", async () => {
    const emulator = await emulatorOnManualClock(90);
    const clock = emulator.clock;
    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
    try {
      const operation = await cloud.client(JobService).create({ clusterId: emulator.clusters[0]!, jobSpec: sparkSpec(hour) });
      const mark = emulator.mark();
      await operation.wait({ policy: "growing-cap" });
      const times = emulator.callsSince(mark, "OperationService/Get").map((call) => call.time);
      const gaps = times.slice(2).map((t, i) => t - times[i + 1]!); // after the first (hint-less) pause
      expect(Math.min(...gaps)).toBe(90_000);
      expect(times.length).toBe(41);
    } finally {
      cloud.close();
    }
  });

  it("a bad policy fails before any call, on every cloud", async () => {
    const emulator = await emulatorOnManualClock();
    const clock = emulator.clock;
    const aws = createAwsCloud({ region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws), clock: clock, sleep: clock.sleep });
    try {
      const run = await startJobRun(aws, {
        applicationId: emulator.aws.applicationId,
        executionRoleArn: "arn:aws:iam::123456789012:role/r",
        jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
      });
      const mark = emulator.mark();
      await expect(run.wait({ policy: "sometimes" as never })).rejects.toThrow(TypeError);
      expect(emulator.callsSince(mark)).toHaveLength(0);
    } finally {
      aws.close();
    }
  });
});

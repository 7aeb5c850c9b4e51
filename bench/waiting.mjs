// 4. Waiting: every cloud's wait helper, under both poll policies
// ("fixed-cap", the default, and "growing-cap"), for a 120 s job and for a
// 1 h job, against the official Yandex SDK's fixed 1 s poll. For each: how
// many status polls it made, and its detection delay (emulator time at which
// the wait returned minus the moment the job ended, as the job itself reports
// it).
//
// Everything runs in this process on a ManualClock: nothing sleeps for real,
// so the figures are exact counts, not timings, and the machine's load does
// not move them.
//
//   ours   through the package's public entry points, each helper on a
//          fresh emulator whose jobs take exactly the duration (no
//          provisioning or pending phase) and, for the Yandex operation,
//          with no x-operation-poll-interval hint (pollIntervalSeconds: 0):
//            yandexOperation  (await jobs.create(...)).wait({ policy })   OperationService.Get
//            yandexJob        waitForJob(cloud, JobService, ref, { policy }) JobService.Get
//            awsJobRun        (await startJobRun(aws, ...)).wait({ policy })  GetJobRun (REST, SigV4)
//            huaweiJob        (await submitMrsJob(cloud, ...)).wait({ policy }) ShowSingleJobExe (REST, SDK-HMAC-SHA256)
//          plus yandexOperationHint1s: the operation wait with the
//          emulator's default 1 s hint (server-directed; info).
//   sdk    the REAL `waitForOperation` of @yandex-cloud/nodejs-sdk 3.2.0
//          (dist/utils/operation/wait-for.js): it polls at once, then
//          `setTimeout(checkOperation, session.pollInterval)` (1000 ms by
//          default, Session.DEFAULT_CONFIG) until done. To run it on the
//          manual clock, the global setTimeout is wrapped while it waits: a
//          timer whose callback is that function (`checkOperation`) advances
//          the clock by its delay and fires on the next turn; every other timer
//          is untouched. The count of such timers is checked against the polls.
//          The SDK has no job, AWS or Huawei waiter: its 1 s poll is the peer
//          of every row.
//
// Detection delay: it depends on where the end falls between two polls.
// Each contender runs once at exactly the duration; `polls` and
// `detectionDelayMs` are that run's. A waiter's poll times do not depend on
// when the job ends, so for a job ending uniformly within the gap g between
// the two polls around that moment the mean delay is g/2 and the max is g
// (`meanDelayMs`, `maxDelayMs`). For durations up to `checkUpToS` (300 s)
// three more runs, ending g/4, g/2 and 3g/4 before the poll that saw the
// end, measure that claim: each must be seen exactly that late.
//
//   node bench/waiting.mjs [durationsS=120,3600]
import { fileURLToPath } from "node:url";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createYandexCloud, iamToken, waitForJob } from "dataproc-connect";
import { JobService } from "dataproc-connect/dataproc/v1";
import { ManualClock, startEmulator } from "dataproc-connect/testing";
import { awsCredentials, createAwsCloud } from "dataproc-connect/aws";
import { JobRunState, startJobRun } from "dataproc-connect/aws/emr-serverless";
import { createHuaweiCloud, huaweiCredentials } from "dataproc-connect/huawei";
import { submitMrsJob } from "dataproc-connect/huawei/mrs/v2";
import { progress, report } from "./lib/report.mjs";
import { job as sdkJob, jobService, plaintextSession, waitForOperation } from "./lib/sdk.mjs";

export const policies = ["fixed-cap", "growing-cap"];
export const helpers = ["yandexOperation", "yandexJob", "awsJobRun", "huaweiJob"];
const helperNames = {
  yandexOperation: "Yandex operation.wait()",
  yandexJob: "Yandex waitForJob()",
  awsJobRun: "AWS job run wait()",
  huaweiJob: "Huawei MRS job wait()",
  yandexOperationHint1s: "Yandex operation.wait(), server hint 1 s",
};
const sdkPollIntervalMs = 1000;
const role = "arn:aws:iam::123456789012:role/bench";

async function withEmulator(pollIntervalSeconds, fn) {
  const clock = new ManualClock();
  const emulator = await startEmulator({
    clock,
    pollIntervalSeconds,
    callLogLimit: 100_000,
    jobTiming: { provisioningMs: 0, pendingMs: 0 },
    aws: { runTiming: { submittedMs: 0, pendingMs: 0, scheduledMs: 0 } },
  });
  try {
    return await fn(emulator, clock);
  } finally {
    await emulator.close();
  }
}

const sparkSpec = (durationMs) => ({
  case: "sparkJob",
  value: { mainJarFileUri: "s3a://bench/app.jar", properties: { "emulator.duration_ms": String(durationMs) } },
});

/** Polls made since `mark` and the gap between the last two of them. */
function pollsOf(emulator, mark, method) {
  const times = emulator.callsSince(mark, method).map((c) => c.time);
  return { polls: times.length, lastGapMs: times.length > 1 ? times.at(-1) - times.at(-2) : 0 };
}

/**
 * One wait of one helper for a job of `durationMs`: polls, detection delay
 * and the last gap. `policy` undefined means the helper's default.
 */
async function ours(helper, policy, durationMs) {
  const hint = helper === "yandexOperationHint1s" ? 1 : 0;
  return withEmulator(hint, async (emulator, clock) => {
    const options = policy === undefined ? {} : { policy };
    const yandex = () => createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
    switch (helper) {
      case "yandexOperation":
      case "yandexOperationHint1s": {
        const cloud = yandex();
        try {
          const operation = await cloud.client(JobService).create({ clusterId: emulator.clusters[0], jobSpec: sparkSpec(durationMs) });
          const mark = emulator.mark();
          const job = await operation.wait(options);
          return { ...pollsOf(emulator, mark, "OperationService/Get"), detectionDelayMs: clock.now() - timestampMs(job.finishedAt) };
        } finally {
          cloud.close();
        }
      }
      case "yandexJob": {
        const cloud = yandex();
        try {
          const clusterId = emulator.clusters[0];
          const operation = await cloud.client(JobService).create({ clusterId, jobSpec: sparkSpec(durationMs) });
          const mark = emulator.mark();
          const job = await waitForJob(cloud, JobService, { clusterId, jobId: operation.decodedMetadata.jobId }, options);
          return { ...pollsOf(emulator, mark, "JobService/Get"), detectionDelayMs: clock.now() - timestampMs(job.finishedAt) };
        } finally {
          cloud.close();
        }
      }
      case "awsJobRun": {
        const aws = createAwsCloud({ region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws), clock: clock, sleep: clock.sleep });
        try {
          const run = await startJobRun(aws, {
            applicationId: emulator.aws.applicationId,
            executionRoleArn: role,
            jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://bench/app.py" } } },
            tags: { "emulator.duration_ms": String(durationMs) },
          });
          const mark = emulator.mark();
          const final = await run.wait(options);
          if (final.state !== JobRunState.SUCCESS) throw new Error(`AWS run ended ${JobRunState[final.state]}`);
          return { ...pollsOf(emulator, mark, "EmrServerlessService/GetJobRun"), detectionDelayMs: clock.now() - timestampMs(final.endedAt) };
        } finally {
          aws.close();
        }
      }
      case "huaweiJob": {
        const { accessKey, secretKey, projectId, region } = emulator.huawei;
        const cloud = createHuaweiCloud({ region, projectId, endpoint: emulator.restUrl, credentials: huaweiCredentials({ accessKey, secretKey }), clock, sleep: clock.sleep });
        try {
          const job = await submitMrsJob(cloud, { clusterId: emulator.clusters[0], jobType: "SparkSubmit", jobName: "bench", properties: { "emulator.duration_ms": String(durationMs) } });
          const mark = emulator.mark();
          const done = await job.wait(options);
          if (done.jobState !== "FINISHED") throw new Error(`Huawei job ended ${done.jobState}`);
          return { ...pollsOf(emulator, mark, "JobExecutionService/ShowSingleJobExe"), detectionDelayMs: clock.now() - Number(done.finishedTime) };
        } finally {
          cloud.close();
        }
      }
      default:
        throw new Error(`unknown helper ${helper}`);
    }
  });
}

async function sdk(durationMs) {
  return withEmulator(1, async (emulator, clock) => {
    const session = plaintextSession(emulator.url, emulator.iamToken);
    const realSetTimeout = globalThis.setTimeout;
    let pollTimers = 0;
    try {
      const jobs = session.client(jobService.JobServiceClient);
      const op = await jobs.create(jobService.CreateJobRequest.fromPartial({ clusterId: emulator.clusters[0], sparkJob: sparkSpec(durationMs).value }));
      const mark = emulator.mark();
      globalThis.setTimeout = function (callback, ms, ...args) {
        if (typeof callback === "function" && callback.name === "checkOperation") {
          pollTimers++;
          clock.advance(ms);
          setImmediate(callback, ...args);
          return realSetTimeout(() => {}, 0);
        }
        return realSetTimeout(callback, ms, ...args);
      };
      // Its own timeout (default 10 min) set past the job: the waiter's third parameter.
      const done = await waitForOperation(op, session, durationMs + 3_600_000);
      globalThis.setTimeout = realSetTimeout;
      const finishedAt = sdkJob.Job.decode(done.response.value).finishedAt.getTime();
      const result = { ...pollsOf(emulator, mark, "OperationService/Get"), detectionDelayMs: clock.now() - finishedAt };
      if (pollTimers !== result.polls - 1) throw new Error(`SDK waiter: ${pollTimers} poll timers for ${result.polls} polls`);
      if (session.pollInterval !== sdkPollIntervalMs) throw new Error(`SDK poll interval is ${session.pollInterval} ms, not ${sdkPollIntervalMs}`);
      return result;
    } finally {
      globalThis.setTimeout = realSetTimeout;
      session.closeAll();
    }
  });
}

/**
 * One wait at exactly `durationMs`, and what it says about a job ending
 * anywhere in the gap (p₋₁, p] between the two polls around that moment:
 * a waiter's poll times do not depend on when the job ends (nothing resets
 * them), so a job ending at t in that gap is seen at p, a delay of p − t;
 * over end times spread uniformly in the gap the mean delay is g/2 and the
 * worst is g (ending just after p₋₁). With `checks`, that claim is measured
 * too: runs ending at p − k·g/4 (k = 1…3) must be seen exactly k·g/4 late,
 * with the same poll count.
 */
async function measured(run, durationMs, checks) {
  const first = await run(durationMs);
  const gap = first.lastGapMs;
  const pollAt = durationMs + first.detectionDelayMs; // p: the poll that saw the end
  const checked = [];
  if (checks && gap > 0) {
    for (let k = 1; k <= 3; k++) {
      const delay = Math.floor((k * gap) / 4);
      const r = await run(pollAt - delay);
      if (r.detectionDelayMs !== delay || r.polls !== first.polls) {
        throw new Error(`ending ${delay} ms before a poll was seen ${r.detectionDelayMs} ms late after ${r.polls} polls (expected ${delay} ms, ${first.polls} polls)`);
      }
      checked.push(delay);
    }
  }
  return {
    polls: first.polls,
    detectionDelayMs: first.detectionDelayMs,
    meanDelayMs: gap / 2,
    maxDelayMs: gap,
    lastGapMs: gap,
    checkedDelaysMs: checked,
  };
}

export async function waiting({ durationsS = [120, 3600], checkUpToS = 300 } = {}) {
  const byDuration = {};
  for (const s of durationsS) {
    const d = s * 1000;
    const checks = s <= checkUpToS;
    const row = { sdk: await measured(sdk, d, checks) };
    const fmt = (r) => `${r.polls} polls, mean ${(r.meanDelayMs / 1000).toFixed(1)} s, max ${(r.maxDelayMs / 1000).toFixed(1)} s`;
    progress("waiting", `${s} s job: SDK 1 s poll ${fmt(row.sdk)}`);
    for (const helper of [...helpers, "yandexOperationHint1s"]) {
      row[helper] = {};
      for (const policy of policies) {
        const r = await measured((x) => ours(helper, policy, x), d, checks);
        r.pollRatioVsSdk = r.polls / row.sdk.polls;
        row[helper][policy] = r;
        progress("waiting", `${s} s job: ${helperNames[helper]}, ${policy}: ${fmt(r)}`);
      }
    }
    byDuration[s] = row;
  }
  return { sdkPollIntervalMs, durationsS, checkedUpToS: checkUpToS, policies, helpers: [...helpers, "yandexOperationHint1s"], byDuration };
}

const sec = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`);
const cell = (r) => `${r.polls} polls, mean ${sec(r.meanDelayMs)}, max ${sec(r.maxDelayMs)}`;

/**
 * Table rows (see the benchmark contract in bench/run.mjs): one per duration
 * × helper × policy; peer = the official Yandex SDK's 1 s poll for the same
 * duration. Targets: the 120 s operation wait keeps ≤ 0.25 of the SDK's
 * polls with a max delay ≤ 10 s (fixed cap); the 1 h operation wait with the
 * growing cap makes ~80 polls (≤ 90) at a mean delay of ~30 s (≤ 30 s).
 */
export function rows(result) {
  const out = [];
  for (const s of result.durationsS) {
    const row = result.byDuration[s];
    for (const helper of result.helpers) {
      for (const policy of result.policies) {
        const r = row[helper][policy];
        let target = "info";
        let met;
        if (helper === "yandexOperation" && policy === "fixed-cap" && s === 120) {
          target = "polls ≤ 0.25, max delay ≤ 10 s";
          met = r.pollRatioVsSdk <= 0.25 && r.maxDelayMs <= 10_000;
        } else if (helper === "yandexOperation" && policy === "growing-cap" && s === 3600) {
          target = "~80 polls (≤ 90), mean delay ~30 s (≤ 30 s)";
          met = r.polls <= 90 && r.meanDelayMs <= 30_000;
        } else if (helper === "yandexOperationHint1s") {
          target = "info (server-directed)";
        }
        out.push({
          id: "4",
          what: `wait for a ${s} s job: ${helperNames[helper]}, ${policy} — polls, detection delay (peer: official Yandex SDK waitForOperation, 1 s poll)`,
          ours: cell(r),
          peer: cell(row.sdk),
          ratio: `polls ${r.pollRatioVsSdk.toFixed(2)}`,
          target,
          ...(met === undefined ? {} : { met }),
        });
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const durationsS = (process.argv[2] ?? "120,3600").split(",").map(Number);
  report(await waiting({ durationsS }));
}

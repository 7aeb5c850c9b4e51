// 4. Waiting for an operation: Create-job operations that finish 2 s, 30 s and
// 120 s (emulator time) after they start. For each waiter: how many
// OperationService.Get polls it made, and its detection delay (emulator time
// at which the wait returned minus the job's finishedAt).
//
// The emulator runs in this process on a ManualClock; nothing sleeps for real.
//
//   ours  createYandexCloud({ clock, sleep: clock.sleep }) and
//         (await jobs.create(...)).wait(): 500 ms first delay, ×1.5 up to a
//         10 s cap, unless the server's x-operation-poll-interval says
//         otherwise. Run twice: with the emulator's default hint (1 s) and
//         with the hint off (pollIntervalSeconds: 0, an invalid hint the
//         waiter ignores).
//   sdk   the REAL `waitForOperation` of @yandex-cloud/nodejs-sdk 3.2.0
//         (dist/utils/operation/wait-for.js): it polls at once, then
//         `setTimeout(checkOperation, session.pollInterval)` (1000 ms by
//         default, Session.DEFAULT_CONFIG) until done. To run it on the
//         manual clock, the global setTimeout is wrapped while it waits: a
//         timer whose callback is that function (`checkOperation`) advances
//         the clock by its delay and fires on the next turn; every other timer
//         is untouched. The count of such timers is checked against the polls.
//
//   node bench/waiting.mjs
import { fileURLToPath } from "node:url";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createYandexCloud, iamToken } from "../dist/esm/src/index.js";
import { JobService } from "../dist/esm/src/dataproc/v1/index.js";
import { ManualClock, startEmulator } from "../dist/esm/src/testing/index.js";
import { progress, report } from "./lib/report.mjs";
import { job as sdkJob, jobService, plaintextSession, waitForOperation } from "./lib/sdk.mjs";

const durations = [2_000, 30_000, 120_000];
// The exact durations land the finish on the SDK's 1 s poll grid (its best
// case: zero delay). Each duration is also run shifted by these phases; the
// mean and max detection delay over them are reported as well.
const phases = [0, 250, 500, 750];
const ourPollCapMs = 10_000; // WaitOptions.maxDelayMs default (src/operation/wait.ts)

async function withEmulator(pollIntervalSeconds, fn) {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, pollIntervalSeconds, jobTiming: { provisioningMs: 0, pendingMs: 0 } });
  try {
    return await fn(emulator, clock);
  } finally {
    await emulator.close();
  }
}

const spec = (durationMs) => ({
  case: "sparkJob",
  value: { mainJarFileUri: "s3a://bench/app.jar", properties: { "emulator.duration_ms": String(durationMs) } },
});

async function ours(pollIntervalSeconds, durationMs) {
  return withEmulator(pollIntervalSeconds, async (emulator, clock) => {
    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
    try {
      const jobs = cloud.client(JobService);
      const operation = await jobs.create({ clusterId: emulator.clusters[0], jobSpec: spec(durationMs) });
      const startedAt = clock.now();
      emulator.clearCalls();
      const job = await operation.wait();
      const returnedAt = clock.now();
      const finishedAt = timestampMs(job.finishedAt);
      return {
        polls: emulator.callsTo("OperationService/Get").length,
        detectionDelayMs: returnedAt - finishedAt,
        finishedAfterMs: finishedAt - startedAt,
      };
    } finally {
      cloud.close();
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
      const op = await jobs.create(jobService.CreateJobRequest.fromPartial({ clusterId: emulator.clusters[0], sparkJob: spec(durationMs).value }));
      const startedAt = clock.now();
      emulator.clearCalls();
      globalThis.setTimeout = function (callback, ms, ...args) {
        if (typeof callback === "function" && callback.name === "checkOperation") {
          pollTimers++;
          clock.advance(ms);
          return realSetTimeout(callback, 0, ...args);
        }
        return realSetTimeout(callback, ms, ...args);
      };
      const done = await waitForOperation(op, session);
      globalThis.setTimeout = realSetTimeout;
      const returnedAt = clock.now();
      const finishedAt = sdkJob.Job.decode(done.response.value).finishedAt.getTime();
      const polls = emulator.callsTo("OperationService/Get").length;
      if (pollTimers !== polls - 1) throw new Error(`SDK waiter: ${pollTimers} poll timers for ${polls} polls`);
      return { polls, detectionDelayMs: returnedAt - finishedAt, finishedAfterMs: finishedAt - startedAt, pollIntervalMs: session.pollInterval };
    } finally {
      globalThis.setTimeout = realSetTimeout;
      session.closeAll();
    }
  });
}

async function phased(run, d) {
  const runs = [];
  for (const phase of phases) runs.push(await run(d + phase));
  const delays = runs.map((r) => r.detectionDelayMs);
  return {
    ...runs[0],
    meanDelayMs: delays.reduce((a, b) => a + b, 0) / delays.length,
    maxDelayMs: Math.max(...delays),
    pollsByPhase: runs.map((r) => r.polls),
  };
}

export async function waiting() {
  const rows = {};
  for (const d of durations) {
    const row = {
      oursNoHint: await phased((x) => ours(0, x), d),
      oursHint1s: await phased((x) => ours(1, x), d),
      sdk: await phased((x) => sdk(x), d),
    };
    row.pollRatio = { noHint: row.oursNoHint.polls / row.sdk.polls, hint1s: row.oursHint1s.polls / row.sdk.polls };
    rows[d / 1000] = row;
    const fmt = (r) => `${r.polls} polls, delay ${r.detectionDelayMs.toFixed(0)} ms (mean ${r.meanDelayMs.toFixed(0)}, max ${r.maxDelayMs.toFixed(0)})`;
    progress("waiting", `${d / 1000} s: ours ${fmt(row.oursNoHint)}; ours with 1 s hint ${fmt(row.oursHint1s)}; SDK ${fmt(row.sdk)}`);
  }
  return { ourPollCapMs, sdkPollIntervalMs: 1000, phasesMs: phases, durationsS: durations.map((d) => d / 1000), rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) report(await waiting());

// The long version of test/reliability/faults.test.ts: 5 000 job submissions
// over both job services (Data Proc and Managed Spark) against the emulator
// with the same fault mix — about 20 % of all attempts fail with UNAVAILABLE,
// RESOURCE_EXHAUSTED, reset streams, streams reset after the server handled
// the call, or connections killed under the calls in flight — plus NOT_FOUND
// on the first polls of every new operation. Each job is waited to its
// terminal status; then both services are listed and audited.
//
//   npm run soak                      # builds, then 5 000 submissions
//   node bench/soak.mjs --submissions 20000 --concurrency 100 --seed 7
//   node bench/soak.mjs --with-emulator-connection-resets   # the FINDING: crashes the process
//
// Prints the figures (submissions, faults injected by kind, duplicates,
// orphans, max wait, wall time) and exits 1 on any violation: a lost or
// duplicated job, a job not waited to its terminal status, an unhandled
// rejection, or a run over the time bound.
import { parseArgs } from "node:util";
import { JobService as DataprocJobService } from "../dist/esm/src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../dist/esm/src/yandex/spark/v1/index.js";
import {
  OperationError,
  createYandexCloud,
  dataprocJobs,
  iamToken,
  isTerminal,
  listJobs,
  managedSparkJobs,
  statusName,
  submitJob,
  waitForJob,
} from "../dist/esm/src/index.js";
import { ManualClock, startEmulator } from "../dist/esm/src/testing/index.js";
import { emulatorConnectionResetMix, faultMix, runFaultCampaign } from "./lib/fault-campaign.mjs";

const { values } = parseArgs({
  options: {
    submissions: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "50" },
    seed: { type: "string", default: "20240601" },
    "max-wall-seconds": { type: "string", default: "300" },
    "with-emulator-connection-resets": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const submissions = Number(values.submissions);
const concurrency = Number(values.concurrency);
const maxWallMs = Number(values["max-wall-seconds"]) * 1000;

const lib = {
  startEmulator,
  ManualClock,
  createYandexCloud,
  iamToken,
  submitJob,
  waitForJob,
  listJobs,
  dataprocJobs,
  managedSparkJobs,
  isTerminal,
  statusName,
  OperationError,
  DataprocJobService,
  SparkJobService,
};

const firstErrors = [];
const { figures: f, violations } = await runFaultCampaign(lib, {
  submissions,
  concurrency,
  seed: Number(values.seed),
  ...(values["with-emulator-connection-resets"] ? { faults: emulatorConnectionResetMix, proxy: null } : { faults: faultMix }),
  onError: (source, error) => {
    if (firstErrors.length < 5) firstErrors.push(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  },
});
if (f.wallMs > maxWallMs) violations.push(`wall time ${f.wallMs} ms over the bound of ${maxWallMs} ms`);

if (values.json) {
  console.log(JSON.stringify({ figures: f, violations }, null, 2));
} else {
  const kinds = Object.entries(f.faultsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const errors = Object.entries(f.attemptErrors)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`)
    .join("\n");
  console.log(`dataproc-connect soak: ${f.submissions} submissions (${f.perService.dataproc ?? 0} Data Proc, ${f.perService.spark ?? 0} Managed Spark), ${f.concurrency} in flight`);
  console.log(`  jobs existing afterwards   ${f.jobsListed} (expected ${f.submissions})`);
  console.log(`  waited to terminal status  ${f.waited}  ${JSON.stringify(f.statuses)}`);
  console.log(`  lost submissions           ${f.lost}`);
  console.log(`  duplicates / orphans       ${f.duplicates} / ${f.orphans}  (${f.idempotencyKeys} idempotency keys; ${f.createsHandledByServer} Creates handled by the server for them)`);
  console.log(`  unhandled rejections       ${f.unhandledRejections}`);
  console.log(`  faults injected            ${f.faultsInjected}: ${kinds}`);
  console.log(`  attempts                   ${f.attempts}, failed ${f.failedAttempts} (${(f.transientFaultFraction * 100).toFixed(1)} % transient faults, the rest NOT_FOUND lag)`);
  console.log(`  calls seen by the emulator ${f.calls}  ${JSON.stringify(f.outcomes)}`);
  console.log(`  wait per job               p50 ${f.p50WaitMs} ms, max ${f.maxWaitMs} ms`);
  console.log(`  wall time                  ${(f.wallMs / 1000).toFixed(1)} s (bound ${maxWallMs / 1000} s); emulator clock advanced ${(f.emulatorClockAdvancedMs / 3_600_000).toFixed(1)} h`);
  console.log(`  failed attempts by error:\n${errors}`);
  console.log(violations.length === 0 ? "OK: no violation" : `FAILED: ${violations.length} violations`);
  for (const v of violations.slice(0, 20)) console.log(`  - ${v}`);
  for (const e of firstErrors) console.log(`  first errors: ${e}`);
}
process.exitCode = violations.length === 0 ? 0 : 1;

// 5. Logs: 200 MiB of job log read through the follow iterator
// (jobLogs(..., { follow: true })), emulator in a child process so only the
// client's memory is measured here.
//
// The emulator caps one job's log at 64 MiB (`emulator.log_bytes`, src/testing/jobs.ts),
// so the 200 MiB are four jobs of 50 MiB, read one after the other. The jobs
// have finished before reading starts (the emulator builds a job's log lazily,
// on first read: a 1-byte ListLog per job does that before the clock starts),
// so the number is the client's read throughput, not the job's pace.
// RSS is sampled every 50 ms; growth = peak minus the settled RSS before reading.
//
//   node --expose-gc bench/logs.mjs [totalMiB]
import { fileURLToPath } from "node:url";
import { createYandexCloud, iamToken, jobLogs } from "../dist/esm/src/index.js";
import { JobService } from "../dist/esm/src/dataproc/v1/index.js";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { MiB, rssSampler, settledRss } from "./lib/rss.mjs";

export async function logs({ totalMiB = 200, perJobMiB = 50, pageSize } = {}) {
  perJobMiB = Math.min(perJobMiB, totalMiB);
  const jobsCount = Math.ceil(totalMiB / perJobMiB);
  const emulator = await spawnEmulator({ callLogLimit: 100, jobTiming: { provisioningMs: 0, pendingMs: 0, runningMs: 0 } });
  const { ids } = await emulator.call("createJobs", {
    n: jobsCount,
    keep: jobsCount,
    properties: { "emulator.duration_ms": "0", "emulator.log_bytes": String(perJobMiB * MiB) },
  });
  progress("logs", `${jobsCount} jobs × ${perJobMiB} MiB; building the logs in the emulator`);
  await emulator.call("warmLogs", { jobIds: ids });

  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  const clusterId = emulator.clusterId;
  // Warm-up: connection, JIT (a few MiB of the first job, not counted).
  let warm = 0;
  for await (const text of jobLogs(cloud, JobService, { clusterId, jobId: ids[0] }, { follow: true })) {
    warm += text.length;
    if (warm > 8 * MiB) break;
  }

  const baseline = await settledRss();
  const sampler = rssSampler(50);
  await emulator.call("cpuStart");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  let chunks = 0;
  let peakAfterFirstJob;
  for (const jobId of ids) {
    for await (const text of jobLogs(cloud, JobService, { clusterId, jobId }, { follow: true, pageSize })) {
      bytes += Buffer.byteLength(text, "utf8");
      chunks++;
    }
    // Growth after the first job vs after all: flat means memory does not grow with the volume read.
    peakAfterFirstJob ??= sampler.stop(false);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const emu = await emulator.call("cpuStop");
  const peak = sampler.stop();
  cloud.close();
  await emulator.close();
  progress("logs", `${(bytes / MiB).toFixed(1)} MiB in ${seconds.toFixed(2)} s`);
  return {
    jobs: jobsCount,
    perJobMiB,
    pageSize: pageSize ?? "service default (1 MiB)",
    bytes,
    chunks,
    seconds,
    mibPerSec: bytes / MiB / seconds,
    baselineRssMiB: baseline / MiB,
    peakRssMiB: peak / MiB,
    rssGrowthMiB: (peak - baseline) / MiB,
    rssGrowthAfterFirstJobMiB: (peakAfterFirstJob - baseline) / MiB,
    clientCpuShare: (cpu.user + cpu.system) / 1000 / (seconds * 1000),
    emulatorCpuShare: emu.share,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) report(await logs({ totalMiB: Number(process.argv[2] ?? 200), pageSize: process.argv[3] ? Number(process.argv[3]) : undefined }));

// 6. Listing: 100 000 jobs through the list iterator
// (listJobs(cloud, JobService, clusterId, { pageSize: 1000 })), emulator in a
// child process so only the client's memory is measured here.
//
// The emulator has no bulk-insert path, so the jobs are created through
// JobService.Create by a separate load-generator process first (timed and
// reported; it is the slow part of this benchmark).
//
//   node --expose-gc bench/listing.mjs [jobs]
import { fileURLToPath } from "node:url";
import { createYandexCloud, iamToken, listJobs } from "../dist/esm/src/index.js";
import { JobService } from "../dist/esm/src/dataproc/v1/index.js";
import { seedJobs, spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { MiB, rssSampler, settledRss } from "./lib/rss.mjs";

// Creating the jobs is bounded so that `npm run bench` stays under 10 minutes
// on a busy machine; if the budget runs out, fewer jobs are listed and the
// result says so (`requested` vs `jobs`).
export async function listing({ jobs = 100_000, pageSize = 1000, seedBudgetMs = Number(process.env.BENCH_SEED_BUDGET_MS ?? 360_000) } = {}) {
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const seeded = await seedJobs(emulator, jobs, {
    concurrency: 128,
    deadlineMs: seedBudgetMs,
    onProgress: (n) => progress("listing", `created ${n}/${jobs} jobs`),
  });
  const seededCount = seeded.done;
  progress("listing", `created ${seededCount} jobs in ${(seeded.ms / 1000).toFixed(1)} s (${((seededCount / seeded.ms) * 1000).toFixed(0)}/s)`);
  if (seededCount < jobs) progress("listing", `seeding hit its ${seedBudgetMs / 1000} s budget: listing ${seededCount} jobs, not ${jobs}`);

  // Under run.mjs the slow seeding overlaps benchmarks that measure no time
  // (footprint, waiting); measuring waits for its turn so it runs alone.
  if (process.send && process.env.BENCH_LISTING_WAIT_FOR_GO) {
    await new Promise((resolve) => {
      process.on("message", (m) => m?.type === "go" && resolve());
      process.send({ type: "ready" });
    });
  }

  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  // Warm-up: connection, JIT (one page).
  for await (const job of listJobs(cloud, JobService, emulator.clusterId, { pageSize })) if (job) break;

  const baseline = await settledRss();
  const sampler = rssSampler(50);
  await emulator.call("cpuStart");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let count = 0;
  let last = "";
  let peakAtTenth;
  const tenth = Math.floor(seededCount / 10);
  for await (const job of listJobs(cloud, JobService, emulator.clusterId, { pageSize })) {
    count++;
    last = job.id;
    // Growth over the first tenth vs over all: flat means memory does not grow with the count.
    if (count === tenth) peakAtTenth = sampler.stop(false);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const emu = await emulator.call("cpuStop");
  const peak = sampler.stop();
  cloud.close();
  await emulator.close();
  if (count !== seededCount) throw new Error(`listed ${count} jobs, expected ${seededCount} (last ${last})`);
  progress("listing", `listed ${count} jobs in ${seconds.toFixed(2)} s`);
  return {
    requested: jobs,
    jobs: count,
    pageSize,
    seedSeconds: seeded.ms / 1000,
    seedBudgetSeconds: seedBudgetMs / 1000,
    seconds,
    jobsPerSec: count / seconds,
    baselineRssMiB: baseline / MiB,
    peakRssMiB: peak / MiB,
    rssGrowthMiB: (peak - baseline) / MiB,
    rssGrowthAtTenthMiB: (peakAtTenth - baseline) / MiB,
    clientCpuShare: (cpu.user + cpu.system) / 1000 / (seconds * 1000),
    emulatorCpuShare: emu.share,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) report(await listing({ jobs: Number(process.argv[2] ?? 100_000) }));

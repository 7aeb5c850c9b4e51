// 6. Listing: `jobs` (default 100 000) jobs through the list iterator
// (listJobs(cloud, JobService, clusterId, { pageSize: 1000 })), emulator in
// a child process so only the client's memory is measured here.
//
// Seeding: the jobs go straight into the emulator's store through its
// testing state API (`emulator.seedJobs`, in the emulator's process): the
// same job records JobService.Create stores, in seconds instead of minutes
// of gRPC Creates. The benchmark measures listing, not creating.
//
// Memory: the client's RSS right after listing depends on when V8 last
// collected (the same run passed at 35.5 MiB and failed at 66.7 MiB), so
// the figure that counts is measured after a forced GC (--expose-gc):
// before each round the heap is collected and RSS settled (the baseline);
// at every tenth of the jobs and at the end the loop pauses, collects, and
// records RSS and heap used. A round's `afterGcRssGrowthMiB` is the largest
// of those minus the baseline; `afterGcHeapGrowthMiB` the same for the heap.
// The RSS peak sampled every 50 ms without forcing GC is reported too
// (`peakRssGrowthMiB`, GC-timing dependent, info). `rounds` (default 5)
// rounds list the same jobs; medians and ranges (min–max) over them. Time in
// the forced collections is left out of jobs/s.
//
//   node --expose-gc bench/listing.mjs [jobs=100000] [rounds=5]
import { fileURLToPath } from "node:url";
import { createYandexCloud, iamToken, listJobs } from "dataproc-connect";
import { JobService } from "dataproc-connect/dataproc/v1";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { MiB, rssSampler, settledRss } from "./lib/rss.mjs";
import { median } from "./lib/stats.mjs";

const gcAvailable = typeof globalThis.gc === "function";

/** Collects garbage and returns RSS and heap used (bytes) right after. */
async function afterGc() {
  const rss = await settledRss();
  return { rss, heap: process.memoryUsage().heapUsed };
}

async function round(cloud, emulator, seeded, pageSize) {
  const base = await afterGc();
  const sampler = rssSampler(50);
  await emulator.call("cpuStart");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let gcMs = 0;
  let count = 0;
  let last = "";
  const checkpoints = [];
  const step = Math.max(1, Math.floor(seeded / 10));
  const checkpoint = async () => {
    const g0 = performance.now();
    const m = await afterGc();
    checkpoints.push({ jobs: count, rssGrowthMiB: (m.rss - base.rss) / MiB, heapGrowthMiB: (m.heap - base.heap) / MiB });
    gcMs += performance.now() - g0;
  };
  for await (const job of listJobs(cloud, JobService, emulator.clusterId, { pageSize })) {
    count++;
    last = job.id;
    if (count % step === 0) await checkpoint();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const emu = await emulator.call("cpuStop");
  const peak = sampler.stop();
  if (count % step !== 0) await checkpoint();
  if (count !== seeded) throw new Error(`listed ${count} jobs, expected ${seeded} (last ${last})`);
  const listMs = wallMs - gcMs;
  return {
    jobs: count,
    seconds: listMs / 1000,
    jobsPerSec: count / (listMs / 1000),
    baselineRssMiB: base.rss / MiB,
    afterGcRssGrowthMiB: Math.max(...checkpoints.map((c) => c.rssGrowthMiB)),
    afterGcHeapGrowthMiB: Math.max(...checkpoints.map((c) => c.heapGrowthMiB)),
    afterGcRssGrowthAtTenthMiB: checkpoints[0].rssGrowthMiB,
    peakRssGrowthMiB: (peak - base.rss) / MiB,
    // CPU of the whole loop, forced collections included (they are the client's too).
    clientCpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
    emulatorCpuShare: emu.share,
    checkpoints,
  };
}

const summary = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

export async function listing({ jobs = 100_000, pageSize = 1000, rounds = 5 } = {}) {
  if (!gcAvailable) throw new Error("bench/listing.mjs needs --expose-gc: its memory figure is measured after a forced GC");
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  try {
    const seeded = await emulator.call("seedJobs", { n: jobs });
    progress("listing", `seeded ${seeded.count} jobs in ${(seeded.ms / 1000).toFixed(2)} s (emulator.seedJobs, no gRPC)`);

    // Under run.mjs, measuring may wait for its turn so that it runs alone.
    if (process.send && process.env.BENCH_LISTING_WAIT_FOR_GO) {
      await new Promise((resolve) => {
        process.on("message", (m) => m?.type === "go" && resolve());
        process.send({ type: "ready" });
      });
    }

    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    try {
      // Warm-up: connection, JIT (one page).
      for await (const job of listJobs(cloud, JobService, emulator.clusterId, { pageSize })) if (job) break;
      const results = [];
      for (let r = 0; r < rounds; r++) {
        const one = await round(cloud, emulator, seeded.count, pageSize);
        results.push(one);
        progress(
          "listing",
          `round ${r + 1}/${rounds}: ${one.jobs} jobs in ${one.seconds.toFixed(2)} s; after GC RSS +${one.afterGcRssGrowthMiB.toFixed(1)} MiB, heap +${one.afterGcHeapGrowthMiB.toFixed(1)} MiB; sampled peak +${one.peakRssGrowthMiB.toFixed(1)} MiB`,
        );
      }
      return {
        jobs: seeded.count,
        pageSize,
        rounds,
        seedSeconds: seeded.ms / 1000,
        seedMethod: "emulator.seedJobs (testing state API)",
        jobsPerSec: summary(results.map((r) => r.jobsPerSec)),
        afterGcRssGrowthMiB: summary(results.map((r) => r.afterGcRssGrowthMiB)),
        afterGcHeapGrowthMiB: summary(results.map((r) => r.afterGcHeapGrowthMiB)),
        afterGcRssGrowthAtTenthMiB: summary(results.map((r) => r.afterGcRssGrowthAtTenthMiB)),
        peakRssGrowthMiB: summary(results.map((r) => r.peakRssGrowthMiB)),
        clientCpuShare: summary(results.map((r) => r.clientCpuShare)),
        emulatorCpuShare: summary(results.map((r) => r.emulatorCpuShare)),
        byRound: results,
      };
    } finally {
      cloud.close();
    }
  } finally {
    await emulator.close();
  }
}

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const pct = (v) => `${f(v * 100, 0)}%`;
const mr = (s, d = 1, unit = "") => `${f(s.median, d)}${unit} (${f(s.min, d)}–${f(s.max, d)})`;

/**
 * Table rows (see the benchmark contract in bench/run.mjs). The memory gate
 * (≤ 64 MiB) is on the after-GC RSS growth, median over rounds.
 */
export function rows(result) {
  const n = result.rounds;
  return [
    {
      id: "6",
      what: `list ${result.jobs} jobs, page ${result.pageSize}: jobs/s, median (range) of ${n} rounds`,
      ours: mr(result.jobsPerSec, 0),
      target: `info (seeded in ${f(result.seedSeconds, 2)} s through emulator.seedJobs)`,
    },
    {
      id: "6",
      what: `list: RSS growth after a forced GC (worst checkpoint), median (range) of ${n} rounds`,
      ours: mr(result.afterGcRssGrowthMiB, 1, " MiB"),
      target: "≤ 64 MiB",
      met: result.afterGcRssGrowthMiB.median <= 64,
    },
    {
      id: "6",
      what: "list: heap growth after a forced GC; after a tenth → worst, RSS",
      ours: `heap ${mr(result.afterGcHeapGrowthMiB, 1, " MiB")}; RSS ${f(result.afterGcRssGrowthAtTenthMiB.median)} → ${f(result.afterGcRssGrowthMiB.median)} MiB`,
      target: "info (flat: memory does not grow with the count)",
    },
    {
      id: "6",
      what: "list: sampled RSS peak growth without forcing GC (depends on GC timing)",
      ours: mr(result.peakRssGrowthMiB, 1, " MiB"),
      target: "info",
    },
    {
      id: "6",
      what: "list: client / emulator CPU, share of one core (medians)",
      ours: `${pct(result.clientCpuShare.median)} / ${pct(result.emulatorCpuShare.median)}`,
      target: "info",
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  report(await listing({ jobs: Number(process.argv[2] ?? 100_000), rounds: Number(process.argv[3] ?? 5) }));
}

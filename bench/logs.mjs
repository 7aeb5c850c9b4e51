// 5. Logs: following `totalMiB` (default 200) of job log through the follow
// iterator (jobLogs(..., { follow: true })), with the emulator's response
// compression on ("gzip", the emulator's default: every 1 MiB ListLog page
// is gzipped because the client advertises gzip) and off ("none"), in the
// same run. Each setting has its own emulator in its own child process, so
// only the client's CPU and memory are measured here, and each emulator's
// CPU is its own.
//
// The emulator caps one job's log at 64 MiB (`emulator.log_bytes`), so each
// emulator holds one finished job of `perJobMiB` (50) and the client reads
// it `totalMiB / perJobMiB` times (a read is a fresh jobLogs() from the first
// page; the client keeps nothing between reads). The log is built before the
// clock starts (the emulator builds it lazily, on first read: a 1-byte
// ListLog does that), so the figure is the client's read throughput, not the
// job's pace. Reads alternate between the settings (gzip, none, none, gzip,
// …), so drift on a busy machine hits both alike.
//
// Memory: before each read the heap is collected (--expose-gc) and RSS
// settled; RSS is sampled every 50 ms during the read. Growth of a read =
// its peak minus the settled RSS before it; `rssGrowthMiB` is the largest
// over a setting's reads, `peakRssGrowthMiB` the setting's highest peak
// above the RSS settled before the first measured read.
//
//   node --expose-gc bench/logs.mjs [totalMiB=200] [pageSize]
import { fileURLToPath } from "node:url";
import { createYandexCloud, iamToken, jobLogs } from "dataproc-connect";
import { JobService } from "dataproc-connect/dataproc/v1";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { MiB, rssSampler, settledRss } from "./lib/rss.mjs";
import { median } from "./lib/stats.mjs";

export const settings = ["gzip", "none"];

async function contender(compression, perJobMiB) {
  const emulator = await spawnEmulator({ compression, callLogLimit: 100, jobTiming: { provisioningMs: 0, pendingMs: 0, runningMs: 0 } });
  const { ids } = await emulator.call("createJobs", {
    n: 1,
    keep: 1,
    properties: { "emulator.duration_ms": "0", "emulator.log_bytes": String(perJobMiB * MiB) },
  });
  await emulator.call("warmLogs", { jobIds: ids });
  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  return { compression, emulator, cloud, ref: { clusterId: emulator.clusterId, jobId: ids[0] }, reads: [] };
}

/** Reads the whole log once; bytes, wall time, client and emulator CPU. */
async function readOnce(c, pageSize) {
  await c.emulator.call("cpuStart");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  let chunks = 0;
  for await (const text of jobLogs(c.cloud, JobService, c.ref, { follow: true, ...(pageSize ? { pageSize } : {}) })) {
    bytes += Buffer.byteLength(text, "utf8");
    chunks++;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const emu = await c.emulator.call("cpuStop");
  return { bytes, chunks, ms, clientCpuMs: (cpu.user + cpu.system) / 1000, emulatorCpuMs: emu.cpuMs };
}

export async function logs({ totalMiB = 200, perJobMiB = 50, pageSize } = {}) {
  // At least two reads per setting, so the settings alternate even in a small run.
  perJobMiB = Math.min(perJobMiB, Math.max(1, Math.floor(totalMiB / 2)));
  const readsPerSetting = Math.ceil(totalMiB / perJobMiB);
  progress("logs", `${settings.join(" and ")}: ${readsPerSetting} reads × ${perJobMiB} MiB each; building the logs in the emulators`);
  const contenders = [];
  for (const s of settings) contenders.push(await contender(s, perJobMiB));
  try {
    // Warm-up: connection, JIT (a few MiB of each, not counted).
    for (const c of contenders) {
      let warm = 0;
      for await (const text of jobLogs(c.cloud, JobService, c.ref, { follow: true })) {
        warm += text.length;
        if (warm > 8 * MiB) break;
      }
    }
    const start = await settledRss();
    for (let i = 0; i < readsPerSetting; i++) {
      const order = i % 2 === 0 ? contenders : [...contenders].reverse();
      for (const c of order) {
        const before = await settledRss();
        const sampler = rssSampler(50);
        const read = await readOnce(c, pageSize);
        const peak = sampler.stop();
        c.reads.push({ ...read, rssBeforeMiB: before / MiB, peakRssMiB: peak / MiB, rssGrowthMiB: (peak - before) / MiB, peakAboveStartMiB: (peak - start) / MiB });
        progress("logs", `${c.compression}: ${(read.bytes / MiB).toFixed(1)} MiB in ${(read.ms / 1000).toFixed(2)} s`);
      }
    }
    const byCompression = {};
    for (const c of contenders) {
      const bytes = c.reads.reduce((a, r) => a + r.bytes, 0);
      const ms = c.reads.reduce((a, r) => a + r.ms, 0);
      const perRead = c.reads.map((r) => r.bytes / MiB / (r.ms / 1000));
      byCompression[c.compression] = {
        reads: c.reads.length,
        bytes,
        chunks: c.reads.reduce((a, r) => a + r.chunks, 0),
        seconds: ms / 1000,
        mibPerSec: bytes / MiB / (ms / 1000),
        mibPerSecMedian: median(perRead),
        mibPerSecRange: [Math.min(...perRead), Math.max(...perRead)],
        clientCpuShare: c.reads.reduce((a, r) => a + r.clientCpuMs, 0) / ms,
        emulatorCpuShare: c.reads.reduce((a, r) => a + r.emulatorCpuMs, 0) / ms,
        rssGrowthMiB: Math.max(...c.reads.map((r) => r.rssGrowthMiB)),
        rssGrowthFirstReadMiB: c.reads[0].rssGrowthMiB,
        peakRssGrowthMiB: Math.max(...c.reads.map((r) => r.peakAboveStartMiB)),
        readsDetail: c.reads,
      };
    }
    return {
      totalMiB,
      perJobMiB,
      readsPerSetting,
      pageSize: pageSize ?? "service default (1 MiB)",
      baselineRssMiB: start / MiB,
      byCompression,
      speedupNoneVsGzip: byCompression.none.mibPerSec / byCompression.gzip.mibPerSec,
    };
  } finally {
    for (const c of contenders) {
      c.cloud.close();
      await c.emulator.close();
    }
  }
}

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const pct = (v) => `${f(v * 100, 0)}%`;

/**
 * Table rows (see the benchmark contract in bench/run.mjs). The peer of each
 * row is the same client against the emulator with compression on (gzip),
 * measured in the same run; the RSS gate (≤ 64 MiB growth) holds for both.
 */
export function rows(result) {
  const on = result.byCompression.gzip;
  const off = result.byCompression.none;
  const range = (r) => `${f(r.mibPerSecRange[0])}–${f(r.mibPerSecRange[1])}`;
  const mib = f((off.bytes + on.bytes) / 2 / MiB, 0);
  return [
    {
      id: "5",
      what: `logs: ${mib} MiB via follow iterator, MiB/s (median, range of ${off.reads} reads); emulator compression off (peer: on, gzip)`,
      ours: `${f(off.mibPerSecMedian)} (${range(off)})`,
      peer: `${f(on.mibPerSecMedian)} (${range(on)})`,
      ratio: `off/on ${f(result.speedupNoneVsGzip, 2)}×`,
      target: "info",
    },
    {
      id: "5",
      what: "logs: client / emulator CPU, share of one core; compression off (peer: on)",
      ours: `${pct(off.clientCpuShare)} / ${pct(off.emulatorCpuShare)}`,
      peer: `${pct(on.clientCpuShare)} / ${pct(on.emulatorCpuShare)}`,
      target: "info",
    },
    {
      id: "5",
      what: "logs: RSS growth per read after a forced GC, first → worst read; compression off (peer: on)",
      ours: `${f(off.rssGrowthFirstReadMiB)} → ${f(off.rssGrowthMiB)} MiB`,
      peer: `${f(on.rssGrowthFirstReadMiB)} → ${f(on.rssGrowthMiB)} MiB`,
      target: "≤ 64 MiB",
      met: off.rssGrowthMiB <= 64 && on.rssGrowthMiB <= 64,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  report(await logs({ totalMiB: Number(process.argv[2] ?? 200), pageSize: process.argv[3] ? Number(process.argv[3]) : undefined }));
}

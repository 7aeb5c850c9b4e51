// The rows bench/run.mjs built itself for the bench files that do not export
// `rows(result)` yet (unary, waiting, logs, listing: their owners are
// reshaping them). run.mjs uses a file's own rows() as soon as it has one;
// delete each function here once its file exports rows().
const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const ms = (v) => (v >= 1000 ? `${f(v / 1000, 2)} s` : `${f(v, v < 10 ? 2 : 0)} ms`);
const pct = (v) => `${f(v * 100, 0)}%`;

export function unary(result) {
  const rows = [];
  for (const [c, r] of Object.entries(result.concurrency)) {
    const us = (x) => `${f(x, 0)} µs`;
    rows.push(
      { id: "3", what: `JobService.Get, concurrency ${c}: calls/s; peer: official SDK`, ours: f(r.ours.callsPerSec, 0), raw: f(r.raw.callsPerSec, 0), peer: f(r.sdk.callsPerSec, 0), ratio: `ours/raw ${f(r.ratio.oursVsRaw)}`, target: "≥ 0.97", met: r.ratio.oursVsRaw >= 0.97 },
      { id: "3", what: "", ours: "", ratio: `ours/SDK ${f(r.ratio.oursVsSdk)}`, target: "info" },
      { id: "3", what: `JobService.Get, concurrency ${c}: p50 / p99`, ours: `${ms(r.ours.p50)} / ${ms(r.ours.p99)}`, raw: `${ms(r.raw.p50)} / ${ms(r.raw.p99)}`, peer: `${ms(r.sdk.p50)} / ${ms(r.sdk.p99)}`, target: "info" },
      { id: "3", what: `JobService.Get, concurrency ${c}: client CPU per call`, ours: us(r.ours.clientCpuUsPerCall), raw: us(r.raw.clientCpuUsPerCall), peer: us(r.sdk.clientCpuUsPerCall), ratio: `ours/raw ${f(r.ratio.clientCpuPerCallOursVsRaw)}`, target: "info" },
    );
  }
  return rows;
}

export function waiting(result) {
  const rows = [];
  const delay = (v) => (v >= 1000 ? `${f(v / 1000, 2)} s` : `${f(v, 0)} ms`);
  const cell = (x) => `${x.polls} polls, +${delay(x.detectionDelayMs)} (mean ${delay(x.meanDelayMs)})`;
  for (const s of result.durationsS) {
    const r = result.rows[s];
    const last = s === result.durationsS.at(-1);
    rows.push({
      id: "4",
      what: `wait for a ${s} s operation: polls, detection delay; peer: official SDK (1 s poll)`,
      ours: cell(r.oursNoHint),
      peer: cell(r.sdk),
      ratio: `polls ${f(r.pollRatio.noHint)}`,
      target: last ? `≤ 0.25, delay ≤ ${ms(result.ourPollCapMs)}` : "info",
      ...(last ? { met: r.pollRatio.noHint <= 0.25 && r.oursNoHint.maxDelayMs <= result.ourPollCapMs } : {}),
    });
    rows.push({ id: "4", what: "  same, server sends x-operation-poll-interval: 1", ours: cell(r.oursHint1s), peer: cell(r.sdk), ratio: `polls ${f(r.pollRatio.hint1s)}`, target: "info (server-directed)" });
  }
  return rows;
}

export function logs(result) {
  return [
    { id: "5", what: `logs: ${f(result.bytes / 2 ** 20, 0)} MiB via follow iterator`, ours: `${f(result.mibPerSec, 1)} MiB/s`, target: "info" },
    { id: "5", what: `logs: peak RSS growth (after the first ${result.perJobMiB} MiB → all)`, ours: `${f(result.rssGrowthAfterFirstJobMiB, 1)} → ${f(result.rssGrowthMiB, 1)} MiB`, target: "≤ 64 MiB", met: result.rssGrowthMiB <= 64 },
    { id: "5", what: "logs: emulator / client CPU", ours: `${pct(result.emulatorCpuShare)} / ${pct(result.clientCpuShare)}`, target: "info" },
  ];
}

export function listing(result) {
  const short = result.jobs < result.requested ? ` (of ${result.requested} requested: seeding budget ran out)` : "";
  return [
    { id: "6", what: `list ${result.jobs} jobs${short}, page ${result.pageSize}`, ours: `${f(result.jobsPerSec, 0)} jobs/s`, target: `info (creating them took ${f(result.seedSeconds, 0)} s)` },
    {
      id: "6",
      what: `list: peak RSS growth (after ${result.jobs / 10} → all)`,
      ours: `${f(result.rssGrowthAtTenthMiB, 1)} → ${f(result.rssGrowthMiB, 1)} MiB`,
      target: "≤ 64 MiB",
      met: result.rssGrowthMiB <= 64 && result.jobs === result.requested,
    },
    { id: "6", what: "list: emulator / client CPU", ours: `${pct(result.emulatorCpuShare)} / ${pct(result.clientCpuShare)}`, target: "info" },
  ];
}

// `npm run bench`: every benchmark, each in a fresh process, then one table on
// stdout and bench/results.json. Progress goes to stderr.
//
// Contenders are always compared in the same run, on the same emulator over
// loopback, alternating; read the ratios, not the absolute numbers (this is
// a small shared machine).
//
// Order: the listing benchmark's slow part (creating 100 000 jobs through
// gRPC) starts first and overlaps the two benchmarks that measure no time
// (install footprint, poll counting on a manual clock); everything timed
// then runs alone, one after the other.
import { fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "./lib/stats.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
// BENCH_QUICK=1: a smoke run with tiny sizes, to check the harness; numbers not for quoting.
const quick = Boolean(process.env.BENCH_QUICK);
const started = performance.now();
const log = (m) => process.stderr.write(`[bench] ${m} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);

/** Forks bench/<file>; resolves with the result it reports. `onReady` gets a `go()` for two-phase benchmarks. */
function runBench(file, { args = [], execArgv = [], env = {}, onReady } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, file), args, {
      execArgv,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    let result;
    child.on("message", (m) => {
      if (m?.type === "result") result = m.result;
      if (m?.type === "ready") onReady?.(() => child.send({ type: "go" }));
    });
    child.on("error", reject);
    child.on("exit", (code) => (result ? resolve(result) : reject(new Error(`${file} exited with code ${code} and no result`))));
  });
}

const workDir = await mkdtemp(join(os.tmpdir(), "dataproc-connect-bench-"));
const loadBefore = os.loadavg();
log(`work dir ${workDir}`);

let goListing;
const listingReady = new Promise((resolve) => (goListing = resolve));
log("6. listing: creating 100 000 jobs in the background");
const listingDone = runBench("listing.mjs", {
  execArgv: ["--expose-gc"],
  args: quick ? ["3000"] : [],
  env: { BENCH_LISTING_WAIT_FOR_GO: "1" },
  onReady: (go) => goListing(go),
});
listingDone.catch(() => goListing(null)); // do not hang if it fails before being ready

log("1. install footprint");
const footprint = await runBench("footprint.mjs", { args: [workDir] });
log("4. waiting (manual clock)");
const waiting = await runBench("waiting.mjs");
log("   waiting for the listing benchmark's jobs");
const go = await listingReady;
log("2. cold import");
const coldImport = await runBench("import.mjs", { args: [workDir, quick ? "2" : "20"] });
log("3. unary calls");
const unary = await runBench("unary.mjs", { args: quick ? ["--seconds", "0.3", "--rounds", "2"] : ["--seconds", "1.5", "--rounds", "8"] });
log("5. logs");
const logs = await runBench("logs.mjs", { execArgv: ["--expose-gc"], args: [quick ? "20" : "200"] });
log("7. REST vs gRPC Get");
const restVsGrpc = await runBench("rest.mjs", { args: quick ? ["--seconds", "0.3", "--rounds", "2"] : ["--seconds", "1", "--rounds", "6"] });
log("8. signing cost per call");
const signing = await runBench("signing.mjs", { args: quick ? ["--batch", "200", "--rounds", "2", "--seconds", "0.3"] : ["--batch", "2000", "--rounds", "7", "--seconds", "1"] });
log("6. listing: measuring");
go?.();
const listing = await listingDone;
await rm(workDir, { recursive: true, force: true });
const totalSeconds = (performance.now() - started) / 1000;
log("done");

// ---- the table ----------------------------------------------------------------

const megabyte = 1e6;
const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const ms = (v) => (v >= 1000 ? `${f(v / 1000, 2)} s` : `${f(v, v < 10 ? 2 : 0)} ms`);
const pct = (v) => `${f(v * 100, 0)}%`;
const pct1 = (v) => `${f(v * 100, 1)}%`;
const mark = (ok) => (ok === undefined ? "" : ok ? "✓" : "✗");
const rows = [];
const row = (id, what, ours, raw, sdk, ratio, target, met) => rows.push({ id, what, ours, raw, sdk, ratio, target, met });

// 1
row("1", "install: node_modules size (apparent bytes)", `${f(footprint.ours.bytes / megabyte)} MB`, "", `${f(footprint.theirs.bytes / megabyte)} MB`,
  `${f(footprint.ratio.bytes)}`, "≤ 0.10", footprint.ratio.bytes <= 0.1);
row("1", "install: packages", `${footprint.ours.packages}`, "", `${footprint.theirs.packages}`,
  `${f(footprint.ratio.packages)}`, "≤ 0.10", footprint.ratio.packages <= 0.1);
// 2
row("2", `cold import, median of ${coldImport.ours.runs} fresh processes`, ms(coldImport.ours.importMs), "", ms(coldImport.theirs.importMs),
  `${f(coldImport.speedup.import)}× faster`, "≥ 4×", coldImport.speedup.import >= 4);
if (coldImport.bundledExperiment) {
  const b = coldImport.bundledExperiment;
  row("2", "  experiment: our same imports bundled into one file", ms(b.importMs), "", ms(coldImport.theirs.importMs),
    `${f(b.speedupVsTheirs)}× faster`, "info (not shipped)");
}
row("2", "cold start, whole process (spawn → exit)", ms(coldImport.ours.wallMs), "", ms(coldImport.theirs.wallMs),
  `${f(coldImport.speedup.wall)}× faster`, `info (bare node: ${ms(coldImport.bareNodeWallMs)})`);
// 3
for (const [c, r] of Object.entries(unary.concurrency)) {
  row("3", `Get, concurrency ${c}: calls/s`, f(r.ours.callsPerSec, 0), f(r.raw.callsPerSec, 0), f(r.sdk.callsPerSec, 0),
    `ours/raw ${f(r.ratio.oursVsRaw)}`, "≥ 0.90", r.ratio.oursVsRaw >= 0.9);
  row("3", "", "", "", "", `ours/SDK ${f(r.ratio.oursVsSdk)}`, "> 1.00", r.ratio.oursVsSdk > 1);
  row("3", `Get, concurrency ${c}: p50 / p99`, `${ms(r.ours.p50)} / ${ms(r.ours.p99)}`, `${ms(r.raw.p50)} / ${ms(r.raw.p99)}`,
    `${ms(r.sdk.p50)} / ${ms(r.sdk.p99)}`, "", "info");
  row("3", `Get, concurrency ${c}: emulator / client CPU`, `${pct(r.ours.emulatorCpuShare)} / ${pct(r.ours.clientCpuShare)}`,
    `${pct(r.raw.emulatorCpuShare)} / ${pct(r.raw.clientCpuShare)}`, `${pct(r.sdk.emulatorCpuShare)} / ${pct(r.sdk.clientCpuShare)}`, "", "info (share of one core)");
  const us = (x) => `${f(x, 0)} µs`;
  row("3", `Get, concurrency ${c}: client CPU per call`, us(r.ours.clientCpuUsPerCall), us(r.raw.clientCpuUsPerCall), us(r.sdk.clientCpuUsPerCall),
    `ours/raw ${f(r.ratio.clientCpuPerCallOursVsRaw)}`, "info");
}
// 4
for (const s of waiting.durationsS) {
  const r = waiting.rows[s];
  const delay = (v) => (v >= 1000 ? `${f(v / 1000, 2)} s` : `${f(v, 0)} ms`);
  const cell = (x) => `${x.polls} polls, +${delay(x.detectionDelayMs)} (mean ${delay(x.meanDelayMs)})`;
  const last = s === waiting.durationsS.at(-1);
  row("4", `wait for a ${s} s operation: polls, detection delay`, cell(r.oursNoHint), "", cell(r.sdk),
    `polls ${f(r.pollRatio.noHint)}`, last ? `≤ 0.25, delay ≤ ${ms(waiting.ourPollCapMs)}` : "info",
    last ? r.pollRatio.noHint <= 0.25 && r.oursNoHint.maxDelayMs <= waiting.ourPollCapMs : undefined);
  row("4", `  same, server sends x-operation-poll-interval: 1`, cell(r.oursHint1s), "", cell(r.sdk), `polls ${f(r.pollRatio.hint1s)}`, "info (server-directed)");
}
// 5
row("5", `logs: ${f(logs.bytes / 2 ** 20, 0)} MiB via follow iterator`, `${f(logs.mibPerSec, 1)} MiB/s`, "", "", "", "info");
row("5", `logs: peak RSS growth (after the first ${logs.perJobMiB} MiB → all)`, `${f(logs.rssGrowthAfterFirstJobMiB, 1)} → ${f(logs.rssGrowthMiB, 1)} MiB`, "", "", "", "≤ 64 MiB", logs.rssGrowthMiB <= 64);
row("5", "logs: emulator / client CPU", `${pct(logs.emulatorCpuShare)} / ${pct(logs.clientCpuShare)}`, "", "", "", "info");
// 6
const short = listing.jobs < listing.requested ? ` (of ${listing.requested} requested: seeding budget ran out)` : "";
row("6", `list ${listing.jobs} jobs${short}, page ${listing.pageSize}`, `${f(listing.jobsPerSec, 0)} jobs/s`, "", "", "",
  `info (creating them took ${f(listing.seedSeconds, 0)} s)`);
row("6", `list: peak RSS growth (after ${listing.jobs / 10} → all)`, `${f(listing.rssGrowthAtTenthMiB, 1)} → ${f(listing.rssGrowthMiB, 1)} MiB`, "", "", "",
  "≤ 64 MiB", listing.rssGrowthMiB <= 64 && listing.jobs === listing.requested);
row("6", "list: emulator / client CPU", `${pct(listing.emulatorCpuShare)} / ${pct(listing.clientCpuShare)}`, "", "", "", "info");
// 7
row("7", `REST Get calls/s vs gRPC Get in the same run (concurrency ${restVsGrpc.clients})`, f(restVsGrpc.restPerSecond, 0), f(restVsGrpc.grpcPerSecond, 0), "",
  `REST/gRPC ${f(restVsGrpc.ratio)}`, "info (raw column: our gRPC client)");
// 8
{
  const u = signing.usPerSignature;
  const us1 = (x) => `${f(x, 1)} µs`;
  row("8", "SigV4 sign, µs per signature: GET / POST (~200 B JSON)", `${us1(u["ours SigV4 GET"])} / ${us1(u["ours SigV4 POST"])}`, "",
    `${us1(u["SDK SigV4 GET"])} / ${us1(u["SDK SigV4 POST"])}`, `ours/SDK ${f(signing.ratioOursVsSdk.get)} / ${f(signing.ratioOursVsSdk.post)}`,
    "info (SDK column: @smithy/signature-v4)");
  row("8", "SigV4: share of a REST getJobRun (one caller)", pct1(signing.shareOfCall.sigV4), "", "",
    `${f(signing.restGet.aws.perSecond, 0)} calls/s, ${ms(signing.restGet.aws.usPerCall / 1000)}/call`, "info");
  row("8", "SDK-HMAC-SHA256 sign, µs per signature: GET / POST (~200 B JSON)",
    `${us1(u["ours SDK-HMAC-SHA256 GET"])} / ${us1(u["ours SDK-HMAC-SHA256 POST"])}`, "", "", "", "info");
  row("8", "SDK-HMAC-SHA256: share of a REST showSingleJobExe (one caller)", pct1(signing.shareOfCall.sdkHmacSha256), "", "",
    `${f(signing.restGet.huawei.perSecond, 0)} calls/s, ${ms(signing.restGet.huawei.usPerCall / 1000)}/call`, "info");
}

const cpus = os.cpus();
const machine = `${cpus[0]?.model ?? "unknown CPU"} × ${cpus.length}, ${os.platform()} ${os.arch()}, ${f(os.totalmem() / 2 ** 30, 0)} GiB`;
const date = new Date().toISOString();
const header = ["#", "benchmark", "dataproc-connect", "raw Connect", "official SDK 3.2.0", "ratio", "target", "met"];
const lines = [
  `dataproc-connect benchmarks, ${date}${quick ? " — QUICK SMOKE RUN, not for quoting" : ""}`,
  `Node ${process.version}; ${machine}; load average ${loadBefore.map((x) => f(x)).join(" ")} at start, ${os.loadavg().map((x) => f(x)).join(" ")} at end`,
  "Contenders alternate in the same run against the same emulator over loopback; medians; read the ratios, absolute numbers on this shared machine are noise.",
  "",
  `| ${header.join(" | ")} |`,
  `| ${header.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${[r.id, r.what, r.ours, r.raw, r.sdk, r.ratio, r.target, mark(r.met)].join(" | ")} |`),
  "",
  `targets met: ${rows.filter((r) => r.met === true).length} of ${rows.filter((r) => r.met !== undefined).length}; total bench time ${f(totalSeconds, 0)} s`,
];
console.log(lines.join("\n"));

const results = {
  date,
  quick,
  node: process.version,
  cpu: cpus[0]?.model,
  cores: cpus.length,
  platform: `${os.platform()} ${os.arch()} ${os.release()}`,
  totalMemGiB: round(os.totalmem() / 2 ** 30, 1),
  loadAverage: { start: loadBefore, end: os.loadavg() },
  totalSeconds: round(totalSeconds, 1),
  table: rows,
  footprint,
  coldImport,
  unary,
  waiting,
  logs,
  listing,
  signing,
};
if (!quick) {
  await writeFile(join(here, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${join(here, "results.json")}`);
}

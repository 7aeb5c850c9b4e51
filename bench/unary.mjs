// 3. Unary calls: JobService.Get throughput, latency and client CPU per call,
// at concurrency 1 and 64. Every contender runs in its own process
// (lib/unary-client.mjs) and the emulator in another (lib/emulator-process.mjs),
// so no client pays for another's garbage, JIT or event-loop turns:
//
//   ours  createYandexCloud({ endpoint, credentials: iamToken(t) }).client(JobService)
//         from "dataproc-connect": the defaults (validation, call ids,
//         retries, request id, auth, 60 s default deadline);
//   raw   createClient(JobService, createGrpcTransport(...)) with the same
//         generated descriptors, no interceptors, the token as a per-call
//         header: the floor;
//   raw2  an identical twin of raw: how far apart two equal clients land in
//         this run (the noise floor of every ratio here);
//   wire  raw Connect sending what ours sends (both ids, our user-agent, the
//         60 s deadline), by hand: ours/wire is what our code costs, wire/raw
//         what the bytes of our features cost;
//   sdk   @yandex-cloud/nodejs-sdk 3.2.0 (nice-grpc over grpc-js; lib/sdk.mjs).
//
// Each contender is warmed up once by a number of calls (on this 2-vCPU VM a
// client's CPU per call keeps falling for the first ~4000 calls, while V8
// tiers its code up; a warm-up in seconds left the client with more code to
// optimize, ours, measured before it got there), then every round runs each contender in
// turn (the order rotated by one every round) for a fixed time, after a short
// unmeasured settle at the same concurrency. The clients idle while another
// one is measured. Per window: calls/s, p50/p99 latency, the client
// process's CPU (process.cpuUsage in the child) and the emulator's. Ratios
// are per round (the contenders of one round ran seconds apart, so they
// shared the machine's load), reported as median and min–max over rounds.
//
//   node bench/unary.mjs [--seconds 1.5] [--rounds 8] [--settle 0.2] [--warmup-calls 6000]
//                        [--concurrency 1,64] [--contenders ours,wire,raw,raw2,sdk]
//                        [--baseline <dir> --contenders ours,base,raw]  (base: ours from another checkout)
//                        [--paired]   (all contenders' windows at once: for a busy machine, read the
//                                      client-CPU ratios only; the table's figures come from the default)
//                        [--processes 3]   (processes per contender, each measured in every round; a round's
//                                           figure is their median: see mergeWindows)
//                        [--cpu-prof ours,raw]   (V8 profiles of those clients' rounds, to bench/tmp/prof/;
//                                                 summarize with lib/profile-summary.mjs --calls N)
//   BENCH_QUICK=1 node bench/unary.mjs            (smoke run: 0.3 s windows, 2 rounds)
//
// Timings need a quiet machine. What a call makes, counted (the same on any
// machine): node bench/lib/per-call-counts.mjs --contenders ours,raw,sdk
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";

const allContenders = ["ours", "wire", "raw", "raw2", "sdk"];
/** Accepted by --contenders, not run by default: for attributing a gap (see lib/unary-contenders.mjs). */
const extraContenders = ["bare"];

/**
 * Forks one contender's process; resolves once its client is built. The
 * contender "base" is "ours" from another checkout (`--baseline <dir>`, built,
 * with this file's lib/ copied in): its client script resolves
 * "dataproc-connect" to that checkout, for before/after comparisons in one run.
 */
async function startClient(contender, emulator, ref, baselineDir) {
  const script = contender === "base" ? join(baselineDir, "bench/lib/unary-client.mjs") : new URL("./lib/unary-client.mjs", import.meta.url);
  const child = fork(
    script,
    [JSON.stringify({ contender: contender === "base" ? "ours" : contender, url: emulator.url, iamToken: emulator.iamToken, ref })],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const pending = new Map();
  let seq = 0;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const error = new Error(`${contender} client exited (code ${code})`);
      reject(error);
      for (const p of pending.values()) p.reject(error);
    });
    child.on("message", (msg) => {
      if (msg.ready) return resolve();
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      msg.ok ? p.resolve(msg.result) : p.reject(new Error(msg.error));
    });
  });
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  return {
    load: (concurrency, ms) => call("load", { concurrency, ms }),
    warm: (concurrency, calls) => call("load", { concurrency, ms: 600_000, calls }),
    profile: (file) => call("profile", { file }),
    /** Resolves with the calls the client made while profiled. */
    async close() {
      const { totalCalls } = await call("close").catch(() => ({}));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill();
      return totalCalls;
    },
  };
}

/**
 * With several processes per contender: each process's median calls/s and
 * client CPU per call over the rounds (`byProcess`), to see how far apart
 * the processes of one contender landed. Nothing with one process.
 */
function processMedians(list) {
  const n = list[0]?.perProcess?.length ?? 0;
  if (n === 0) return {};
  const of = (k, key) => median(list.map((w) => w.perProcess[k][key]));
  return { byProcess: Array.from({ length: n }, (_, k) => ({ callsPerSec: of(k, "callsPerSec"), clientCpuUsPerCall: of(k, "clientCpuUsPerCall") })) };
}

/** `{ median, min, max }` of a list of numbers. */
export function spread(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * One contender's window of a round from the windows of its processes
 * (measured one after the other in that round): the median of each figure
 * over the processes, the calls summed, and each process's calls/s and
 * client CPU per call kept (`perProcess`), in process order. With one
 * process, its window as it is.
 *
 * Several processes per contender, because where a process lands decides
 * much of its speed: two identical raw clients, one process each, have
 * measured 0.86 apart in calls/s at concurrency 1 over 30 rounds, and the
 * gap stays with the process for the whole run.
 */
export function mergeWindows(ws) {
  if (ws.length === 1) return ws[0];
  return {
    calls: ws.reduce((n, w) => n + w.calls, 0),
    elapsedMs: median(ws.map((w) => w.elapsedMs)),
    ...windowMedians(ws),
    perProcess: ws.map((w) => ({ callsPerSec: w.callsPerSec, clientCpuUsPerCall: w.clientCpuUsPerCall })),
  };
}

/** The median of each timed figure of `ws` (windows of one contender). */
function windowMedians(ws) {
  const med = (key) => median(ws.map((w) => w[key]));
  return {
    callsPerSec: med("callsPerSec"),
    p50: med("p50"),
    p99: med("p99"),
    clientCpuUsPerCall: med("clientCpuUsPerCall"),
    clientCpuShare: med("clientCpuShare"),
    emulatorCpuUsPerCall: med("emulatorCpuUsPerCall"),
    emulatorCpuShare: med("emulatorCpuShare"),
  };
}

/**
 * The result object from the per-round measurements:
 * `windows[c][contender]` is the list of one contender's windows at
 * concurrency `c`, in round order. Exported for tests of the harness.
 */
export function summarize(windows, settings) {
  const out = { ...settings, concurrency: {} };
  for (const [c, byContender] of Object.entries(windows)) {
    const entry = {};
    for (const [name, list] of Object.entries(byContender)) {
      entry[name] = {
        ...windowMedians(list),
        ...processMedians(list),
        rounds: list.map((w) => ({
          callsPerSec: Math.round(w.callsPerSec),
          clientCpuUsPerCall: Number(w.clientCpuUsPerCall.toFixed(1)),
          p50: Number(w.p50.toFixed(3)),
          p99: Number(w.p99.toFixed(3)),
        })),
      };
    }
    // Per-round ratios a ÷ b of `key`; rounds where either side is missing are skipped.
    const perRound = (a, b, key) => {
      const xs = byContender[a];
      const ys = byContender[b];
      if (!xs || !ys) return undefined;
      return spread(xs.map((x, i) => x[key] / ys[i][key]));
    };
    const pairs = {
      oursVsRaw: ["ours", "raw"],
      oursVsSdk: ["ours", "sdk"],
      rawVsRaw2: ["raw", "raw2"],
      rawVsSdk: ["raw", "sdk"],
      oursVsBase: ["ours", "base"],
      baseVsRaw: ["base", "raw"],
      bareVsRaw: ["bare", "raw"],
      oursVsWire: ["ours", "wire"],
      wireVsRaw: ["wire", "raw"],
    };
    const ratios = { callsPerSec: {}, clientCpuUsPerCall: {} };
    for (const key of Object.keys(ratios)) {
      for (const [pair, [a, b]] of Object.entries(pairs)) {
        const s = perRound(a, b, key);
        if (s) ratios[key][pair] = s;
      }
    }
    entry.ratios = ratios;
    // Flat medians under the names the older table code reads.
    entry.ratio = {
      oursVsRaw: ratios.callsPerSec.oursVsRaw?.median,
      oursVsSdk: ratios.callsPerSec.oursVsSdk?.median,
      clientCpuPerCallOursVsRaw: ratios.clientCpuUsPerCall.oursVsRaw?.median,
    };
    out.concurrency[c] = entry;
  }
  return out;
}

export async function unary({
  seconds = 1.5,
  rounds = 8,
  settleSeconds = 0.2,
  warmupCalls = 6000,
  concurrencies = [1, 64],
  contenders = allContenders,
  cpuProf = [],
  baselineDir,
  paired = false,
  processes = 1,
} = {}) {
  if (!Number.isInteger(processes) || processes < 1) throw new Error(`processes: expected a whole number ≥ 1, got ${processes}`);
  if (contenders.includes("base") && !baselineDir) throw new Error('contender "base" needs baselineDir (--baseline <dir>)');
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const { ids } = await emulator.call("createJobs", { n: 1 });
  const ref = { clusterId: emulator.clusterId, jobId: ids[0] };
  const cpuProfDir = cpuProf.length > 0 ? fileURLToPath(new URL("./tmp/prof/", import.meta.url)) : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  // clients[name]: that contender's processes (`processes` of them).
  const clients = {};
  try {
    // Started one after the other: process start and imports are not what is measured, but they should not overlap a warm-up.
    for (const name of contenders) {
      clients[name] = [];
      for (let k = 0; k < processes; k++) clients[name].push(await startClient(name, emulator, ref, baselineDir));
    }
    // Warm-up: JIT, the HTTP/2 connection, the token; half the calls at the highest concurrency, then half at the lowest.
    for (const name of contenders) {
      for (const client of clients[name]) {
        for (const c of [Math.max(...concurrencies), Math.min(...concurrencies)]) await client.warm(c, Math.ceil(warmupCalls / 2));
      }
    }
    // Profiles cover the measured rounds only (settles included), not start-up or warm-up; one process per contender.
    for (const name of cpuProf) await clients[name]?.[0].profile(`${cpuProfDir}unary-${name}.cpuprofile`);
    const windows = {};
    for (const c of concurrencies) {
      windows[c] = Object.fromEntries(contenders.map((n) => [n, []]));
      for (let r = 0; r < rounds; r++) {
        const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
        // Each process of a contender is measured in turn, alone (its own
        // settle, then its window); paired: every process of every
        // contender at the same time, so a load change on a shared machine
        // hits all of them alike (then the emulator's CPU is shared and not attributed).
        const turns = order.flatMap((name) => clients[name].map((client, k) => ({ name, k, client })));
        const groups = paired ? [turns] : turns.map((turn) => [turn]);
        const measured = Object.fromEntries(order.map((name) => [name, []]));
        for (const group of groups) {
          if (settleSeconds > 0) await Promise.all(group.map(({ client }) => client.load(c, settleSeconds * 1000)));
          await emulator.call("cpuStart");
          const ws = await Promise.all(group.map(({ client }) => client.load(c, seconds * 1000)));
          const cpu = await emulator.call("cpuStop");
          group.forEach(({ name, k }, i) => {
            const w = ws[i];
            const emulatorCpuUsPerCall = paired ? Number.NaN : (cpu.cpuMs * 1000) / w.calls;
            measured[name].push({ ...w, emulatorCpuShare: paired ? Number.NaN : cpu.share, emulatorCpuUsPerCall });
            progress(
              "unary",
              `c=${c} round ${r + 1}/${rounds} ${name}${processes > 1 ? ` #${k + 1}` : ""}: ${w.callsPerSec.toFixed(0)} calls/s, p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms, ` +
                `client CPU ${w.clientCpuUsPerCall.toFixed(0)} µs/call, emulator ${emulatorCpuUsPerCall.toFixed(0)} µs/call`,
            );
          });
        }
        for (const name of order) windows[c][name].push(mergeWindows(measured[name]));
      }
    }
    const closing = Object.entries(clients).map(async ([name, list]) => [name, (await Promise.all(list.map((c) => c.close())))[0]]);
    const totalCalls = Object.fromEntries(await Promise.all(closing));
    for (const name of Object.keys(clients)) delete clients[name];
    const result = summarize(windows, { seconds, rounds, settleSeconds, warmupCalls, processes, contenders, paired, node: process.version });
    // Divide a profile's times by its calls for µs per call.
    if (cpuProfDir) result.cpuProfiles = Object.fromEntries(cpuProf.map((n) => [n, { file: `${cpuProfDir}unary-${n}.cpuprofile`, calls: totalCalls[n] }]));
    return result;
  } finally {
    await Promise.all(Object.values(clients).flatMap((list) => list.map((c) => c.close())));
    await emulator.close();
  }
}

const x = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "–");
const ms = (v) => `${x(v, v < 10 ? 2 : 1)} ms`;
const us = (v) => `${x(v, 0)} µs`;
const pct = (v) => `${x(v * 100, 0)} %`;
const ranged = (s) => (s ? `${x(s.median)} (${x(s.min)}–${x(s.max)})` : "–");

/** Table rows (see the benchmark contract in bench/run.mjs). */
export function rows(result) {
  const out = [];
  const row = (r) => out.push(r);
  const sdkNote = "peer: official SDK 3.2.0";
  for (const [c, r] of Object.entries(result.concurrency)) {
    const calls = r.ratios.callsPerSec;
    const cpu = r.ratios.clientCpuUsPerCall;
    const n = result.rounds;
    row({
      id: "3",
      what: `Get, concurrency ${c}: calls/s, each client in its own process (${sdkNote}); ours/raw median (min–max of ${n} rounds)`,
      ours: x(r.ours?.callsPerSec, 0),
      raw: x(r.raw?.callsPerSec, 0),
      peer: x(r.sdk?.callsPerSec, 0),
      ratio: `ours/raw ${ranged(calls.oursVsRaw)}`,
      target: "≥ 0.97",
      met: calls.oursVsRaw ? calls.oursVsRaw.median >= 0.97 : undefined,
    });
    if (calls.oursVsSdk) {
      row({ id: "3", what: `Get, concurrency ${c}: calls/s, ours/SDK`, ours: "", ratio: `ours/SDK ${ranged(calls.oursVsSdk)}`, target: "info" });
    }
    if (calls.rawVsRaw2) {
      row({
        id: "3",
        what: `Get, concurrency ${c}: noise floor, two identical raw clients (calls/s raw/raw2)`,
        ours: "",
        raw: `${x(r.raw.callsPerSec, 0)} / ${x(r.raw2.callsPerSec, 0)}`,
        ratio: `raw/raw2 ${ranged(calls.rawVsRaw2)}`,
        target: "info",
      });
    }
    if (calls.oursVsWire && calls.wireVsRaw) {
      row({
        id: "3",
        what:
          `Get, concurrency ${c}: where ours/raw goes: ours/wire is our code, wire/raw the bytes our features send ` +
          "(wire: raw Connect sending both ids, our user-agent and the 60 s deadline by hand); calls/s, then client CPU per call",
        ours: "",
        raw: `${x(r.wire.callsPerSec, 0)} (wire)`,
        ratio:
          `ours/wire ${ranged(calls.oursVsWire)}, wire/raw ${ranged(calls.wireVsRaw)}; ` +
          `CPU ours/wire ${ranged(cpu.oursVsWire)}, wire/raw ${ranged(cpu.wireVsRaw)}`,
        target: "info",
      });
    }
    row({
      id: "3",
      what: `Get, concurrency ${c}: p50 / p99 (${sdkNote})`,
      ours: r.ours ? `${ms(r.ours.p50)} / ${ms(r.ours.p99)}` : "–",
      raw: r.raw ? `${ms(r.raw.p50)} / ${ms(r.raw.p99)}` : "–",
      peer: r.sdk ? `${ms(r.sdk.p50)} / ${ms(r.sdk.p99)}` : "–",
      target: "info",
    });
    row({
      id: "3",
      what: `Get, concurrency ${c}: client CPU per call (process.cpuUsage of the client's process; ${sdkNote}); ours/raw median (min–max)`,
      ours: us(r.ours?.clientCpuUsPerCall),
      raw: us(r.raw?.clientCpuUsPerCall),
      peer: us(r.sdk?.clientCpuUsPerCall),
      ratio: `ours/raw ${ranged(cpu.oursVsRaw)}${cpu.rawVsSdk ? `, raw/SDK ${ranged(cpu.rawVsSdk)}` : ""}`,
      target: "info",
    });
    row({
      id: "3",
      what: `Get, concurrency ${c}: emulator CPU per call / emulator share of one core (${sdkNote})`,
      ours: r.ours ? `${us(r.ours.emulatorCpuUsPerCall)} / ${pct(r.ours.emulatorCpuShare)}` : "–",
      raw: r.raw ? `${us(r.raw.emulatorCpuUsPerCall)} / ${pct(r.raw.emulatorCpuShare)}` : "–",
      peer: r.sdk ? `${us(r.sdk.emulatorCpuUsPerCall)} / ${pct(r.sdk.emulatorCpuShare)}` : "–",
      target: "info",
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = Boolean(process.env.BENCH_QUICK);
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: quick ? "0.3" : "1.5" },
      rounds: { type: "string", default: quick ? "2" : "8" },
      settle: { type: "string", default: quick ? "0.1" : "0.2" },
      "warmup-calls": { type: "string", default: quick ? "300" : "6000" },
      concurrency: { type: "string", default: "1,64" },
      contenders: { type: "string", default: allContenders.join(",") },
      "cpu-prof": { type: "string", default: "" },
      baseline: { type: "string" },
      paired: { type: "boolean", default: false },
      processes: { type: "string", default: "1" },
    },
  });
  const list = (s) => s.split(",").map((v) => v.trim()).filter(Boolean);
  const contenders = list(values.contenders);
  for (const name of contenders) if (![...allContenders, ...extraContenders, "base"].includes(name)) throw new Error(`--contenders: unknown ${name} (expected ${[...allContenders, ...extraContenders].join(", ")})`);
  report(
    await unary({
      seconds: Number(values.seconds),
      rounds: Number(values.rounds),
      settleSeconds: Number(values.settle),
      warmupCalls: Number(values["warmup-calls"]),
      concurrencies: list(values.concurrency).map(Number),
      contenders,
      cpuProf: list(values["cpu-prof"]),
      baselineDir: values.baseline,
      paired: values.paired,
      processes: Number(values.processes),
    }),
  );
}

// What bundling Connect costs a program that also runs its own Connect
// clients in the same process (a gRPC microservice importing this package):
// such a process holds two copies of Connect and protobuf-es, ours in our
// bundle and the program's from node_modules, and Node's own code (http2,
// streams, events, Headers) serves both. In one client process, alternating
// window by window (the order rotated every round), at one concurrency:
//
//   bundled   createYandexCloud(...).client(JobService) from "dataproc-connect" (dist/, as published)
//   external  the same source built with Connect and protobuf-es left as imports of
//             node_modules (`node scripts/build.mjs --deps-external bench/tmp/deps-external`),
//             so it shares the raw client's copy
//   raw       createClient(JobService, createGrpcTransport(...)) from node_modules, the token as a header
//
// The emulator runs in another process. Ratios are per round, against raw
// (and bundled ÷ external); medians and min–max over rounds. In a process of its own the bundled build
// costs no call time (bench/unary.mjs; ours unbundled measured 0.98–1.03 of
// it): this is about sharing the process. Timings need a quiet machine; run
// it several times, one process is one sample.
//
//   node bench/shared-process.mjs [--rounds 15] [--seconds 0.4] [--concurrency 1] [--contenders bundled,external,raw]
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { callLoop } from "./lib/call-loop.mjs";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";
import { makeContender, ours } from "./lib/unary-contenders.mjs";
import { spread } from "./unary.mjs";

const externalDir = fileURLToPath(new URL("./tmp/deps-external/", import.meta.url));

/** The deps-external build of the current sources (rebuilt on every run: it must match dist/). */
function buildExternal() {
  execFileSync(process.execPath, ["scripts/build.mjs", "--deps-external", externalDir], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" });
  if (!existsSync(`${externalDir}src/index.js`)) throw new Error(`no ${externalDir}src/index.js after the build`);
}

/** `{ call, close }` for one contender: raw and bundled as bench/unary.mjs builds raw and ours. */
function contender(name, args) {
  if (name === "raw") return makeContender("raw", args);
  if (name === "bundled") return ours(args, {});
  const root = `${externalDir}src/`;
  return ours(args, {}, { root: `${root}index.js`, dataprocV1: `${root}dataproc/v1/index.js` });
}

export async function sharedProcess({ rounds = 15, seconds = 0.4, concurrency = 1, warmupCalls = 4000, contenders = ["bundled", "external", "raw"] } = {}) {
  for (const name of contenders) if (!["bundled", "external", "raw"].includes(name)) throw new Error(`contenders: unknown ${name} (expected bundled, external, raw)`);
  if (!contenders.includes("raw")) throw new Error("contenders: raw is the reference, include it");
  if (contenders.includes("external")) buildExternal();
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const clients = {};
  try {
    const { ids } = await emulator.call("createJobs", { n: 1 });
    const ref = { clusterId: emulator.clusterId, jobId: ids[0] };
    for (const name of contenders) clients[name] = await contender(name, { url: emulator.url, iamToken: emulator.iamToken, ref });
    // Warm-up as bench/unary.mjs does: half at 64, half at 1.
    for (const name of contenders) {
      await callLoop(clients[name].call, { concurrency: 64, ms: 600_000, calls: warmupCalls / 2 });
      await callLoop(clients[name].call, { concurrency: 1, ms: 600_000, calls: warmupCalls / 2 });
    }
    const windows = Object.fromEntries(contenders.map((n) => [n, []]));
    for (let r = 0; r < rounds; r++) {
      for (const name of contenders.map((_, i) => contenders[(i + r) % contenders.length])) {
        await callLoop(clients[name].call, { concurrency, ms: 100 });
        const w = await callLoop(clients[name].call, { concurrency, ms: seconds * 1000 });
        if (w.errors > 0) throw new Error(`${name}: ${w.errors} calls failed: ${w.firstError}`);
        windows[name].push({ callsPerSec: w.callsPerSec, clientCpuUsPerCall: w.cpuUs / w.calls });
        progress("shared-process", `round ${r + 1}/${rounds} ${name}: ${w.callsPerSec.toFixed(0)} calls/s, client CPU ${(w.cpuUs / w.calls).toFixed(0)} µs/call`);
      }
    }
    const result = { rounds, seconds, concurrency, warmupCalls, node: process.version, contenders: {} };
    for (const name of contenders) {
      const ratio = (key) => spread(windows[name].map((w, i) => w[key] / windows.raw[i][key]));
      result.contenders[name] = {
        callsPerSec: median(windows[name].map((w) => w.callsPerSec)),
        clientCpuUsPerCall: median(windows[name].map((w) => w.clientCpuUsPerCall)),
        vsRaw: { callsPerSec: ratio("callsPerSec"), clientCpuUsPerCall: ratio("clientCpuUsPerCall") },
      };
    }
    if (windows.bundled && windows.external) {
      // The question itself: the published build against the same code sharing the program's Connect.
      const ratio = (key) => spread(windows.bundled.map((w, i) => w[key] / windows.external[i][key]));
      result.bundledVsExternal = { callsPerSec: ratio("callsPerSec"), clientCpuUsPerCall: ratio("clientCpuUsPerCall") };
    }
    return result;
  } finally {
    for (const client of Object.values(clients)) client.close();
    await emulator.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "15" },
      seconds: { type: "string", default: "0.4" },
      concurrency: { type: "string", default: "1" },
      contenders: { type: "string", default: "bundled,external,raw" },
    },
  });
  report(
    await sharedProcess({
      rounds: Number(values.rounds),
      seconds: Number(values.seconds),
      concurrency: Number(values.concurrency),
      contenders: values.contenders.split(",").map((s) => s.trim()),
    }),
  );
}

// Ours against a raw Connect client in ONE client process, sharing one copy
// of Connect and protobuf-es: the package imports its peers by name, so a
// gRPC microservice that also runs its own Connect clients loads each once,
// and Node's own code (http2, streams, events, Headers) serves both clients.
// Alternating window by window (the order rotated every round), at one
// concurrency:
//
//   ours   createYandexCloud(...).client(JobService) from "dataproc-connect" (dist/, as published)
//   raw    createClient(JobService, createGrpcTransport(...)) from node_modules, the token as a header
//   raw2   raw's twin (optional): how far two identical clients drift in one process
//
// (Until the peers became imports this compared the bundled build, which
// carried its own copy of Connect, with a build that left them external.)
// The emulator runs in another process. Ratios are per round, against raw;
// medians and min–max over rounds. Timings need a quiet machine; run it
// several times, one process is one sample. bench/instructions.mjs counts
// the same per-call cost in instructions, each contender in its own process.
//
//   node bench/shared-process.mjs [--rounds 15] [--seconds 0.4] [--concurrency 1] [--contenders ours,raw]
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { callLoop } from "./lib/call-loop.mjs";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";
import { makeContender } from "./lib/unary-contenders.mjs";
import { spread } from "./unary.mjs";

const known = ["ours", "raw", "raw2"];

export async function sharedProcess({ rounds = 15, seconds = 0.4, concurrency = 1, warmupCalls = 4000, contenders = ["ours", "raw"] } = {}) {
  for (const name of contenders) if (!known.includes(name)) throw new Error(`contenders: unknown ${name} (expected ${known.join(", ")})`);
  if (!contenders.includes("raw")) throw new Error("contenders: raw is the reference, include it");
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const clients = {};
  try {
    const { ids } = await emulator.call("createJobs", { n: 1 });
    const ref = { clusterId: emulator.clusterId, jobId: ids[0] };
    for (const name of contenders) clients[name] = await makeContender(name, { url: emulator.url, iamToken: emulator.iamToken, ref });
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
      contenders: { type: "string", default: "ours,raw" },
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

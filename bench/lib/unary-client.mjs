// One unary-benchmark contender in its own process (forked by unary.mjs), so
// that its client CPU is measured alone: nothing else of the benchmark runs
// in this process, and the emulator runs in another one. argv[2] is JSON:
//
//   { contender: "ours" | "raw" | "raw2" | "sdk", url, iamToken, ref: { clusterId, jobId } }
//
// Only the modules the contender needs are imported. Answers IPC commands:
//
//   load { concurrency, ms, calls? }  runs `concurrency` callers in a loop for `ms` (or `calls` calls);
//                             returns calls, calls/s, p50/p99 (ms) and this
//                             process's CPU over the window (µs per call, share of one core)
//   profile { file }          starts the V8 CPU profiler (node:inspector); every later
//                             window is profiled; close writes the profile to `file`
//   close                     closes the client and exits; returns the calls profiled
import { makeContender } from "./unary-contenders.mjs";
import { callLoop } from "./call-loop.mjs";

const { contender, url, iamToken, ref } = JSON.parse(process.argv[2]);

const { call, close } = await makeContender(contender, { url, iamToken, ref });
/** Calls made while the profiler ran (see `profile`). */
let totalCalls = 0;
let profiler;

async function load(window) {
  const counted = profiler
    ? async () => {
        await call();
        totalCalls++;
      }
    : call;
  const r = await callLoop(counted, window);
  if (r.errors > 0) throw new Error(`${contender}: ${r.errors} calls failed: ${r.firstError?.stack ?? r.firstError}`);
  return {
    calls: r.calls,
    elapsedMs: r.elapsedMs,
    callsPerSec: r.callsPerSec,
    p50: r.p50,
    p99: r.p99,
    clientCpuUsPerCall: r.cpuUs / r.calls,
    clientCpuShare: r.cpuUs / 1000 / r.elapsedMs,
  };
}

process.on("message", async ({ id, cmd, args }) => {
  try {
    if (cmd === "profile") {
      const { Session } = await import("node:inspector/promises");
      profiler = { session: new Session(), file: args.file };
      profiler.session.connect();
      await profiler.session.post("Profiler.enable");
      await profiler.session.post("Profiler.setSamplingInterval", { interval: 100 });
      await profiler.session.post("Profiler.start");
      process.send({ id, ok: true, result: {} });
      return;
    }
    if (cmd === "close") {
      if (profiler) {
        const { profile } = await profiler.session.post("Profiler.stop");
        const { writeFileSync } = await import("node:fs");
        writeFileSync(profiler.file, JSON.stringify(profile));
      }
      await close();
      process.send({ id, ok: true, result: { totalCalls } }, () => process.exit(0));
      return;
    }
    if (cmd !== "load") throw new Error(`unknown command ${cmd}`);
    process.send({ id, ok: true, result: await load(args) });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true, pid: process.pid });

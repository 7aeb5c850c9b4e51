// What one JobService.Get makes on the client, counted rather than timed, so
// the figures hold on a busy machine: promises (async_hooks), AbortControllers,
// abort() calls without a reason (each builds a DOMException), timers and
// Headers objects, per call; and the bytes a call allocates on the JS heap
// (a second process per contender, without the hooks, the young generation
// made large enough that no scavenge falls inside a 500-call window: heap
// used after − before, median of 5 windows; it moves ~1 % between runs).
// Each contender runs in its own process (this file, forked with a JSON
// argument), the emulator in another.
//
//   node bench/lib/per-call-counts.mjs [--contenders ours,raw] [--calls 2000] [--baseline <dir>]
//
// --baseline <dir>: also count contender "base", ours from another built
// checkout (this file and lib/ copied into its bench/lib/).
import { fork } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const childArg = process.argv[2]?.startsWith("{") ? JSON.parse(process.argv[2]) : undefined;

if (childArg?.allocated) {
  const { getHeapStatistics } = await import("node:v8");
  const { makeContender } = await import("./unary-contenders.mjs");
  const { median } = await import("./stats.mjs");
  const { call, close } = await makeContender(childArg.contender, childArg);
  for (let i = 0; i < 3000; i++) await call(); // warm: JIT, connection, token
  const perCall = [];
  for (let w = 0; w < 5; w++) {
    globalThis.gc();
    const before = getHeapStatistics().used_heap_size;
    for (let i = 0; i < 500; i++) await call();
    perCall.push((getHeapStatistics().used_heap_size - before) / 500);
  }
  await close();
  process.send({ kBAllocated: Number((median(perCall) / 1024).toFixed(1)) }, () => process.exit(0));
} else if (childArg) {
  const { createHook } = await import("node:async_hooks");
  const { makeContender } = await import("./unary-contenders.mjs");
  const counts = { promises: 0, abortControllers: 0, abortsWithoutReason: 0, timers: 0, headers: 0 };
  let on = false;
  const Native = { AbortController: globalThis.AbortController, Headers: globalThis.Headers, setTimeout: globalThis.setTimeout };
  globalThis.AbortController = class extends Native.AbortController {
    constructor() {
      super();
      if (on) counts.abortControllers++;
    }
    abort(...args) {
      if (on && args.length === 0) counts.abortsWithoutReason++;
      return super.abort(...args);
    }
  };
  globalThis.Headers = class extends Native.Headers {
    constructor(...args) {
      super(...args);
      if (on) counts.headers++;
    }
  };
  globalThis.setTimeout = function (...args) {
    if (on) counts.timers++;
    return Native.setTimeout.apply(this, args);
  };
  createHook({ init: (_id, type) => on && type === "PROMISE" && counts.promises++ }).enable();
  const { call, close } = await makeContender(childArg.contender, childArg);
  for (let i = 0; i < 200; i++) await call(); // warm: connection, token, lazy imports
  on = true;
  for (let i = 0; i < childArg.calls; i++) await call();
  on = false;
  await close();
  const perCall = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / childArg.calls]));
  process.send(perCall, () => process.exit(0));
} else {
  const { values } = parseArgs({
    options: { contenders: { type: "string", default: "ours,raw" }, calls: { type: "string", default: "2000" }, baseline: { type: "string" } },
  });
  const { spawnEmulator } = await import("./emulator-process.mjs");
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const { ids } = await emulator.call("createJobs", { n: 1 });
  const ref = { clusterId: emulator.clusterId, jobId: ids[0] };
  const out = {};
  for (const name of values.contenders.split(",")) {
    const script = name === "base" ? join(values.baseline, "bench/lib/per-call-counts.mjs") : fileURLToPath(import.meta.url);
    const arg = { contender: name === "base" ? "ours" : name, url: emulator.url, iamToken: emulator.iamToken, ref, calls: Number(values.calls) };
    const counted = (childArgs, execArgv = []) =>
      new Promise((resolve, reject) => {
        const child = fork(script, [JSON.stringify(childArgs)], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
        child.once("message", resolve);
        child.once("exit", (code) => reject(new Error(`${name} exited (${code}) without counts`)));
      });
    out[name] = {
      ...(await counted(arg)),
      ...(await counted({ ...arg, allocated: true }, ["--expose-gc", "--max-semi-space-size=256"])),
    };
  }
  await emulator.close();
  console.table(out);
}

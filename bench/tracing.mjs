// What tracing costs per call, in instructions counted by valgrind (as in
// bench/instructions.mjs, whose method this follows: two processes per
// contender making `lo` and `hi` calls, (I(hi) − I(lo)) ÷ (hi − lo) per call,
// start-up and JIT warm-up cancelled out; the emulator in another process).
// Three contenders make the same createYandexCloud JobService.Get loop:
//
//   absent    @opentelemetry/api never loaded: no global registry.
//   api       the API loaded and its global registry made (a diag logger
//             registered, as many apps do) but no tracer or meter provider:
//             the goal is ≤ 1 % over `absent`.
//   provider  what @opentelemetry/sdk-node registers, with an in-memory
//             exporter: a BasicTracerProvider (SimpleSpanProcessor →
//             InMemorySpanExporter, emptied every 500 calls), the W3C
//             propagator (a traceparent on every request) and the
//             AsyncLocalStorage context manager, all global; no option passed.
//
//   node bench/tracing.mjs [--calls 3000,6000] [--contenders absent,api,provider]
//
// Needs `npm run build` (the contenders import dataproc-connect from dist) and
// valgrind on PATH; not part of `npm run bench`. The count resolves a gap of
// about 10 % between processes (see bench/instructions.mjs), so a ratio of
// 1.00 ± a few % says "no measurable difference", not "exactly equal".
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { countInstructions } from "./lib/valgrind.mjs";

const childArg = process.argv[2]?.startsWith("{") ? JSON.parse(process.argv[2]) : undefined;

/** The contender's set-up, before the client is made; returns what to do every 500 calls. */
async function setUp(contender) {
  if (contender === "absent") return () => {};
  const api = await import("@opentelemetry/api");
  api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.ERROR);
  if (contender === "api") return () => {};
  if (contender !== "provider") throw new Error(`unknown contender ${contender}`);
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { W3CTraceContextPropagator } = await import("@opentelemetry/core");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const exporter = new InMemorySpanExporter();
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return () => {
    if (exporter.getFinishedSpans().length === 0) throw new Error("provider: no span was exported");
    exporter.reset();
  };
}

if (childArg) {
  // Under valgrind: make `calls` calls one after another, and exit.
  const every500 = await setUp(childArg.contender);
  const { ours } = await import("./lib/unary-contenders.mjs");
  const { call, close } = await ours(childArg, {});
  for (let i = 1; i <= childArg.calls; i++) {
    await call();
    if (i % 500 === 0) every500();
  }
  await close();
} else {
  const { values } = parseArgs({
    options: {
      contenders: { type: "string", default: "absent,api,provider" },
      calls: { type: "string", default: "3000,6000" },
    },
  });
  if (spawnSync("valgrind", ["--version"]).status !== 0) {
    console.error("bench/tracing.mjs needs valgrind on PATH (Debian: apt install valgrind)");
    process.exit(2);
  }
  const [lo, hi] = values.calls.split(",").map(Number);
  if (!(hi > lo && lo > 0)) throw new Error("--calls lo,hi: two call counts, lo < hi");
  const contenders = values.contenders.split(",").map((s) => s.trim()).filter(Boolean);
  const { spawnEmulator } = await import("./lib/emulator-process.mjs");
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const { ids } = await emulator.call("createJobs", { n: 1 });
  const ref = { clusterId: emulator.clusterId, jobId: ids[0] };

  /** Instructions of one process making `calls` calls (cachegrind's "I refs"). */
  const count = (contender, calls) =>
    countInstructions(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify({ contender, url: emulator.url, iamToken: emulator.iamToken, ref, calls })], {
      what: `${contender} (${calls} calls)`,
    });

  const perCall = {};
  const load = [];
  try {
    for (const contender of contenders) {
      load.push(loadavg()[0]);
      const [a, b] = await Promise.all([count(contender, lo), count(contender, hi)]);
      perCall[contender] = (b - a) / (hi - lo);
      console.error(`[bench:tracing] ${contender}: ${(perCall[contender] / 1e6).toFixed(3)} M instructions per call`);
    }
    load.push(loadavg()[0]);
  } finally {
    await emulator.close();
  }
  const base = perCall.absent;
  const table = {};
  for (const [name, x] of Object.entries(perCall)) {
    table[name] = { "M instr/call": Number((x / 1e6).toFixed(3)), "÷ absent": base ? Number((x / base).toFixed(3)) : "-" };
  }
  console.table(table);
  console.log(`calls ${lo},${hi}; 1-min load average ${load.map((l) => l.toFixed(2)).join(" → ")}; node ${process.version}`);
}

// Instructions per JobService.Get, counted by valgrind rather than timed, so
// that the per-call cost can be compared on a machine whose CPU speed moves
// ±25 % between runs, or while it is busy. Each contender of lib/unary-contenders.mjs runs under
// `valgrind --tool=cachegrind --cache-sim=no` twice, making `--calls lo,hi`
// calls back to back; (I(hi) − I(lo)) ÷ (hi − lo) is the steady-state count
// per call, with start-up, imports and the first calls' JIT work cancelled
// out. The emulator runs in another process, not under valgrind.
//
//   node bench/instructions.mjs [--contenders ours,raw] [--calls 3000,6000] [--rounds 1]
//                               [--concurrency 1] [--node-flags "--single-threaded"]
//
// Contenders also include "bare" (ours with validation, retries and the
// default deadline off), "wire" (raw Connect sending ours' ids, user-agent and
// deadline by hand) and raw2 (raw's twin: the noise floor). Keep `lo` in the
// thousands: over the first ~3000 calls V8 is still tiering code up, and that
// compile work counts (an in-memory call counted 1.6 M instructions over calls
// 500–1500, 0.78 M over 3000–5000). A round takes
// minutes (valgrind runs code ~50× slower). Counts are not exact: V8's JIT and
// GC, and how the emulator's frames arrive, still differ between processes.
// Measured on the 2-vCPU VM: raw/raw2 0.95 in one round (with
// `--node-flags --single-threaded` too), ours/raw 1.14 and 1.17 in two; so the
// count resolves a gap of ~10 %, not 3 %. Needs valgrind on PATH (Debian: apt
// install valgrind); it is not part of `npm run bench`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { countInstructions } from "./lib/valgrind.mjs";

const childArg = process.argv[2]?.startsWith("{") ? JSON.parse(process.argv[2]) : undefined;

if (childArg) {
  // Under valgrind: make `calls` calls, `concurrency` at a time, and exit.
  const { makeContender } = await import("./lib/unary-contenders.mjs");
  const { call, close } = await makeContender(childArg.contender, childArg);
  let left = childArg.calls;
  await Promise.all(
    Array.from({ length: childArg.concurrency }, async () => {
      while (left-- > 0) await call();
    }),
  );
  await close();
} else {
  const { values } = parseArgs({
    options: {
      contenders: { type: "string", default: "ours,raw" },
      calls: { type: "string", default: "3000,6000" },
      rounds: { type: "string", default: "1" },
      concurrency: { type: "string", default: "1" },
      "node-flags": { type: "string", default: "" },
    },
  });
  if (spawnSync("valgrind", ["--version"]).status !== 0) {
    console.error("bench/instructions.mjs needs valgrind on PATH (Debian: apt install valgrind)");
    process.exit(2);
  }
  const [lo, hi] = values.calls.split(",").map(Number);
  if (!(hi > lo && lo > 0)) throw new Error("--calls lo,hi: two call counts, lo < hi");
  const contenders = values.contenders.split(",").map((s) => s.trim()).filter(Boolean);
  const concurrency = Number(values.concurrency);
  const nodeFlags = values["node-flags"].split(" ").filter(Boolean);
  const { spawnEmulator } = await import("./lib/emulator-process.mjs");
  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const { ids } = await emulator.call("createJobs", { n: 1 });
  const ref = { clusterId: emulator.clusterId, jobId: ids[0] };

  /** Instructions of one process making `calls` calls (cachegrind's "I refs"). */
  const count = (contender, calls) =>
    countInstructions(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), JSON.stringify({ contender, url: emulator.url, iamToken: emulator.iamToken, ref, calls, concurrency })], {
      what: `${contender} (${calls} calls)`,
    });

  const perCall = Object.fromEntries(contenders.map((c) => [c, []]));
  try {
    for (let r = 0; r < Number(values.rounds); r++) {
      for (const contender of r % 2 ? [...contenders].reverse() : contenders) {
        const [a, b] = await Promise.all([count(contender, lo), count(contender, hi)]);
        perCall[contender].push((b - a) / (hi - lo));
        console.error(`[bench:instructions] round ${r + 1} ${contender}: ${((b - a) / (hi - lo) / 1e6).toFixed(3)} M instructions per call`);
      }
    }
  } finally {
    await emulator.close();
  }
  const { median } = await import("./lib/stats.mjs");
  const table = {};
  for (const [name, xs] of Object.entries(perCall)) {
    const row = { "M instr/call": Number((median(xs) / 1e6).toFixed(3)), rounds: xs.map((x) => Number((x / 1e6).toFixed(3))).join(" ") };
    if (perCall.raw && name !== "raw") {
      const ratios = xs.map((x, i) => x / perCall.raw[i]);
      row["÷ raw"] = `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
    }
    table[name] = row;
  }
  console.table(table);
}

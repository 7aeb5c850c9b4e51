// Summarizes a V8 .cpuprofile (from `node --cpu-prof`, e.g. `node bench/unary.mjs
// --cpu-prof ours,raw`): self time by function and by where the code lives
// (our dist, @connectrpc/connect, connect-node, @bufbuild/protobuf, node
// internals, GC), and, with --calls N, per call in µs.
//
//   node bench/lib/profile-summary.mjs bench/tmp/prof/unary-ours.cpuprofile [--top 40] [--calls N] [--match text]
//   node bench/lib/profile-summary.mjs --diff a.cpuprofile:N b.cpuprofile:M   (per-call self time, a − b, by function)
//
// --match prints the total (self + children) time of functions whose name or
// url contains the text, e.g. --match AbortController.
//
// Our dist bundles Connect and protobuf-es into its chunks: a frame there is
// read back through the chunk's source map to the file it came from, so
// Connect's code under ours counts as "connect", not as ours, and ours and raw
// can be compared package by package.
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: "string", default: "40" },
    calls: { type: "string" },
    match: { type: "string", multiple: true, default: [] },
    diff: { type: "boolean", default: false },
  },
});

/** Where a profile node's code lives. */
export function area(url) {
  if (!url) return "(native/vm)";
  if (url.includes("@connectrpc/connect-node")) return "connect-node";
  if (url.includes("@connectrpc/connect")) return "connect";
  if (url.includes("@bufbuild/protobuf")) return "protobuf";
  if (url.includes("/dist/") && !url.includes("node_modules")) return "ours";
  if (url.includes("/bench/")) return "bench";
  if (url.startsWith("node:")) return "node";
  if (url.includes("node_modules")) return "other deps";
  return url;
}

const maps = new Map();
/** The source map next to a file: URL of our dist, or undefined. */
function sourceMapOf(url) {
  if (!url.startsWith("file://") || !url.includes("/dist/") || url.includes("node_modules")) return undefined;
  if (!maps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, "utf8"))) : undefined);
  }
  return maps.get(url);
}

/**
 * Where a frame's code came from: for our dist, the original file by its
 * source map (`node_modules/@connectrpc/connect/…`, or `src/…` / `gen/…` still under
 * "dist/" so that area() calls our own files ours); otherwise the frame's url.
 */
export function originOf(frame) {
  const map = sourceMapOf(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry?.originalSource) return { url: frame.url, line: frame.lineNumber };
  const source = entry.originalSource;
  // Our own sources are relative to the chunk (`../../../src/…`, `../../../gen/…`).
  const url = source.includes("node_modules/") ? source : `file:///dist/${source.replace(/^(\.\.\/)+/, "")}`;
  return { url, line: entry.originalLine };
}

export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  // timeDeltas[i] is the time before samples[i]; attribute it to that sample.
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const areas = new Map();
  let total = 0;
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const f = n.callFrame;
    const origin = originOf(f);
    const key = `${f.functionName || "(anonymous)"} ${origin.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/dist\//, "dist/")}:${origin.line + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const a = f.functionName === "(garbage collector)" ? "(gc)" : f.functionName === "(idle)" ? "(idle)" : area(origin.url);
    areas.set(a, (areas.get(a) ?? 0) + us);
    if (f.functionName !== "(idle)") total += us;
  }
  const inclusive = (pred) => {
    let sum = 0;
    for (const [id, us] of dt) {
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        if (pred(byId.get(cur).callFrame)) {
          sum += us;
          break;
        }
      }
    }
    return sum;
  };
  return { self, areas, total, inclusive };
}

if (values.diff) {
  const [a, b] = positionals.map((arg) => {
    const at = arg.lastIndexOf(":");
    const calls = Number(arg.slice(at + 1));
    return { name: arg.slice(0, at), calls, s: summarize(JSON.parse(readFileSync(arg.slice(0, at), "utf8"))) };
  });
  const per = (x, key, map) => (map.get(key) ?? 0) / x.calls;
  console.log(`busy per call: ${(a.s.total / a.calls).toFixed(1)} µs vs ${(b.s.total / b.calls).toFixed(1)} µs`);
  for (const k of new Set([...a.s.areas.keys(), ...b.s.areas.keys()])) {
    console.log(`  ${k.padEnd(16)} ${per(a, k, a.s.areas).toFixed(1).padStart(8)} ${per(b, k, b.s.areas).toFixed(1).padStart(8)}  ${(per(a, k, a.s.areas) - per(b, k, b.s.areas)).toFixed(1).padStart(8)}`);
  }
  const keys = new Set([...a.s.self.keys(), ...b.s.self.keys()]);
  const rows = [...keys].map((k) => [k, per(a, k, a.s.self), per(b, k, b.s.self)]).sort((x, y) => Math.abs(y[1] - y[2]) - Math.abs(x[1] - x[2]));
  console.log("  -- self µs per call: a, b, a − b");
  for (const [k, x, y] of rows.slice(0, Number(values.top))) console.log(`  ${x.toFixed(2).padStart(8)} ${y.toFixed(2).padStart(8)} ${(x - y).toFixed(2).padStart(8)}  ${k}`);
} else if (positionals.length > 0) {
  for (const file of positionals) {
    const s = summarize(JSON.parse(readFileSync(file, "utf8")));
    const calls = values.calls ? Number(values.calls) : undefined;
    const fmt = (us) => (calls ? `${(us / calls).toFixed(2)} µs/call` : `${(us / 1000).toFixed(1)} ms`);
    console.log(`== ${file}: busy ${fmt(s.total)}`);
    for (const [a, us] of [...s.areas].sort((x, y) => y[1] - x[1])) console.log(`  ${a.padEnd(16)} ${fmt(us).padStart(16)}  ${((us / s.total) * 100).toFixed(1)} %`);
    console.log("  -- self time, top functions");
    for (const [k, us] of [...s.self].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) console.log(`  ${fmt(us).padStart(16)}  ${k}`);
    for (const m of values.match) {
      console.log(`  -- inclusive "${m}": ${fmt(s.inclusive((f) => f.functionName.includes(m) || f.url.includes(m)))}`);
    }
  }
}

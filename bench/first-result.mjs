// Time to first result (issue 23 §1, "Speed goal"): a fresh process imports
// the client and makes one JobService.Get against the emulator, which runs in
// another process; ours against the official SDK (@yandex-cloud/nodejs-sdk, a
// devDependency; bench/lib/sdk.mjs says why its channel is swapped for a
// plaintext one), ESM and CJS, under every Node major asked for, two ways:
//
//   installed  the program runs from a consumer project where the packed
//              tarball of this package (and, beside it, the SDK) is installed
//              from npm (lib/consumers.mjs): peers and dependencies resolved
//              from node_modules, as a user runs it
//   bundled    the same program bundled into one file by rolldown (a
//              devDependency; dynamic imports inlined, not minified), as
//              serverless users ship it; the SDK's program bundled the same
//              way; run from a folder with no node_modules
//
// Each program takes performance.now() (ms since the process started) right
// after its imports and when the Get is answered, prints both and exits. A
// "bare" program (prints performance.now() at once) gives Node's own start
// in the same round; time to first result is the program's time minus the
// same round's bare start ("net": import + first call, what a library can
// change), and the gross time since process start is shown beside it. Each
// round runs every contender once, the order rotated every round; one
// discarded run each warms the file cache first. Medians, min–max over rounds,
// ratios SDK ÷ ours of the medians with the range of the per-round ratios.
//
//   node bench/first-result.mjs [workDir] [rounds] [--instructions]     (default: a fresh temp dir, 9 rounds)
//
// --instructions also runs every contender once under valgrind (cachegrind)
// per major and adds the instructions each executes, less a bare node's, as
// an info row: on a loaded machine the timings' rounds swing by 2–3×, the
// counts do not (they still move ~5–10 % with V8's JIT and GC between runs).
//   BENCH_NODES="20 22 24"  majors (lib/nodes.mjs; default current, 22, 24)
//
// Where the time goes (2026-12-07, valgrind counts, Node 20 / 24, bundled ESM,
// less a bare node; see BENCHMARKS.md's "Time to first result"): ours ~456 M on
// every major, the SDK's 1294 M → 720 M, so the ratio falls on newer majors
// because the SDK gets cheaper. Of ours: `Headers` (all of Node's undici,
// which Connect needs) with node:http2 ~104 M / ~186 M; the 13 descriptor
// files the root's exports reach ~85 M / ~48 M (spark + iam ~44 M / ~15 M of
// that, but the job helpers and the factory import them too); the rest is
// parsing and running protobuf-es, Connect and ours, the connection and the
// call. Installed, an ESM program also loads ~154 module files (~300–400 M).
// Alone, in a bare node: `new Headers()` +107 M on Node 20, +207 M on 22,
// +184 M on 24; require("node:http2") +42 M, +139 M, +99 M.
//
// Run on its own it writes its result into bench/results.json under
// `firstResult` (the rest of the file is kept) and rewrites the BENCHMARKS.md table;
// forked by run.mjs it reports over IPC and run.mjs stores it there.
// BENCH_QUICK=1: 2 rounds, writes nothing.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareConsumers } from "./lib/consumers.mjs";
import { spawnEmulator } from "./lib/emulator-process.mjs";
import { nodeBinaries, requestedMajors } from "./lib/nodes.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";
import { countInstructions } from "./lib/valgrind.mjs";

const log = (m) => progress("first-result", m);

// ---- the programs ---------------------------------------------------------------
// argv = [url, iamToken, clusterId, jobId]; each prints { importedMs, firstResultMs }.

const oursBody = `const imported = performance.now();
const [url, token, clusterId, jobId] = process.argv.slice(2);
const cloud = createYandexCloud({ endpoint: url, credentials: iamToken(token) });
const job = await cloud.client(JobService).get({ clusterId, jobId });
const done = performance.now();
if (job.id !== jobId) throw new Error("bad job");
process.stdout.write(JSON.stringify({ importedMs: imported, firstResultMs: done }));
cloud.close();
process.exit(0);
`;

// The SDK's Session and client factory (its middlewares), the token added by
// a middleware as its metadata generator would, an insecure nice-grpc channel
// (bench/lib/sdk.mjs). nice-grpc and grpc-js are the SDK's own dependencies,
// installed flat beside it, imported by name so a bundler can follow them.
const sdkBody = `const imported = performance.now();
const [url, token, clusterId, jobId] = process.argv.slice(2);
const session = new Session({ iamToken: token });
const factory = session.factory.use(async function* auth(call, options) {
  const metadata = Metadata(options.metadata);
  metadata.set("authorization", "Bearer " + (await session.tokenCreator()));
  return yield* call.next(call.request, { ...options, metadata });
});
const channel = createChannel(url.replace(/^http:\\/\\//, ""), ChannelCredentials.createInsecure());
const job = await factory.create(jobService.JobServiceClient.service, channel).get(jobService.GetJobRequest.fromPartial({ clusterId, jobId }));
const done = performance.now();
if (job.id !== jobId) throw new Error("bad job");
process.stdout.write(JSON.stringify({ importedMs: imported, firstResultMs: done }));
channel.close();
process.exit(0);
`;

const imports = {
  ours: [
    ["createYandexCloud, iamToken", "dataproc-connect"],
    ["JobService", "dataproc-connect/dataproc/v1"],
  ],
  sdk: [
    ["Session", "@yandex-cloud/nodejs-sdk"],
    ["jobService", "@yandex-cloud/nodejs-sdk/dataproc-v1"],
    ["createChannel, Metadata", "nice-grpc"],
    ["ChannelCredentials", "@grpc/grpc-js"],
  ],
};

/** The program as a user writes it: static imports (ESM) or requires and an async main (CJS). */
function program(side, kind) {
  const body = side === "ours" ? oursBody : sdkBody;
  if (kind === "esm") return `${imports[side].map(([names, spec]) => `import { ${names} } from ${JSON.stringify(spec)};`).join("\n")}\n${body}`;
  const requires = imports[side].map(([names, spec]) => `const { ${names} } = require(${JSON.stringify(spec)});`).join("\n");
  return `${requires}\n(async () => {\n${body}})().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`;
}
const bareProgram = "const t = performance.now();\nprocess.stdout.write(JSON.stringify({ importedMs: t, firstResultMs: t }));\n";

const ext = (kind) => (kind === "esm" ? "mjs" : "cjs");

/** Bundles `input` into one file `file` (format `kind`) with rolldown, every dynamic import inlined. */
async function bundle(input, file, kind, cwd) {
  const { build } = await import("rolldown");
  await build({ input, cwd, platform: "node", logLevel: "silent", write: true, output: { file, format: kind, codeSplitting: false } });
}

// ---- running them ---------------------------------------------------------------

const env = () => {
  const e = { ...process.env };
  // Every start is cold: no compile cache or CA file from the caller's environment.
  delete e.NODE_COMPILE_CACHE;
  delete e.NODE_EXTRA_CA_CERTS;
  delete e.NODE_OPTIONS;
  return e;
};

/** One fresh process under `bin`: resolves with what it printed. */
function once(bin, { cwd, file }, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [file, ...args], { cwd, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0 || !out) return reject(new Error(`${file} in ${cwd} under ${bin} failed (${code}): ${err.slice(-2000)}`));
      resolve(JSON.parse(out));
    });
  });
}

/** Instructions one fresh process under `bin` executes (see lib/valgrind.mjs). */
function instructions(bin, { cwd, file }, args) {
  return countInstructions(bin, [file, ...args], { what: `${file} (${bin})`, cwd, env: env() });
}

const r2 = (v) => Number(v.toFixed(2));
const spread = (xs) => ({ median: r2(median(xs)), min: r2(Math.min(...xs)), max: r2(Math.max(...xs)) });
/** SDK ÷ ours: of the medians, with the range of the per-round ratios. */
const ratio = (ours, sdk) => {
  const perRound = ours.map((o, i) => sdk[i] / o);
  return { median: r2(median(sdk) / median(ours)), min: r2(Math.min(...perRound)), max: r2(Math.max(...perRound)) };
};

const modes = ["installed", "bundled"];
const kinds = ["esm", "cjs"];

/**
 * Prepares the consumers, programs and bundles under `workDir`, starts the
 * emulator, runs `rounds` rounds under every Node of `nodes` and resolves with
 *
 *   { rounds, peers: { ours, sdk, connect, connectNode, protobuf, rolldown }, bundleBytes,
 *     majors: [{ major, node, bare: { esm, cjs },
 *                installed|bundled: { esm|cjs: { ours|sdk: { net, gross, imported, call }, speedup, importSpeedup } } }] }
 *
 * (every time `{ median, min, max }` in ms: net = firstResult − bare,
 * gross = since process start, imported = after the imports − bare,
 * call = firstResult − imported; speedups SDK ÷ ours of the net times).
 */
export async function firstResult(workDir, rounds, nodes, { countInstructions = false } = {}) {
  const consumers = await prepareConsumers(workDir, log, ["sdk"]);
  const bundleDir = join(workDir, "first-result-bundles");
  await rm(bundleDir, { recursive: true, force: true });
  await mkdir(bundleDir, { recursive: true });
  const dirOf = { ours: consumers.ours, sdk: consumers.sdk };
  const contenders = [];
  const bundleBytes = {};
  for (const kind of kinds) {
    const bare = `first-result-bare.${ext(kind)}`;
    await writeFile(join(workDir, bare), bareProgram);
    contenders.push({ name: `bare.${kind}`, cwd: workDir, file: bare });
    for (const side of ["ours", "sdk"]) {
      const file = `first-result-${side}.${ext(kind)}`;
      await writeFile(join(dirOf[side], file), program(side, kind));
      contenders.push({ name: `installed.${kind}.${side}`, cwd: dirOf[side], file });
      log(`bundling ${side} ${kind} with rolldown`);
      await bundle(join(dirOf[side], file), join(bundleDir, file), kind, dirOf[side]);
      bundleBytes[`${side}.${kind}`] = readFileSync(join(bundleDir, file)).length;
      contenders.push({ name: `bundled.${kind}.${side}`, cwd: bundleDir, file });
    }
  }
  const version = (dir, name) => JSON.parse(readFileSync(join(dir, "node_modules", ...name.split("/"), "package.json"), "utf8")).version;
  const peers = {
    ours: version(consumers.ours, "dataproc-connect"),
    sdk: version(consumers.sdk, "@yandex-cloud/nodejs-sdk"),
    connect: version(consumers.ours, "@connectrpc/connect"),
    connectNode: version(consumers.ours, "@connectrpc/connect-node"),
    protobuf: version(consumers.ours, "@bufbuild/protobuf"),
    rolldown: (await import("rolldown")).VERSION,
  };

  const emulator = await spawnEmulator({ callLogLimit: 100 });
  const majors = [];
  try {
    const { ids } = await emulator.call("createJobs", { n: 1 });
    const args = [emulator.url, emulator.iamToken, emulator.clusterId, ids[0]];
    for (const node of nodes) {
      const say = (m) => log(`Node ${node.major}: ${m}`);
      for (const c of contenders) await once(node.bin, c, args); // warm the file cache; fail early
      const samples = Object.fromEntries(contenders.map((c) => [c.name, []]));
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < contenders.length; k++) {
          const c = contenders[(k + r) % contenders.length];
          samples[c.name].push(await once(node.bin, c, args));
        }
        const net = (name) => (samples[name].at(-1).firstResultMs - samples[`bare.${name.split(".")[1]}`].at(-1).firstResultMs).toFixed(0);
        say(`round ${r + 1}/${rounds}: installed ESM ours ${net("installed.esm.ours")} ms, SDK ${net("installed.esm.sdk")} ms; bundled ESM ours ${net("bundled.esm.ours")} ms, SDK ${net("bundled.esm.sdk")} ms`);
      }
      const bare = Object.fromEntries(kinds.map((kind) => [kind, samples[`bare.${kind}`].map((s) => s.firstResultMs)]));
      const side = (name, kind) => {
        const list = samples[name];
        const net = list.map((s, i) => s.firstResultMs - bare[kind][i]);
        const imported = list.map((s, i) => s.importedMs - bare[kind][i]);
        return {
          lists: { net, imported },
          summary: { net: spread(net), gross: spread(list.map((s) => s.firstResultMs)), imported: spread(imported), call: spread(list.map((s) => s.firstResultMs - s.importedMs)) },
        };
      };
      const out = { major: node.major, node: node.version, bare: Object.fromEntries(kinds.map((kind) => [kind, spread(bare[kind])])) };
      for (const mode of modes) {
        out[mode] = {};
        for (const kind of kinds) {
          const ours = side(`${mode}.${kind}.ours`, kind);
          const sdk = side(`${mode}.${kind}.sdk`, kind);
          out[mode][kind] = { ours: ours.summary, sdk: sdk.summary, speedup: ratio(ours.lists.net, sdk.lists.net), importSpeedup: ratio(ours.lists.imported, sdk.lists.imported) };
        }
      }
      if (countInstructions) {
        // One process per contender, two at a time (the counts do not depend on the load).
        say("instructions (valgrind), one process per contender");
        const counts = {};
        const queue = [...contenders];
        await Promise.all(
          [0, 1].map(async () => {
            for (let c = queue.shift(); c; c = queue.shift()) counts[c.name] = await instructions(node.bin, c, args);
          }),
        );
        const mi = (n) => r2(n / 1e6);
        out.instructions = { bare: Object.fromEntries(kinds.map((kind) => [kind, mi(counts[`bare.${kind}`])])) };
        for (const mode of modes) {
          out.instructions[mode] = {};
          for (const kind of kinds) {
            const net = (side) => mi(counts[`${mode}.${kind}.${side}`] - counts[`bare.${kind}`]);
            const o = net("ours");
            const t = net("sdk");
            out.instructions[mode][kind] = { ours: o, sdk: t, ratio: r2(t / o) };
          }
        }
      }
      out.rows = rows(out, { rounds, peers });
      majors.push(out);
    }
  } finally {
    await emulator.close();
  }
  return { rounds, peers, bundleBytes, majors };
}

// ---- table rows -----------------------------------------------------------------

const ms = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const num = (v) => v.toFixed(v < 10 ? 1 : 0);
const range = (s) => `${ms(s.median)} (${num(s.min)}–${num(s.max)})`;
const times = (s) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const modeLabel = { installed: "installed from npm", bundled: "bundled with rolldown into one file" };
const kindLabel = { esm: "ESM", cjs: "CJS" };

/**
 * The rows of one major: per way (installed, bundled) and format, the time to
 * first result (target ≥ 3×) and the import alone (info). Ours and the SDK's
 * cells: net ms (min–max), then the import + first call split and the gross
 * time since process start.
 */
export function rows(major, { rounds, peers }) {
  const out = [];
  const sdkName = `official SDK ${peers.sdk}`;
  for (const mode of modes) {
    for (const kind of kinds) {
      const r = major[mode][kind];
      const cellOf = (s) => `${range(s.net)}: import ${ms(s.imported.median)} + call ${ms(s.call.median)}; ${ms(s.gross.median)} since process start`;
      out.push({
        id: "2",
        what: `time to first result (fresh process: import + first JobService.Get, emulator in another process), ${modeLabel[mode]}, ${kindLabel[kind]}, less Node's own start (${ms(major.bare[kind].median)}), ${rounds} alternated rounds; peer: ${sdkName}`,
        ours: cellOf(r.ours),
        peer: cellOf(r.sdk),
        ratio: `speedup ${times(r.speedup)}`,
        target: "≥ 3×",
        met: r.speedup.median >= 3,
      });
      const ins = major.instructions?.[mode]?.[kind];
      if (ins) {
        out.push({
          id: "2",
          what: `instructions to first result (valgrind, one process each, less a bare node's ${major.instructions.bare[kind].toFixed(0)} M), ${modeLabel[mode]}, ${kindLabel[kind]}; peer: ${sdkName}`,
          ours: `${ins.ours.toFixed(0)} M`,
          peer: `${ins.sdk.toFixed(0)} M`,
          ratio: `${ins.ratio.toFixed(2)}×`,
          target: "info",
        });
      }
      out.push({
        id: "2",
        what: `bare import of the same program (${modeLabel[mode]}, ${kindLabel[kind]}), less Node's own start; peer: ${sdkName}`,
        ours: range(r.ours.imported),
        peer: range(r.sdk.imported),
        ratio: `speedup ${times(r.importSpeedup)}`,
        target: "info",
      });
    }
  }
  return out;
}

// ---- on its own -------------------------------------------------------------------

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = Boolean(process.env.BENCH_QUICK);
  const [dirArg, roundsArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const workDir = dirArg ?? (await mkdtemp(join(os.tmpdir(), "dataproc-connect-first-result-")));
  const rounds = Number(roundsArg ?? (quick ? 2 : 9));
  const loadStart = os.loadavg();
  const t0 = performance.now();
  const nodes = await nodeBinaries(requestedMajors(), log);
  const result = await firstResult(workDir, rounds, nodes, { countInstructions: process.argv.includes("--instructions") });
  const record = { date: new Date().toISOString(), loadAverage: { start: loadStart, end: os.loadavg() }, seconds: r2((performance.now() - t0) / 1000), ...result };
  if (dirArg === undefined) await rm(workDir, { recursive: true, force: true });
  if (process.send || quick) report(record);
  else {
    const resultsPath = fileURLToPath(new URL("./results.json", import.meta.url));
    const results = JSON.parse(await readFile(resultsPath, "utf8"));
    results.firstResult = record;
    await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    const { writeReadmeSection } = await import("../scripts/bench-readme.mjs");
    await writeReadmeSection({ results });
    log(`wrote ${resultsPath} (firstResult) and the BENCHMARKS.md table`);
    report(record);
  }
}

// 2. Cold import: fresh `node` processes, alternating ours and theirs, each
// importing what a Data Proc job call needs, from a consumer project (so
// package resolution is the real one).
//
//   ours:   createYandexCloud + iamToken from "dataproc-connect",
//           JobService from "dataproc-connect/dataproc/v1"
//   theirs: Session from "@yandex-cloud/nodejs-sdk",
//           jobService from "@yandex-cloud/nodejs-sdk/dataproc-v1"
//
// Inside the child, performance.now() around the dynamic imports; outside,
// the wall time of the whole process (spawn to exit).
//
//   node bench/import.mjs [workDir] [runs]
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareConsumers, repoRoot } from "./lib/consumers.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";

const scripts = {
  ours: `
    const t0 = performance.now();
    const { createYandexCloud, iamToken } = await import("dataproc-connect");
    const { JobService } = await import("dataproc-connect/dataproc/v1");
    const t1 = performance.now();
    if (typeof createYandexCloud !== "function" || typeof iamToken !== "function" || JobService.typeName !== "yandex.cloud.dataproc.v1.JobService") throw new Error("bad import");
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));`,
  theirs: `
    const t0 = performance.now();
    const { Session } = await import("@yandex-cloud/nodejs-sdk");
    const { jobService } = await import("@yandex-cloud/nodejs-sdk/dataproc-v1");
    const t1 = performance.now();
    if (typeof Session !== "function" || typeof jobService.JobServiceClient !== "function") throw new Error("bad import");
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));`,
};

// Not a contender: the same imports bundled into one file by rolldown (present
// through vitest), to show what shipping one bundled file per entry point
// would give. Skipped if rolldown is not installed.
const bundledScript = `
    const t0 = performance.now();
    const { createYandexCloud, iamToken, JobService } = await import("./bundle/entry.js");
    const t1 = performance.now();
    if (typeof createYandexCloud !== "function" || typeof iamToken !== "function" || JobService.typeName !== "yandex.cloud.dataproc.v1.JobService") throw new Error("bad import");
    process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStartMs: t1 }));`;

async function bundleOurs(dir) {
  const bin = join(repoRoot, "node_modules", ".bin", "rolldown");
  if (!existsSync(bin)) return false;
  await writeFile(
    join(dir, "entry.mjs"),
    'export { createYandexCloud, iamToken } from "dataproc-connect";\nexport { JobService } from "dataproc-connect/dataproc/v1";\n',
  );
  return new Promise((resolve) => {
    execFile(bin, ["entry.mjs", "--format", "esm", "--platform", "node", "-d", "bundle"], { cwd: dir }, (error) => resolve(!error));
  });
}

function once(cwd, script) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`import child failed (${code}): ${err}`));
      resolve({ ...JSON.parse(out), wallMs });
    });
  });
}

export async function coldImport(workDir, runs = 20) {
  let dirs = { ours: join(workDir, "consumer-ours"), theirs: join(workDir, "consumer-sdk") };
  if (!existsSync(join(dirs.ours, "node_modules")) || !existsSync(join(dirs.theirs, "node_modules"))) {
    const c = await prepareConsumers(workDir, (m) => progress("import", m));
    dirs = { ours: c.ours, theirs: c.sdk };
  }
  const bundled = await bundleOurs(dirs.ours);
  if (bundled) {
    dirs.bundled = dirs.ours;
    scripts.bundled = bundledScript;
  }
  const who = bundled ? ["ours", "theirs", "bundled"] : ["ours", "theirs"];
  // One discarded run each warms the OS file cache, as any second start would be.
  for (const w of who) await once(dirs[w], scripts[w]);
  const samples = { ours: [], theirs: [], bundled: [] };
  for (let i = 0; i < runs; i++) {
    const order = who.map((_, k) => who[(k + i) % who.length]);
    for (const w of order) samples[w].push(await once(dirs[w], scripts[w]));
  }
  const summary = (list) => ({
    runs: list.length,
    importMs: median(list.map((s) => s.importMs)),
    wallMs: median(list.map((s) => s.wallMs)),
    importMsAll: list.map((s) => Number(s.importMs.toFixed(2))),
  });
  const ours = summary(samples.ours);
  const theirs = summary(samples.theirs);
  // A bare `node -e` start, for scale: process wall time includes it for both.
  const bare = [];
  for (let i = 0; i < 5; i++) bare.push((await once(workDir, `process.stdout.write("{}")`)).wallMs);
  const experiment = bundled ? summary(samples.bundled) : undefined;
  return {
    ours,
    theirs,
    bundledExperiment: experiment && { ...experiment, speedupVsTheirs: theirs.importMs / experiment.importMs },
    bareNodeWallMs: median(bare),
    speedup: { import: theirs.importMs / ours.importMs, wall: theirs.wallMs / ours.wallMs },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "dataproc-connect-bench-")));
  report(await coldImport(workDir, Number(process.argv[3] ?? 20)));
}

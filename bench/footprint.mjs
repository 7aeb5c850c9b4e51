// 1. Install footprint: node_modules bytes and package count of a fresh
// consumer of the packed tarball vs a fresh consumer of the official Yandex
// SDK (the target), and, for scale, of the AWS SDK's EMR Serverless client
// and the Huawei SDK core (lib/consumers.mjs). The same on every Node: a
// shared row of `npm run bench`.
//
//   node bench/footprint.mjs [workDir]
import { lstat, mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { peers, prepareConsumers } from "./lib/consumers.mjs";
import { progress, report } from "./lib/report.mjs";

/** Bytes (apparent file sizes and allocated blocks) and files under `dir`, symlinks not followed. */
async function diskUsage(dir) {
  let bytes = 0;
  let blocks = 0;
  let files = 0;
  const walk = async (d) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      const st = await lstat(p);
      blocks += st.blocks * 512;
      if (entry.isDirectory()) await walk(p);
      else {
        bytes += st.size;
        files++;
      }
    }
  };
  await walk(dir);
  return { bytes, diskBytes: blocks, files };
}

/**
 * Installed packages: every `node_modules/<name>` and `node_modules/@scope/<name>`
 * that holds a package.json, recursing into nested node_modules (deduplicated
 * by path). package.json files deeper inside a package (e.g. dist/cjs) do not count.
 */
async function countPackages(nodeModules, seen = new Set()) {
  let entries;
  try {
    entries = await readdir(nodeModules, { withFileTypes: true });
  } catch {
    return seen;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const p = join(nodeModules, entry.name);
    const dirs = entry.name.startsWith("@")
      ? (await readdir(p, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => join(p, e.name))
      : [p];
    for (const dir of dirs) {
      const hasManifest = await stat(join(dir, "package.json")).then(() => true, () => false);
      if (hasManifest) seen.add(dir);
      await countPackages(join(dir, "node_modules"), seen);
    }
  }
  return seen;
}

export async function footprint(workDir) {
  const consumers = await prepareConsumers(workDir, (m) => progress("footprint", m));
  const measure = async (root) => {
    const nm = join(root, "node_modules");
    const usage = await diskUsage(nm);
    const packages = await countPackages(nm);
    return { ...usage, packages: packages.size };
  };
  const ours = await measure(consumers.ours);
  const sdk = await measure(consumers.sdk);
  const aws = await measure(consumers.aws);
  const huawei = await measure(consumers.huawei);
  return {
    workDir,
    sdk: peers.sdk,
    peers,
    installMs: consumers.installMs,
    ours,
    theirs: sdk,
    aws,
    huawei,
    ratio: { bytes: ours.bytes / sdk.bytes, diskBytes: ours.diskBytes / sdk.diskBytes, packages: ours.packages / sdk.packages },
  };
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const two = (v) => v.toFixed(2);

/** Table rows (bench/run.mjs): size and package count against the official Yandex SDK (target ≤ 0.10), the other SDKs for scale. */
export function rows(result) {
  const out = [
    { id: "1", what: `install: node_modules size (apparent bytes); peer: ${result.sdk}`, ours: mb(result.ours.bytes), peer: mb(result.theirs.bytes), ratio: two(result.ratio.bytes), target: "≤ 0.10", met: result.ratio.bytes <= 0.1 },
    { id: "1", what: `install: packages; peer: ${result.sdk}`, ours: `${result.ours.packages}`, peer: `${result.theirs.packages}`, ratio: two(result.ratio.packages), target: "≤ 0.10", met: result.ratio.packages <= 0.1 },
  ];
  for (const key of ["aws", "huawei"]) {
    const peer = result[key];
    if (!peer) continue;
    out.push({
      id: "1",
      what: `install: size, packages; peer: ${result.peers[key]} (all our clouds are in one package)`,
      ours: `${mb(result.ours.bytes)}, ${result.ours.packages}`,
      peer: `${mb(peer.bytes)}, ${peer.packages}`,
      ratio: `${two(result.ours.bytes / peer.bytes)}, ${two(result.ours.packages / peer.packages)}`,
      target: "info",
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "dataproc-connect-bench-")));
  report(await footprint(workDir));
}

// 1. Install footprint: node_modules bytes and package count of a fresh
// consumer of the packed tarball vs a fresh consumer of the official SDK.
//
//   node bench/footprint.mjs [workDir]
import { lstat, mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareConsumers, sdkSpec } from "./lib/consumers.mjs";
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
  return {
    workDir,
    sdk: sdkSpec,
    installMs: consumers.installMs,
    ours,
    theirs: sdk,
    ratio: { bytes: ours.bytes / sdk.bytes, diskBytes: ours.diskBytes / sdk.diskBytes, packages: ours.packages / sdk.packages },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "dataproc-connect-bench-")));
  report(await footprint(workDir));
}

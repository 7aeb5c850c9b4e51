// Throw-away consumer projects, installed from the npm registry like a user's:
//
//   ours     the packed tarball of this package (its runtime deps from the registry)
//   sdk      the official Yandex SDK
//   aws      @aws-sdk/client-emr-serverless
//   huawei   @huaweicloud/huaweicloud-sdk-core (the official Huawei core: signer
//            and client builder; the closest installed peer of an MRS client), and uuid
//
// The peers' versions are this package's devDependencies, so the benchmark
// compares against the versions the wire tests prove against. Shared by
// footprint.mjs and import.mjs; a consumer already installed under `workDir`
// is reused.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const devDependencies = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).devDependencies;
const spec = (name) => `${name}@${devDependencies[name]}`;

/** The peer packages, exact versions from package.json devDependencies. */
export const peers = {
  sdk: spec("@yandex-cloud/nodejs-sdk"),
  aws: spec("@aws-sdk/client-emr-serverless"),
  huawei: spec("@huaweicloud/huaweicloud-sdk-core"),
};
export const sdkSpec = peers.sdk;
// What each peer consumer installs. The Huawei core requires uuid without
// declaring it (huaweicloud-sdk-nodejs-v3#28): installed beside it, as our devDependencies do.
const installs = { sdk: [peers.sdk], aws: [peers.aws], huawei: [peers.huawei, spec("uuid")] };

const installFlags = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

async function npm(args, cwd) {
  const t0 = performance.now();
  const { stdout } = await run("npm", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } });
  return { stdout, ms: performance.now() - t0 };
}

const manifest = (name) => JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }, null, 2);
const installed = (dir, name) => existsSync(join(dir, "node_modules", ...name.split("/"), "package.json"));
const nameOf = (s) => s.slice(0, s.lastIndexOf("@"));

/**
 * Packs the package (dist must be built: `npm run bench` builds first; the
 * prepack build is skipped) and installs every consumer under `workDir`
 * (`peersToInstall`: only these of sdk, aws, huawei; first-result.mjs needs
 * only the SDK). Resolves with their directories and how long each install
 * took (0 when reused).
 */
export async function prepareConsumers(workDir, log = () => {}, peersToInstall = ["sdk", "aws", "huawei"]) {
  const dirs = { ours: join(workDir, "consumer-ours"), sdk: join(workDir, "consumer-sdk"), aws: join(workDir, "consumer-aws"), huawei: join(workDir, "consumer-huawei") };
  const installMs = {};
  let tarball;
  if (!installed(dirs.ours, "dataproc-connect")) {
    const packDir = join(workDir, "pack");
    await rm(packDir, { recursive: true, force: true });
    await mkdir(packDir, { recursive: true });
    log("npm pack");
    await npm(["pack", "--ignore-scripts", "--pack-destination", packDir, "--loglevel=error"], repoRoot);
    tarball = join(packDir, (await readdir(packDir)).find((f) => f.endsWith(".tgz")));
    await mkdir(dirs.ours, { recursive: true });
    await writeFile(join(dirs.ours, "package.json"), manifest("consumer-ours"));
    log("npm install (ours)");
    installMs.ours = (await npm([...installFlags, tarball], dirs.ours)).ms;
  } else installMs.ours = 0;
  for (const key of peersToInstall) {
    if (installed(dirs[key], nameOf(peers[key]))) {
      installMs[key] = 0;
      continue;
    }
    await mkdir(dirs[key], { recursive: true });
    await writeFile(join(dirs[key], "package.json"), manifest(`consumer-${key}`));
    log(`npm install (${installs[key].join(" ")})`);
    installMs[key] = (await npm([...installFlags, ...installs[key]], dirs[key])).ms;
  }
  return { tarball, ...dirs, installMs };
}

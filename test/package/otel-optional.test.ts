// @opentelemetry/api is an optional peer: a program bundled with esbuild
// where the API cannot be resolved at all (a plugin refuses every
// @opentelemetry/* import) builds, and runs from a directory with no
// node_modules, making real calls on both Yandex transports against this
// process's emulator.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), "dataproc-connect-otel-"));
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Fails the build on any import of the OpenTelemetry API, as if it were not installed. */
const noOpenTelemetry: Plugin = {
  name: "no-opentelemetry",
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\// }, (args) => ({ errors: [{ text: `not installed: ${args.path} (imported by ${args.importer})` }] }));
  },
};

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("@opentelemetry/api is optional", () => {
  it("a program bundled without the API builds and calls the emulator over gRPC and REST", async () => {
    const entry = join(dir, "main.ts");
    writeFileSync(
      entry,
      `import { createYandexCloud, iamToken } from ${JSON.stringify(join(root, "src/index.ts"))};
import { JobService } from ${JSON.stringify(join(root, "src/yandex/dataproc/v1/index.ts"))};
const [url, restUrl, token, cluster] = process.argv.slice(2);
const out: Record<string, number> = {};
for (const [kind, endpoint] of [["grpc", url], ["rest", restUrl]] as const) {
  const cloud = createYandexCloud({ transport: kind, endpoint, credentials: iamToken(token) });
  out[kind] = (await cloud.client(JobService).list({ clusterId: cluster })).jobs.length;
  cloud.close();
}
console.log(JSON.stringify(out));
`,
    );
    const outfile = join(dir, "main.mjs");
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      plugins: [noOpenTelemetry],
      logLevel: "silent",
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    expect(result.errors).toEqual([]);
    expect(readFileSync(outfile, "utf8")).not.toContain("@opentelemetry/api");
    const { code, stdout, stderr } = await run(outfile, [emulator.url, emulator.restUrl, emulator.iamToken, emulator.clusters[0]!]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ grpc: expect.any(Number), rest: expect.any(Number) });
  });
});

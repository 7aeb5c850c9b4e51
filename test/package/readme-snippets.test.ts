/**
 * The README's quick starts are programs a newcomer pastes and runs. Each is
 * a file under test/fixtures/readme/, shown in the README verbatim after a
 * `<!-- snippet: test/fixtures/readme/name.ts -->` line (checked here), and
 * compiled by `tsc -p tsconfig.typecheck.json`, the first step of `npm test`
 * (its `paths` point `dataproc-connect/…` at the sources; checked here too).
 * Here each one is run as written against the emulator, and its output
 * checked. What changes on the way, and only that:
 *
 * - `dataproc-connect[/subpath]` imports point at the sources of that subpath
 *   (read from package.json `exports`), so no build is needed;
 * - `startEmulator()` gets a ManualClock, and each `create…Cloud(…)` the
 *   emulator's endpoint and region, that clock and its sleep (waits then
 *   advance the clock instead of taking real seconds) and an `env` standing
 *   in for `process.env`: for the real-cloud snippets it holds the
 *   emulator's keys and ids under the variables the README tells you to set;
 * - `console.log` and `process.stdout.write` print into the test's buffer.
 *
 * A snippet that needs anything else to run fails here, as it would for you.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { context, propagation, trace } from "@opentelemetry/api";
import { createAwsCloud } from "../../src/aws/index.js";
import { createHuaweiCloud } from "../../src/huawei/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { createYandexCloud } from "../../src/yandex/index.js";

const root = new URL("../../", import.meta.url);
const readme = await readFile(new URL("README.md", root), "utf8");
const manifest = JSON.parse(await readFile(new URL("package.json", root), "utf8")) as {
  exports: Record<string, string | { import?: { default?: string } }>;
};

/** Every ```ts block right after a `<!-- snippet: test/fixtures/readme/name.ts -->` line, by name. */
function snippets(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/^<!-- snippet: test\/fixtures\/readme\/([\w-]+)\.ts -->\n```ts\n([\s\S]*?)^```$/gm)) {
    if (found.has(m[1]!)) throw new Error(`README: two snippets named ${m[1]}`);
    found.set(m[1]!, m[2]!);
  }
  return found;
}

const fixtures = new URL("test/fixtures/readme/", root);

/** `dataproc-connect/aws` → the file URL of src/aws/index.ts, from the package's `exports`. */
function sourceOf(specifier: string): string {
  const entry = manifest.exports[`.${specifier.slice("dataproc-connect".length)}`];
  const target = typeof entry === "string" ? entry : entry?.import?.default;
  const m = target?.match(/^\.\/dist\/esm\/(src\/.*)\.js$/);
  if (!m) throw new Error(`README imports ${specifier}, which package.json does not export from src/`);
  return new URL(`${m[1]}.ts`, root).href;
}

/** The snippet, rewritten as the header describes; counts what it replaced so a test can tell. */
function rewrite(code: string): { code: string; replaced: Record<string, number> } {
  const replaced: Record<string, number> = {};
  const sub = (text: string, pattern: RegExp, to: string | ((...a: string[]) => string), name: string): string =>
    text.replace(pattern, (...args: string[]) => {
      replaced[name] = (replaced[name] ?? 0) + 1;
      return typeof to === "string" ? to : to(...args);
    });
  let out = sub(code, /from "(dataproc-connect(?:\/[\w/.-]+)?)"/g, (_m, spec) => `from ${JSON.stringify(sourceOf(spec!))}`, "imports");
  out = sub(out, /\bstartEmulator\(\)/g, "__snippet.startEmulator()", "emulator");
  out = sub(out, /\bcreate(Yandex|Aws|Huawei)Cloud\(/g, (_m, cloud) => `__snippet.${cloud!.toLowerCase()}(`, "clouds");
  out = sub(out, /\bprocess\.env\b/g, "__snippet.env", "env");
  out = sub(out, /\bconsole\.log\(/g, "__snippet.log(", "print");
  out = sub(out, /\bprocess\.stdout\.write\(/g, "__snippet.write(", "print");
  return { code: out, replaced };
}

export interface Harness {
  startEmulator(): Promise<Emulator<ManualClock>>;
  yandex(options?: Parameters<typeof createYandexCloud>[0]): ReturnType<typeof createYandexCloud>;
  aws(options?: Parameters<typeof createAwsCloud>[0]): ReturnType<typeof createAwsCloud>;
  huawei(options?: Parameters<typeof createHuaweiCloud>[0]): ReturnType<typeof createHuaweiCloud>;
  env: Record<string, string>;
  log(...values: unknown[]): void;
  write(text: string): void;
}

const dir = await mkdtemp(join(tmpdir(), "readme-snippets-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs one snippet on an emulator of its own; resolves with what it printed and the emulator. */
async function run(name: string): Promise<{ printed: string; emulator: Emulator<ManualClock>; replaced: Record<string, number> }> {
  const source = snippets(readme).get(name);
  if (source === undefined) throw new Error(`README has no snippet ${name}`);
  const emulator = await startEmulator({ clock: new ManualClock() });
  const clouds: { close(): void }[] = [];
  let printed = "";
  const shared = { endpoint: emulator.restUrl, clock: emulator.clock, sleep: emulator.clock.sleep };
  const env: Record<string, string> = {
    YC_ENDPOINT: emulator.url,
    YC_IAM_TOKEN: emulator.iamToken,
    DATAPROC_CLUSTER_ID: emulator.clusters[0]!,
    AWS_REGION: emulator.aws.region,
    AWS_ACCESS_KEY_ID: emulator.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.aws.secretAccessKey,
    EMR_APPLICATION_ID: emulator.aws.applicationId,
    EMR_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/emr-job",
    HUAWEICLOUD_SDK_AK: emulator.huawei.accessKey,
    HUAWEICLOUD_SDK_SK: emulator.huawei.secretKey,
    HUAWEICLOUD_SDK_PROJECT_ID: emulator.huawei.projectId,
    MRS_CLUSTER_ID: emulator.clusters[0]!,
  };
  const keep = <C extends { close(): void }>(cloud: C): C => (clouds.push(cloud), cloud);
  const harness: Harness = {
    startEmulator: async () => emulator,
    yandex: (o = {}) => keep(createYandexCloud({ ...o, env, endpoint: emulator.url, clock: shared.clock, sleep: shared.sleep })),
    aws: (o = {}) => keep(createAwsCloud({ ...o, env, ...shared, region: emulator.aws.region })),
    huawei: (o) => keep(createHuaweiCloud({ ...o, env, ...shared, region: emulator.huawei.region })),
    env,
    log: (...values) => {
      printed += `${values.map(String).join(" ")}\n`;
    },
    write: (text) => {
      printed += text;
    },
  };
  const { code, replaced } = rewrite(source);
  const file = join(dir, `${name}.ts`);
  await writeFile(file, `const __snippet = (globalThis as Record<string, unknown>).__readmeSnippet as import(${JSON.stringify(import.meta.url)}).Harness;\n${code}\nexport {};\n`);
  (globalThis as { __readmeSnippet?: Harness }).__readmeSnippet = harness;
  try {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    delete (globalThis as { __readmeSnippet?: Harness }).__readmeSnippet;
    for (const cloud of clouds) cloud.close();
    await emulator.close();
  }
  return { printed, emulator, replaced };
}

describe("README snippets", () => {
  it("are the files under test/fixtures/readme/, verbatim, each shown once", async () => {
    const all = snippets(readme);
    const files = (await readdir(fixtures)).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
    expect([...all.keys()].sort()).toEqual(files.sort());
    for (const [name, code] of all) expect(code, `README's ${name}.ts differs from test/fixtures/readme/${name}.ts`).toBe(await readFile(new URL(`${name}.ts`, fixtures), "utf8"));
  });

  it("are type-checked against the sources: tsconfig.typecheck.json maps every exported subpath as package.json exports it", async () => {
    const config = JSON.parse(await readFile(new URL("tsconfig.typecheck.json", root), "utf8")) as { include: string[]; exclude: string[]; compilerOptions: { paths: Record<string, string[]> } };
    expect(config.include).toContain("test/fixtures/readme/*.ts");
    expect(config.exclude).toEqual([]); // tsconfig.json excludes the fixtures, whose imports only these paths resolve
    const expected: Record<string, string[]> = {};
    for (const [key, entry] of Object.entries(manifest.exports)) {
      const m = (typeof entry === "string" ? entry : entry.import?.default)?.match(/^\.\/dist\/esm\/(src\/.*)\.js$/);
      if (m) expected[`dataproc-connect${key.slice(1)}`] = [`./${m[1]}.ts`]; // not ./package.json, nor the shared gen/ descriptors
    }
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(config.compilerOptions.paths).toEqual(expected);
  });

  it("are marked, named once each, and import only exported subpaths", () => {
    const all = snippets(readme);
    expect([...all.keys()].sort()).toEqual(["aws-cloud", "aws-emulator", "huawei-cloud", "huawei-emulator", "neutral-emulator", "observability", "yandex-cloud", "yandex-emulator"]);
    for (const code of all.values()) for (const m of code.matchAll(/from "(dataproc-connect[^"]*)"/g)) expect(() => sourceOf(m[1]!)).not.toThrow();
    // the cloud-neutral quick start comes before the per-cloud ones
    const at = (name: string): number => readme.indexOf(`<!-- snippet: test/fixtures/readme/${name}.ts -->`);
    expect(at("neutral-emulator")).toBeGreaterThan(0);
    expect(at("neutral-emulator")).toBeLessThan(at("yandex-emulator"));
  });

  it("neutral-emulator: one runToEnd for a job on each of the three clouds", async () => {
    const { printed, replaced } = await run("neutral-emulator");
    expect(replaced.clouds).toBe(3);
    const lines = printed.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^yandex job \S+: succeeded$/);
    expect(lines[1]).toMatch(/^aws job \S+: succeeded$/);
    expect(lines[2]).toMatch(/^huawei job \S+: succeeded$/);
  });

  it("yandex-emulator: follows the log to its end and waits to succeeded", async () => {
    const { printed } = await run("yandex-emulator");
    expect(printed.length).toBeGreaterThan(100); // the emulator's log text
    expect(printed.trim().split("\n").at(-1)).toMatch(/^\S+ succeeded$/);
  });

  it("yandex-cloud: the same from YC_ENDPOINT, YC_IAM_TOKEN and DATAPROC_CLUSTER_ID", async () => {
    const { printed, replaced } = await run("yandex-cloud");
    expect(replaced.env).toBeGreaterThanOrEqual(1);
    expect(printed.trim().split("\n").at(-1)).toMatch(/^\S+ succeeded$/);
  });

  it("aws-emulator: a job run to succeeded, then its dashboard link", async () => {
    const { printed } = await run("aws-emulator");
    const lines = printed.trim().split("\n");
    expect(lines[0]).toMatch(/^\S+ succeeded$/);
    expect(lines[1]).toMatch(/^dashboard https?:\/\//);
  });

  it("aws-cloud: the same from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and the application id", async () => {
    const { printed, replaced } = await run("aws-cloud");
    expect(replaced.env).toBeGreaterThanOrEqual(3);
    expect(printed.trim()).toMatch(/^\S+ succeeded$/);
  });

  it("huawei-emulator: an MRS job to succeeded, then the cluster's job list", async () => {
    const { printed } = await run("huawei-emulator");
    const [first, ...listed] = printed.trim().split("\n");
    expect(first).toMatch(/^\S+ succeeded$/);
    expect(listed).toContain(`${first!.split(" ")[0]} FINISHED SUCCEEDED`);
  });

  it("huawei-cloud: the same from HUAWEICLOUD_SDK_AK/SK/PROJECT_ID and MRS_CLUSTER_ID", async () => {
    const { printed } = await run("huawei-cloud");
    expect(printed.trim()).toMatch(/^\S+ succeeded$/);
  });

  it("observability: NodeSDK's registered provider gets the Yandex span as a child of the service's own, an explicit provider the AWS one", async () => {
    try {
      const { printed, replaced } = await run("observability");
      expect(replaced.clouds).toBe(2);
      expect(printed.trimEnd().split("\n")).toEqual([
        "  child yandex.cloud.dataproc.v1.JobService/List grpc",
        "root nightly-report ",
        "  child aws.emr_serverless.v1.EmrServerlessService/ListJobRuns aws-api",
      ]);
    } finally {
      // NodeSDK's shutdown() leaves its globals registered; other files in this worker must not see them.
      trace.disable();
      propagation.disable();
      context.disable();
    }
  });
});

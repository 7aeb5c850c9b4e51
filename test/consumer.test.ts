import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Packs the package as it would be published, installs the tarball into a
// throw-away consumer project and uses every subpath export from there, the
// way a user would: ESM import, CJS require, and type-checking under the
// NodeNext and Bundler module resolutions.

const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
};
const subpaths = Object.keys(pkg.exports).filter((p) => p !== "./package.json");
const specifiers = subpaths.map((p) => (p === "." ? pkg.name : `${pkg.name}/${p.slice(2)}`));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

let consumer = "";
let tarballPath = "";
let typeChecks: Promise<string>;
let userService: Promise<string>;

const version = (name: string): string => (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;

function runAsync(file: string, args: string[], cwd = consumer): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${file} ${args.join(" ")}: ${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

function run(file: string, args: string[], cwd = consumer): string {
  return execFileSync(file, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** The type checks (NodeNext and Bundler, with a CommonJS file): tsc's output for both. */
async function startTypeChecks(): Promise<string> {
  const source = `
    import { create } from "@bufbuild/protobuf";
    import { createApiRegistry, createYandexCloud, dataprocJobs, iamToken } from "dataproc-connect";
    import { CreateJobRequestSchema, Job_Status, JobService as Dataproc, type Job } from "dataproc-connect/dataproc/v1";
    import { JobService } from "dataproc-connect/spark/v1";
    import { OperationService, type Operation } from "dataproc-connect/operation";
    import { IamTokenService } from "dataproc-connect/iam/v1";
    const request = create(CreateJobRequestSchema, { clusterId: "c1", jobSpec: dataprocJobs.hive({ queryFileUri: "s3a://b/q.sql" }) });
    const status: Job_Status = Job_Status.DONE;
    const names: string[] = [JobService.typeName, OperationService.typeName, IamTokenService.typeName];
    declare const job: Job; declare const op: Operation;
    const cloud = createYandexCloud({ credentials: iamToken("t"), endpoint: "http://127.0.0.1:1" });
    export async function created(): Promise<Job> {
      return (await cloud.client(Dataproc).create(request)).wait();
    }
    export const id: string = job.id + op.id + request.clusterId + String(status) + names.join() + String(createApiRegistry());
    // @ts-expect-error: clusterId is a string
    create(CreateJobRequestSchema, { clusterId: 1 });
    // @ts-expect-error: wait() resolves to a Job, not a string
    export const notAString: Promise<string> = cloud.client(Dataproc).create(request).then((op) => op.wait());
  `;
  writeFileSync(join(consumer, "check.mts"), source);
  writeFileSync(join(consumer, "check.ts"), source);
  // A CommonJS consumer file resolves the "require" conditions and their .d.ts.
  writeFileSync(join(consumer, "check-cjs.cts"), `import dataproc = require("dataproc-connect/dataproc/v1");\nexport const name: string = dataproc.JobService.typeName;\n`);
  const project = (resolution: "nodenext" | "bundler", files: string[]): string => {
    const config = {
      compilerOptions: {
        // skipLibCheck keeps this quick (@types/node is large). A declaration that
        // failed to resolve would turn types into `any`; the @ts-expect-error
        // lines and the `Promise<Job>` return below would then fail.
        noEmit: true, strict: true, types: ["node"], skipLibCheck: true, target: "es2022",
        module: resolution === "nodenext" ? "nodenext" : "esnext", moduleResolution: resolution,
      },
      files,
    };
    writeFileSync(join(consumer, `tsconfig.${resolution}.json`), JSON.stringify(config));
    return `tsconfig.${resolution}.json`;
  };
  // One `tsc -b` process checks both projects: build mode parses each shared
  // declaration file (lib, @types/node, the package's .d.ts) once for both
  // instead of once per process, about half the CPU of two `tsc -p` runs.
  // Each diagnostic names its file (check.mts, check-cjs.cts: NodeNext;
  // check.ts: Bundler), so an error in either project shows in the output.
  const projects = [project("nodenext", ["check.mts", "check-cjs.cts"]), project("bundler", ["check.ts"])];
  return new Promise<string>((resolve) => {
    execFile(process.execPath, [tsc, "-b", ...projects], { cwd: consumer, encoding: "utf8" }, (_, stdout) => resolve(stdout));
  });
}

/** Generates the user's own service in the consumer and runs it: the script's stdout. */
async function startUserService(): Promise<string> {
  // The user's proto uses this package's options (shipped in proto/) and is
  // generated, with the Yandex files it imports, by protoc-gen-es into the
  // user's project; that code and the package run on the same @bufbuild/protobuf.
  const proto = join(consumer, "proto/acme/widgets/v1");
  mkdirSync(proto, { recursive: true });
  writeFileSync(join(proto, "widgets.proto"), `syntax = "proto3";
package acme.widgets.v1;
import "yandex/cloud/api/operation.proto";
import "yandex/cloud/operation/operation.proto";
import "yandex/cloud/validation.proto";
service WidgetService {
  rpc Get(GetWidgetRequest) returns (Widget);
  rpc Create(CreateWidgetRequest) returns (yandex.cloud.operation.Operation) {
    option (yandex.cloud.api.operation) = { metadata: "CreateWidgetMetadata", response: "Widget" };
  }
}
message GetWidgetRequest { string widget_id = 1 [(yandex.cloud.required) = true, (yandex.cloud.length) = "<=20"]; }
message CreateWidgetRequest { string name = 1 [(yandex.cloud.length) = "<=10"]; }
message CreateWidgetMetadata { string widget_id = 1; }
message Widget { string id = 1; string name = 2; }
`);
  writeFileSync(join(consumer, "buf.yaml"), "version: v2\nmodules:\n  - path: proto\n  - path: node_modules/dataproc-connect/proto\n");
  writeFileSync(join(consumer, "buf.gen.yaml"), `version: v2
plugins:
  - local: ${join(root, "node_modules/.bin/protoc-gen-es")}
    out: gen
    # One plugin run for all files: buf's default runs it once per directory
    # (13 node processes here, most of the test's CPU); the output is the same.
    strategy: all
    opt: [target=js+dts, import_extension=js]
`);
  await runAsync(join(root, "node_modules/.bin/buf"), ["generate"]);
  writeFileSync(join(consumer, "widgets.mjs"), `
    import { createServer } from "node:http2";
    import { create, createRegistry, toJson } from "@bufbuild/protobuf";
    import { anyPack } from "@bufbuild/protobuf/wkt";
    import { connectNodeAdapter } from "@connectrpc/connect-node";
    import { createYandexCloud, iamToken, createApiRegistry, YandexCloudError } from "dataproc-connect";
    import { WidgetService, WidgetSchema, CreateWidgetMetadataSchema, file_acme_widgets_v1_widgets } from "./gen/acme/widgets/v1/widgets_pb.js";
    import { OperationService } from "./gen/yandex/cloud/operation/operation_service_pb.js";
    import { OperationSchema } from "./gen/yandex/cloud/operation/operation_pb.js";

    const calls = [];
    const done = (id) => create(OperationSchema, {
      id, done: true,
      metadata: anyPack(CreateWidgetMetadataSchema, create(CreateWidgetMetadataSchema, { widgetId: "w1" })),
      result: { case: "response", value: anyPack(WidgetSchema, create(WidgetSchema, { id: "w1", name: "gear" })) },
    });
    const server = createServer(connectNodeAdapter({ routes(router) {
      router.service(WidgetService, {
        get(request) { calls.push("Get " + request.widgetId); return { id: request.widgetId, name: "gear" }; },
        create(request) {
          calls.push("Create " + request.name);
          return create(OperationSchema, { id: "op1", done: false, metadata: anyPack(CreateWidgetMetadataSchema, create(CreateWidgetMetadataSchema, { widgetId: "w1" })) });
        },
      });
      router.service(OperationService, { get(request) { calls.push("Operation.Get " + request.operationId); return done(request.operationId); }, cancel() { throw new Error("unused"); } });
    } }));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const cloud = createYandexCloud({ credentials: iamToken("t1"), endpoint: "http://127.0.0.1:" + server.address().port });
    try {
      const widgets = cloud.client(WidgetService);
      const got = await widgets.get({ widgetId: "w1" });
      let invalid;
      try { await widgets.get({ widgetId: "" }); } catch (e) { invalid = e; }
      const operation = await widgets.create({ name: "gear" });
      const result = await operation.wait();
      const registry = createRegistry(file_acme_widgets_v1_widgets);
      const json = toJson(OperationSchema, done("op2"), { registry: createRegistry(file_acme_widgets_v1_widgets) });
      const apiHasOperation = createApiRegistry().getMessage("yandex.cloud.operation.Operation") !== undefined;
      console.log(JSON.stringify({
        got: { id: got.id, name: got.name, typeName: got.$typeName },
        invalid: { isCloudError: invalid instanceof YandexCloudError, code: invalid?.code, attempts: invalid?.attempts, violations: invalid?.violations?.map((v) => v.path + " " + v.rule), message: invalid?.message },
        metadata: operation.decodedMetadata && { typeName: operation.decodedMetadata.$typeName, widgetId: operation.decodedMetadata.widgetId },
        result: { typeName: result.$typeName, id: result.id, name: result.name },
        json: json.response, apiHasOperation, registryHasWidget: registry.getMessage("acme.widgets.v1.Widget") !== undefined,
        calls,
      }));
    } finally {
      cloud.close();
      server.close();
    }
  `);
  return runAsync(process.execPath, ["widgets.mjs"]);
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), "dataproc-connect-consumer-"));
  // CI builds right before the tests; rebuild only when dist/ is missing or
  // older than the sources, then pack without running prepack again.
  const built = existsSync(join(root, "dist/cjs/package.json")) ? newest(join(root, "dist")) : 0;
  if (built < Math.max(newest(join(root, "src")), newest(join(root, "gen")))) run("npm", ["run", "-s", "build"], root);
  const tarball = run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", consumer], root).trim().split("\n").pop()!;
  tarballPath = join(consumer, tarball);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  // A TypeScript consumer on Node has @types/node; take the version we test with.
  const typesNode = JSON.parse(readFileSync(join(root, "node_modules/@types/node/package.json"), "utf8")) as { version: string };
  // The peers, as a user's package.json names them: connect-node is the
  // user's server for the service they generate below, too.
  const connectNode = JSON.parse(readFileSync(join(root, "node_modules/@connectrpc/connect-node/package.json"), "utf8")) as { version: string };
  run("npm", [
    "install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts",
    join(consumer, tarball), `@types/node@${typesNode.version}`, `@connectrpc/connect-node@${connectNode.version}`,
    // The other peers, at the versions this repository resolves (from the npm cache).
    `@bufbuild/protobuf@${version("@bufbuild/protobuf")}`, `@connectrpc/connect@${version("@connectrpc/connect")}`,
  ]);
  // The slow checks run beside the quick ones (child processes, not this worker).
  typeChecks = startTypeChecks();
  userService = startUserService();
  typeChecks.catch(() => {});
  userService.catch(() => {});
}, 180_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe("the packed tarball in a consumer project", () => {
  it("ships the LICENSE and an executable bin with a shebang that prints the version", () => {
    // In the tarball itself, not only after npm's linking (which sets the mode anyway).
    const listing = run("tar", ["-tvzf", tarballPath]);
    const binEntry = listing.split("\n").find((line) => line.endsWith(`package/${pkg.bin["dataproc-connect"]!.replace(/^\.\//, "")}`));
    expect(binEntry, listing).toMatch(/^-rwxr-xr-x /);
    expect(listing).toMatch(/ package\/LICENSE\n/);
    const installed = join(consumer, "node_modules", pkg.name);
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toContain("Apache License");
    expect(readFileSync(join(installed, pkg.bin["dataproc-connect"]!), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(run(join(consumer, "node_modules/.bin/dataproc-connect"), ["--version"])).toBe(`dataproc-connect ${pkg.version}\n`);
  });

  it("exposes the per-service subpaths", () => {
    expect(specifiers).toEqual(expect.arrayContaining([
      "dataproc-connect", "dataproc-connect/dataproc/v1", "dataproc-connect/spark/v1",
      "dataproc-connect/operation", "dataproc-connect/iam/v1",
    ]));
  });

  it("imports and requires every subpath with the same exports", () => {
    const script = (kind: "import" | "require") => `
      const specifiers = ${JSON.stringify(specifiers)};
      const out = {};
      for (const s of specifiers) out[s] = Object.keys(${kind === "import" ? "await import(s)" : "require(s)"}).filter((k) => k !== "default" && k !== "__esModule").sort();
      console.log(JSON.stringify(out));`;
    const esm = JSON.parse(run(process.execPath, ["--input-type=module", "-e", script("import")])) as Record<string, string[]>;
    const cjs = JSON.parse(run(process.execPath, ["--input-type=commonjs", "-e", script("require")])) as Record<string, string[]>;
    expect(cjs).toEqual(esm);
    expect(esm["dataproc-connect/dataproc/v1"]).toEqual(expect.arrayContaining(["JobService", "JobSchema", "CreateJobRequestSchema", "Job_Status"]));
    expect(esm["dataproc-connect/spark/v1"]).toEqual(expect.arrayContaining(["JobService", "SparkConnectJobSchema"]));
    expect(esm["dataproc-connect/operation"]).toEqual(expect.arrayContaining(["OperationService", "OperationSchema", "StatusSchema"]));
    expect(esm["dataproc-connect/iam/v1"]).toEqual(expect.arrayContaining(["IamTokenService", "CreateIamTokenRequestSchema"]));
    expect(esm["dataproc-connect"]).toEqual(expect.arrayContaining(["createApiRegistry", "apiFiles"]));
  });

  it("gives working descriptors from both module systems", () => {
    const check = `.JobService.method.create.input.typeName`;
    const esm = run(process.execPath, ["--input-type=module", "-e", `console.log((await import("dataproc-connect/spark/v1"))${check})`]);
    const cjs = run(process.execPath, ["--input-type=commonjs", "-e", `console.log(require("dataproc-connect/spark/v1")${check})`]);
    expect(esm.trim()).toBe("yandex.cloud.spark.v1.CreateJobRequest");
    expect(cjs.trim()).toBe("yandex.cloud.spark.v1.CreateJobRequest");
  });

  it("type-checks under moduleResolution NodeNext and Bundler", async () => {
    expect(await typeChecks).toBe("");
    // Build mode writes each project's .tsbuildinfo once it has checked it
    // (errors or not): both projects really were checked.
    expect(existsSync(join(consumer, "tsconfig.nodenext.tsbuildinfo"))).toBe(true);
    expect(existsSync(join(consumer, "tsconfig.bundler.tsbuildinfo"))).toBe(true);
  }, 90_000);

  it("a service the user generates (own protoc-gen-es run, own @bufbuild/protobuf) works with client(), typed operations, validation and the registry", async () => {
    const out = JSON.parse(await userService);
    expect(out.got).toEqual({ id: "w1", name: "gear", typeName: "acme.widgets.v1.Widget" });
    // Validation rules from the user's own descriptors, checked before sending.
    expect(out.invalid).toMatchObject({ isCloudError: true, code: 3, attempts: 0 });
    expect(out.invalid.message).toMatch(/widget_id/);
    expect(out.invalid.violations).toEqual(["widget_id required"]);
    expect(out.metadata).toEqual({ typeName: "acme.widgets.v1.CreateWidgetMetadata", widgetId: "w1" });
    expect(out.result).toEqual({ typeName: "acme.widgets.v1.Widget", id: "w1", name: "gear" });
    expect(out.json).toEqual({ "@type": "type.googleapis.com/acme.widgets.v1.Widget", id: "w1", name: "gear" });
    expect(out.apiHasOperation).toBe(true);
    expect(out.registryHasWidget).toBe(true);
    // Validation failed before the network: the empty id never reached the server.
    expect(out.calls).toEqual(["Get w1", "Create gear", "Operation.Get op1"]);
  }, 90_000);

  it("has one descriptor identity across entry points, source maps, and the libraries as the user's own packages", () => {
    const script = `
      const root = await import("dataproc-connect");
      const dataproc = await import("dataproc-connect/dataproc/v1");
      const file = root.apiFiles.find((f) => f.name === "yandex/cloud/dataproc/v1/job_service");
      console.log(JSON.stringify({ same: file.services[0] === dataproc.JobService.method.get.parent }));`;
    expect(JSON.parse(run(process.execPath, ["--input-type=module", "-e", script])).same).toBe(true);
    // Every chunk points at its source map; stack traces name the TypeScript sources.
    for (const tree of ["esm", "cjs"]) {
      const chunks = join(consumer, `node_modules/dataproc-connect/dist/${tree}/chunks`);
      for (const chunk of readdirSync(chunks).filter((f) => f.endsWith(".js") && !f.startsWith("rolldown-runtime"))) {
        expect(readFileSync(join(chunks, chunk), "utf8")).toContain(`//# sourceMappingURL=${chunk}.map`);
        expect(existsSync(join(chunks, `${chunk}.map`))).toBe(true);
      }
    }
    const trace = run(process.execPath, ["--enable-source-maps", "--input-type=module", "-e",
      `import { iamToken } from "dataproc-connect"; try { iamToken(""); } catch (e) { console.log(e.stack); }`]);
    expect(trace).toMatch(/src\/yandex\/credentials\/[\w-]+\.ts:\d+/);
    const manifest = JSON.parse(readFileSync(join(consumer, "node_modules/dataproc-connect/package.json"), "utf8")) as {
      sideEffects: boolean;
      dependencies?: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.sideEffects).toBe(false);
    // protobuf-es and Connect (with connect-node, which pins Connect exactly)
    // are the user's own copies; jose and @noble/hashes are dependencies.
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(["@noble/hashes", "jose"]);
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["@bufbuild/protobuf", "@connectrpc/connect", "@connectrpc/connect-node"]);
    // dist/ holds none of their code: it names them as imports.
    const dist = join(consumer, "node_modules/dataproc-connect/dist");
    const code = readdirSync(dist, { recursive: true }).filter((f) => String(f).endsWith(".js")).map((f) => readFileSync(join(dist, String(f)), "utf8")).join("\n");
    expect(code).not.toMatch(/class ConnectError\b/);
    expect(code).not.toMatch(/function fromBinary\(/);
    expect(code).toContain('from "@connectrpc/connect"');
    expect(code).toContain('require("@connectrpc/connect")');
    // npm ls sees one copy of each, deduplicated with the user's.
    for (const name of ["@bufbuild/protobuf", "@connectrpc/connect"]) {
      const paths = run("npm", ["ls", name, "--all", "--parseable"]).trim().split("\n").filter(Boolean);
      expect(new Set(paths).size, `${name}: ${paths.join(", ")}`).toBe(1);
    }
  });

  it("gives bundlers for workers the REST-only build: every client entry, no node: import (workerd/worker/browser conditions)", async () => {
    // As wrangler bundles a worker (test/rest-runtimes.test.ts runs one in workerd).
    const clientSpecifiers = specifiers.filter((s) => s !== `${pkg.name}/testing`);
    writeFileSync(join(consumer, "worker.mjs"), clientSpecifiers.map((s, i) => `export * as m${i} from ${JSON.stringify(s)};`).join("\n"));
    const bundled = await build({
      entryPoints: ["worker.mjs"], absWorkingDir: consumer, bundle: true, format: "esm", platform: "neutral",
      conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"],
      external: ["node:*"], write: false, metafile: true, logLevel: "silent",
    });
    const inputs = Object.keys(bundled.metafile.inputs).filter((f) => f.includes("node_modules/dataproc-connect/"));
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((f) => !f.includes("node_modules/dataproc-connect/dist/rest-only/"))).toEqual([]);
    expect(Object.values(bundled.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path))).toEqual([]);
    expect(bundled.outputFiles[0]!.text).toContain("gRPC needs Node");
  });

  it("shares the user's Connect and protobuf-es module instances, for import and for require", () => {
    // A call that fails in the gRPC transport (loaded on first use) raises an
    // error of the program's own ConnectError, in both module systems.
    const body = (load: (specifier: string) => string) => `
      const { createYandexCloud, iamToken, CloudError } = ${load("dataproc-connect")};
      const { ConnectError } = ${load("@connectrpc/connect")};
      const { JobService } = ${load("dataproc-connect/dataproc/v1")};
      const { JobSchema } = ${load("dataproc-connect/dataproc/v1")};
      const { createRegistry } = ${load("@bufbuild/protobuf")};
      const cloud = createYandexCloud({ credentials: iamToken("t"), endpoint: "http://127.0.0.1:1", retry: false });
      cloud.client(JobService).get({ jobId: "j1", clusterId: "c1" }).then(() => console.log("unexpected"), (error) => {
        console.log(JSON.stringify({
          base: Object.getPrototypeOf(CloudError) === ConnectError,
          prototype: ConnectError.prototype.isPrototypeOf(error),
          name: error.name,
          registry: createRegistry(JobSchema).getMessage("yandex.cloud.dataproc.v1.Job") === JobSchema,
        }));
        cloud.close();
      });`;
    const esm = JSON.parse(run(process.execPath, ["--input-type=module", "-e", body((s) => `await import("${s}")`)]));
    const cjs = JSON.parse(run(process.execPath, ["--input-type=commonjs", "-e", body((s) => `require("${s}")`)]));
    for (const out of [esm, cjs]) expect(out).toEqual({ base: true, prototype: true, name: "ConnectError", registry: true });
  });
});

import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(consumer, tarball), `@types/node@${typesNode.version}`]);
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
    const check = (resolution: "nodenext" | "bundler", files: string[]) => {
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
      return new Promise<string>((resolve) => {
        execFile(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`], { cwd: consumer, encoding: "utf8" }, (_, stdout) => resolve(stdout));
      });
    };
    const [nodenext, bundler] = await Promise.all([check("nodenext", ["check.mts", "check-cjs.cts"]), check("bundler", ["check.ts"])]);
    expect(nodenext).toBe("");
    expect(bundler).toBe("");
  }, 90_000);
});

import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import type { DescFile, DescService } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// "A new service is a .proto": a copy of proto/ with one more service file in
// yandex/cloud/dataproc/v1, generated with this repository's buf.gen.yaml
// (protoc-gen-es and protoc-gen-dataproc-connect) into a temporary gen/. The
// package's index, apiFiles and operation types then include the service with
// no hand edit; src/yandex/dataproc/v1/index.ts and src/yandex/registry.ts
// only re-export those generated modules.

const root = new URL("../..", import.meta.url).pathname;
let dir = "";
let badOption: Promise<string>;

const newService = `syntax = "proto3";
package yandex.cloud.dataproc.v1;
import "yandex/cloud/api/operation.proto";
import "yandex/cloud/dataproc/v1/job.proto";
import "yandex/cloud/operation/operation.proto";
import "yandex/cloud/validation.proto";
// A service that is not in the repository.
service WidgetService {
  rpc Get(GetWidgetRequest) returns (Widget);
  rpc Rebuild(RebuildWidgetRequest) returns (yandex.cloud.operation.Operation) {
    option (yandex.cloud.api.operation) = { metadata: "RebuildWidgetMetadata", response: "Job" };
  }
  // Names google.protobuf.Empty without importing empty.proto, as the public Delete methods do.
  rpc Delete(DeleteWidgetRequest) returns (yandex.cloud.operation.Operation) {
    option (yandex.cloud.api.operation) = { metadata: "RebuildWidgetMetadata", response: "google.protobuf.Empty" };
  }
}
message DeleteWidgetRequest { string widget_id = 1 [(yandex.cloud.required) = true]; }
message GetWidgetRequest { string widget_id = 1 [(yandex.cloud.required) = true]; }
message RebuildWidgetRequest { string widget_id = 1 [(yandex.cloud.required) = true]; }
message RebuildWidgetMetadata { string widget_id = 1; }
message Widget { string id = 1; }
`;

function buf(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(join(root, "node_modules/.bin/buf"), args, { cwd, encoding: "utf8" }, (error, _stdout, stderr) =>
      error ? reject(new Error(`buf ${args.join(" ")}: ${error.message}\n${stderr}`)) : resolve(),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dataproc-connect-new-service-"));
  cpSync(join(root, "proto"), join(dir, "proto"), { recursive: true });
  writeFileSync(join(dir, "proto/yandex/cloud/dataproc/v1/widget_service.proto"), newService);
  for (const file of ["buf.yaml", "buf.gen.yaml"]) cpSync(join(root, file), join(dir, file));
  // buf.gen.yaml names its plugins relative to the repository root.
  for (const link of ["node_modules", "scripts"]) symlinkSync(join(root, link), join(dir, link));
  // The plugin refuses an option it does not know, naming it: a request with
  // only that parameter, on its stdin as protoc and buf send it (beside the real run).
  badOption = new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, "scripts/protoc-gen-dataproc-connect.mjs")], { encoding: "utf8" }, (_error, _stdout, stderr) => resolve(stderr));
    child.stdin!.end(toBinary(CodeGeneratorRequestSchema, create(CodeGeneratorRequestSchema, { parameter: "mode=package,api_files=yandex.,indexes=yes" })));
  });
  await buf(["generate"], dir);
}, 30_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a new .proto in an exported package, after buf generate", () => {
  it("is exported by the package's generated index, which the entry point re-exports", async () => {
    expect(readFileSync(join(dir, "gen/yandex/cloud/dataproc/v1/index.ts"), "utf8")).toContain('export * from "./widget_service_pb.js";');
    const index = (await import(join(dir, "gen/yandex/cloud/dataproc/v1/index.ts"))) as Record<string, unknown>;
    expect((index.WidgetService as DescService).typeName).toBe("yandex.cloud.dataproc.v1.WidgetService");
    // The files that were there are still exported beside it.
    expect((index.JobService as DescService).typeName).toBe("yandex.cloud.dataproc.v1.JobService");
    expect(readFileSync(join(root, "src/yandex/dataproc/v1/index.ts"), "utf8")).toContain('export * from "../../../../gen/yandex/cloud/dataproc/v1/index.js";');
  });

  it("is in apiFiles, after the files it imports, which registry.ts re-exports", async () => {
    const { apiFiles } = (await import(join(dir, "gen/api_files.ts"))) as { apiFiles: readonly DescFile[] };
    const names = apiFiles.map((f) => f.name);
    expect(names).toContain("yandex/cloud/dataproc/v1/widget_service");
    const at = names.indexOf("yandex/cloud/dataproc/v1/widget_service");
    for (const dep of ["yandex/cloud/dataproc/v1/job", "yandex/cloud/operation/operation", "yandex/cloud/api/operation"]) {
      expect(names.indexOf(dep), dep).toBeLessThan(at);
    }
    // No file of another cloud: the Yandex registry stays Yandex's.
    expect(names.filter((n) => !/^(yandex|google)\//.test(n))).toEqual([]);
    expect(readFileSync(join(root, "src/yandex/registry.ts"), "utf8")).toContain('from "../../gen/api_files.js"');
  });

  it("has its operation's result types, which OperationTypes extends", () => {
    const types = readFileSync(join(dir, "gen/operation_types_pb.ts"), "utf8");
    expect(types).toMatch(/"yandex\.cloud\.dataproc\.v1\.RebuildWidgetRequest": \{ metadata: RebuildWidgetMetadata; response: Job \};/);
    expect(types).toMatch(/"yandex\.cloud\.dataproc\.v1\.DeleteWidgetRequest": \{ metadata: RebuildWidgetMetadata; response: Empty \};/);
    expect(types).toContain('import type { Empty } from "@bufbuild/protobuf/wkt";');
    expect(readFileSync(join(root, "src/yandex/operation-types.ts"), "utf8")).toContain("export interface OperationTypes extends GeneratedOperationTypes {}");
  });

  it("refuses an unknown plugin option, naming it and the known ones", async () => {
    expect(await badOption).toMatch(/protoc-gen-dataproc-connect: unknown option indexes=yes \(known: mode, api_files, augment\)/);
  });

  it("leaves the rest of gen/ as the repository has it", () => {
    for (const file of ["yandex/cloud/dataproc/v1/job_service_pb.ts", "huawei/mrs/v2/index.ts", "google/rpc/index.ts"]) {
      expect(readFileSync(join(dir, "gen", file), "utf8"), file).toBe(readFileSync(join(root, "gen", file), "utf8"));
    }
  });
});

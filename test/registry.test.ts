import { describe, expect, it } from "vitest";
import { apiFiles, createApiRegistry } from "../src/index.js";

describe("createApiRegistry", () => {
  it("resolves types declared in imported files, not only the listed ones", () => {
    const registry = createApiRegistry();
    expect(registry.getMessage("google.rpc.Status")?.fields.map((f) => f.number)).toEqual([1, 2, 3]);
    expect(registry.getMessage("yandex.cloud.dataproc.v1.CreateJobMetadata")).toBeDefined();
    expect(registry.getService("yandex.cloud.spark.v1.JobService")?.methods.map((m) => m.name)).toEqual([
      "List", "Create", "Get", "ListLog", "Cancel",
    ]);
  });

  it("lists every file any listed file imports", () => {
    const names = new Set(apiFiles.map((f) => f.name));
    for (const file of apiFiles) {
      for (const dep of file.dependencies) {
        if (dep.name.startsWith("google/protobuf/")) continue; // well-known types ship with @bufbuild/protobuf
        expect(names, `${file.name} imports ${dep.name}`).toContain(dep.name);
      }
    }
  });
});

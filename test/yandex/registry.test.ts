import { describe, expect, it } from "vitest";
import { apiFiles, createApiRegistry } from "../../src/index.js";
import { readdirSync } from "node:fs";
import { sep } from "node:path";

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

describe("apiFiles against proto/", () => {
  // The Yandex registry holds the Yandex and google files and nothing of another
  // cloud (AWS and Huawei clients build their own registries), so a program that
  // talks to Yandex never loads their descriptors.
  const yandexProtos = readdirSync("proto", { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".proto"))
    .map((p) => p.split(sep).join("/").replace(/\.proto$/, ""))
    .filter((p) => p.startsWith("yandex/") || p.startsWith("google/"))
    .sort();

  it("lists exactly the Yandex and google .proto files under proto/", () => {
    expect(apiFiles.map((f) => f.name).sort()).toEqual(yandexProtos);
  });

  it("lists each file after the files it imports", () => {
    const seen = new Set<string>();
    for (const file of apiFiles) {
      for (const dep of file.dependencies) {
        if (!dep.name.startsWith("google/protobuf/")) expect(seen, `${file.name} before ${dep.name}`).toContain(dep.name);
      }
      seen.add(file.name);
    }
  });
});

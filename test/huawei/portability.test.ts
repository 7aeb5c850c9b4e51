// The Huawei REST path must load on Deno, Bun and fetch-only runtimes: no
// `node:` module anywhere in what its entry points import (type-only imports
// are erased and do not count).
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function runtimeImports(entry: string): { files: Set<string>; nodeImports: string[] } {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"/gms)) {
      const spec = m[1]!;
      if (spec.startsWith("node:")) nodeImports.push(`${file.slice(root.length + 1)} imports ${spec}`);
      else if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, ".ts");
        if (existsSync(target)) visit(target);
      }
    }
  };
  visit(resolve(root, entry));
  return { files, nodeImports };
}

describe("Huawei entry points are fetch-only", () => {
  for (const entry of ["src/huawei/index.ts", "src/huawei/mrs/v1/index.ts", "src/huawei/mrs/v2/index.ts"]) {
    it(`${entry} imports no node: module, directly or transitively`, () => {
      const { files, nodeImports } = runtimeImports(entry);
      expect(files.size).toBeGreaterThan(1);
      expect(nodeImports).toEqual([]);
    });
  }
});

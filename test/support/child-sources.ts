// The TypeScript sources as plain JavaScript, for tests that spawn real
// processes (`src/cli/main.ts`, `src/demo/main.ts`) without building dist/.
//
// Vitest's global setup strips the types from every file of src/ and gen/
// once per run into a temporary tree of the same layout (`x.ts` becomes
// `x.js`, which is the name the sources import it by), so a child loads
// exactly the modules, one file each, that it would load through
// TypeScript-stripping module hooks. Without hooks: on Node 20 they run on a
// separate thread and every import crosses to it and back, which cost each
// child about 0.8 s of CPU, more than the CLI's own work.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The root of the stripped tree: `<root>/src/cli/main.js`. */
    strippedSources: string;
  }
}

const root = join(import.meta.dirname, "../..");

/** Types stripped, nothing else: the native oxc transformer vitest's bundler ships, or TypeScript if it is missing. */
async function stripper(): Promise<(path: string, source: string) => string> {
  try {
    const { transformSync } = await import("rolldown/experimental");
    return (path, source) => transformSync(path, source, { lang: "ts" }).code;
  } catch {
    const { default: ts } = await import("typescript");
    return (path, source) =>
      ts.transpileModule(source, {
        fileName: path,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      }).outputText;
  }
}

/** Vitest global setup: writes the tree and removes it after the run. */
export default async function setup(project: TestProject): Promise<() => void> {
  const strip = await stripper();
  const out = mkdtempSync(join(tmpdir(), "dataproc-connect-sources-"));
  for (const dir of ["src", "gen"]) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
      const path = join(entry.parentPath, entry.name);
      const target = join(out, path.slice(root.length).replace(/\.ts$/, ".js"));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, strip(path, readFileSync(path, "utf8")));
    }
  }
  // ES modules, and the repository's node_modules for bare imports.
  writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
  symlinkSync(join(root, "node_modules"), join(out, "node_modules"));
  project.provide("strippedSources", out);
  return () => rmSync(out, { recursive: true, force: true });
}

/** The stripped copy of a source file, e.g. `sourceEntry("src/cli/main.ts")`, to run with `node`. */
export function sourceEntry(file: `src/${string}.ts`): string {
  return join(inject("strippedSources"), file.replace(/\.ts$/, ".js"));
}

// Node module hooks that run the TypeScript sources directly (types
// stripped on load), so a test can spawn `src/cli/main.ts` as a real process
// without building dist/ first. Test-only.
//
// The stripping uses the native oxc transformer that vitest's bundler
// (rolldown) ships, which starts in milliseconds; if that experimental entry
// point is ever missing, it falls back to the TypeScript compiler (~1 s to load).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const strip = await import("rolldown/experimental")
  .then((m) => (path, source) => m.transformSync(path, source, { lang: "ts" }).code)
  .catch(async () => {
    const { default: ts } = await import("typescript");
    return (path, source) =>
      ts.transpileModule(source, {
        fileName: path,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      }).outputText;
  });

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (specifier.endsWith(".js") && parent?.startsWith("file:") && !parent.includes("/node_modules/")) {
    const candidate = new URL(specifier.replace(/\.js$/, ".ts"), parent);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const path = fileURLToPath(url);
  return { format: "module", source: strip(path, await readFile(path, "utf8")), shortCircuit: true };
}

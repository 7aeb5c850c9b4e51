// Fails when the REST entry graph of dist/esm statically imports a Node
// built-in (node:*, or a bare "fs", "http2", …) or @connectrpc/connect-node.
// The REST path must load on Deno, Bun and fetch-only runtimes; node-only
// pieces (the gRPC transport, key files, Node streams) load lazily, through
// `import()` or `process.getBuiltinModule`, which this walk does not follow.
//
// Walks every static `import … from` / `export … from` / `import "…"` of the
// package's own files and of the packages they reach (resolved as ESM).
//
// With --rest-only it checks dist/rest-only (the `workerd` / `worker` /
// `browser` export conditions) and follows `import("…")` too: a worker
// bundler inlines those, so that whole graph must be free of Node.
//
// Usage: node scripts/check-rest-graph.mjs [--rest-only] [entry.js …]   (after npm run build)
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Every subpath export's ES module entry but the emulator's (`./testing` serves gRPC, on Node only). */
function exportedEntries() {
  const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"));
  return Object.entries(pkg.exports)
    .filter(([subpath, target]) => typeof target === "object" && subpath !== "./testing")
    .map(([, target]) => target.import.default);
}
const restOnly = process.argv.includes("--rest-only");
const args = process.argv.slice(2).filter((a) => a !== "--rest-only");
/** Every subpath export's `workerd` entry (the REST-only build), the shared descriptor subpaths (`./gen/…`) included. */
function restOnlyEntries() {
  const pkg = JSON.parse(readFileSync(resolve(root, "package.json"), "utf8"));
  return Object.values(pkg.exports)
    .filter((target) => typeof target === "object" && target.workerd)
    .map((target) => target.workerd.default);
}
const entries = args.length ? args : restOnly ? restOnlyEntries() : exportedEntries();
const forbiddenPackages = new Set(["@connectrpc/connect-node"]);
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split("/")[0]]));

const staticImport = /(?:^|[\n;}])\s*(?:import|export)\s*(?:type\s+)?(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
const dynamicImport = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
const problems = [];
const seen = new Set();

function walk(file, chain) {
  if (seen.has(file)) return;
  seen.add(file);
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const matches = restOnly ? [...text.matchAll(staticImport), ...text.matchAll(dynamicImport)] : text.matchAll(staticImport);
  for (const match of matches) {
    const specifier = match[1];
    const via = [...chain, relative(root, file)];
    if (specifier.startsWith("node:") || builtins.has(specifier.split("/")[0])) {
      problems.push(`${specifier}  imported by  ${via.join(" -> ")}`);
      continue;
    }
    const pkg = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
    if (!specifier.startsWith(".") && forbiddenPackages.has(pkg)) {
      problems.push(`${specifier}  imported by  ${via.join(" -> ")}`);
      continue;
    }
    // Relative specifiers by hand; packages from this package's node_modules
    // (import.meta.resolve ignores a parent URL on Node 20 without a flag).
    const target = specifier.startsWith(".") ? resolve(dirname(file), specifier) : fileURLToPath(import.meta.resolve(specifier));
    walk(target, via);
  }
}

for (const entry of entries) walk(resolve(root, entry), []);
if (problems.length > 0) {
  console.error(`REST entry graph imports Node-only modules (${problems.length}):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`REST entry graph${restOnly ? " of dist/rest-only, import() included" : ""}: ${seen.size} modules, no node: imports`);

// Builds dist/esm (ES modules, the code) and dist/cjs (CommonJS entry points
// and declarations).
//
// JavaScript: rolldown bundles src/ and gen/ together WITH the runtime
// libraries (@bufbuild/protobuf, @connectrpc/connect, @connectrpc/connect-node,
// jose) into one entry file per subpath export plus shared chunks
// (dist/esm/chunks/). Why: a cold `import` of the usual program used to load
// ~200 ES module files, and on Node 20 module count, not code size, is what
// costs (see bench/import.mjs). Shared chunks keep one copy of every module
// across entry points, so a descriptor has one identity whichever subpath it
// is imported from. Node-only pieces that the code loads with `import()` (the
// gRPC transport, jose, key files) become chunks of their own and load on
// first use. dist/cjs/…/index.js files `require()` the ES module build.
//
// Types: tsc emits the declarations only, next to the entry files, so the
// package's `exports` map and its types resolve as before (NodeNext and
// Bundler). The declarations name `@bufbuild/protobuf` and
// `@connectrpc/connect`, which are peer dependencies for that (and for the
// user's own generated code); their JavaScript is not loaded by this package.
// dist/cjs gets its own package.json so Node and TypeScript treat its files
// as CommonJS.
//
// The CLI entry point (`bin` in package.json) is made executable: a fresh
// clone's `npx dataproc-connect` would otherwise fail with "permission denied".
//
// `node scripts/build.mjs --deps-external <dir>` writes only the ES module
// build, into <dir>, with @bufbuild/protobuf and @connectrpc/* left as
// imports of the installed packages: the comparison build of
// bench/shared-process.mjs. dist/ is not touched.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { createRequire } from "node:module";
import { build } from "rolldown";
import { lazyDescriptors } from "./lazy-descriptors.mjs";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const pkg = JSON.parse(readFileSync("package.json", "utf8"));

/** `{ "src/dataproc/v1/index": "src/dataproc/v1/index.ts", … }`: every subpath export, the CLI and the demo. */
function entryPoints() {
  const entries = {};
  const add = (distPath) => {
    const name = distPath.replace(/^\.\/dist\/esm\//, "").replace(/\.js$/, "");
    entries[name] = `${name}.ts`;
  };
  for (const target of Object.values(pkg.exports)) {
    if (typeof target === "object") add(target.import.default);
  }
  add(pkg.bin["dataproc-connect"]);
  add("./dist/esm/src/demo/main.js");
  return entries;
}

/**
 * Shared chunks by room. On a cold start the number of module files costs
 * more than their size (an ES module on Node 20 costs about twice a CommonJS
 * one), so modules are grouped into a few chunks a program loads whole:
 * the core (protobuf-es, Connect's core, our cloud-neutral layer and the REST
 * transport), then one chunk per cloud. A Data Proc program loads the core
 * and the Yandex chunk (with every Yandex API: the root's `apiFiles` and job
 * builders reach them all, and their descriptors cost nothing until used);
 * an AWS program never loads Yandex code. Modules only reached through `import()` (the gRPC transport
 * with connect-node, jose, Node-only credential readers) are not listed, so
 * they stay in chunks of their own that load on first use.
 */
const roomRules = [
  ["core", /[\\/]node_modules[\\/](@bufbuild[\\/]protobuf|@connectrpc[\\/]connect[\\/])|[\\/]src[\\/](core|util|validation|rest|version\.ts|client[\\/]interceptors[\\/]attempt\.ts|client[\\/]method-kind\.ts|operation[\\/]sleep\.ts)|[\\/]gen[\\/](google|dataproc_connect)[\\/]/],
  ["yandex", /[\\/]src[\\/](client|credentials|operation|jobs|iam|dataproc|spark|registry\.ts|index\.ts)|[\\/]gen[\\/](yandex[\\/]|operation_types_pb)/],
  ["aws", /[\\/](gen|src)[\\/]aws[\\/]/],
  ["huawei", /[\\/](gen|src)[\\/]huawei[\\/]/],
];
/** Entries whose static graph the rooms are cut from: not the emulator, the CLI or the demo. */
const isClientEntry = (name) => !/^src\/(testing|cli|demo)\//.test(name);

/**
 * The modules a client entry loads at import: the static-import closure of
 * the client entries in an automatic split. Rooms take only these, so code
 * that only the emulator needs (Connect's router, its server protocols) or
 * that loads with `import()` stays out of them.
 */
async function clientGraph(input) {
  const { output } = await build({ input, platform: "node", external: [/^node:/], plugins: [lazyDescriptors()], logLevel: "silent", write: false, output: { format: "esm" } });
  const chunks = new Map(output.filter((o) => o.type === "chunk").map((c) => [c.fileName, c]));
  const modules = new Set();
  const visit = (chunk) => {
    if (chunk.visited) return;
    chunk.visited = true;
    chunk.moduleIds.forEach((id) => modules.add(id));
    chunk.imports.forEach((file) => chunks.has(file) && visit(chunks.get(file)));
  };
  for (const chunk of chunks.values()) if (chunk.isEntry && isClientEntry(chunk.name)) visit(chunk);
  return modules;
}

function roomGroups(clientModules) {
  return roomRules.map(([name, test], i) => ({
    name,
    test: (id) => clientModules.has(id) && test.test(id),
    // The core first, then each cloud: a room takes its modules'
    // dependencies too, unless an earlier room has them.
    priority: roomRules.length - i,
  }));
}

/** Bundles `input` as ES modules into `dir`; `depsExternal`: Connect and protobuf-es stay imports. */
async function bundle(dir, input, groups, depsExternal = false) {
  await build({
    input,
    platform: "node",
    // Only Node built-ins stay outside; everything else is bundled.
    external: depsExternal ? [/^node:/, /^@bufbuild\//, /^@connectrpc\//] : [/^node:/],
    // Generated descriptors hydrate on first use (src/core/lazy-desc.ts).
    plugins: [lazyDescriptors()],
    treeshake: true,
    logLevel: "warn",
    write: true,
    output: {
      dir,
      format: "esm",
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
      codeSplitting: { groups },
      sourcemap: true,
      minify: true,
      // Error classes print `constructor.name` (CloudError, YandexCloudError, …).
      keepNames: true,
      comments: { legal: false },
    },
  });
}

/**
 * The CommonJS entry points: each `require()`s its ES module twin (Node ≥
 * 20.19 loads ES modules synchronously). So a program that both imports and
 * requires the package, or whose dependencies do, gets one copy of every
 * module — one descriptor identity, one `instanceof` — and the package ships
 * the code once.
 */
function writeCommonJsEntries(input) {
  for (const name of Object.keys(input)) {
    if (/^src\/(cli|demo)\//.test(name)) continue; // ES module programs, not libraries
    const file = `dist/cjs/${name}.js`;
    const target = relative(dirname(file), `dist/esm/${name}.js`);
    writeFileSync(file, `"use strict";\n// The ES module build, required (Node >= 20.19): one copy of the package for import and require.\nmodule.exports = require("${target.startsWith(".") ? target : `./${target}`}");\n`);
  }
  writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
}

/**
 * Source maps carry the mappings, not the sources' text: that is what
 * `node --enable-source-maps` needs to print stack traces with the
 * TypeScript file names and lines, and the text (this package's sources and
 * the bundled libraries') made the maps three times the size of the code.
 * The paths still name the sources (`src/…`, `gen/…`, `node_modules/…`).
 */
function trimSourceMaps(dir) {
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith(".js.map")) continue;
    const path = `${dir}/${file}`;
    const { sourcesContent: _, ...map } = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify(map));
  }
}

const depsExternalAt = process.argv.indexOf("--deps-external");
if (depsExternalAt !== -1) {
  const dir = process.argv[depsExternalAt + 1];
  if (!dir) throw new Error("--deps-external: expected an output directory");
  rmSync(dir, { recursive: true, force: true });
  const input = entryPoints();
  await bundle(dir, input, roomGroups(await clientGraph(input)), true);
  process.exit(0);
}

rmSync("dist", { recursive: true, force: true });
// One declaration emit serves both trees: the text is the same, and the
// package.json in dist/cjs makes TypeScript read the copy as CommonJS.
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly"], { stdio: "inherit" });
cpSync("dist/esm", "dist/cjs", { recursive: true, filter: (source) => !/^dist\/esm\/src\/(cli|demo)(\/|$)/.test(source) });
const input = entryPoints();
await bundle("dist/esm", input, roomGroups(await clientGraph(input)));
trimSourceMaps("dist/esm");
writeCommonJsEntries(input);

const bin = "dist/esm/src/cli/main.js";
if (!readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")) throw new Error(`${bin}: no shebang line`);
chmodSync(bin, 0o755);

execFileSync(process.execPath, ["scripts/check-rest-graph.mjs"], { stdio: "inherit" });

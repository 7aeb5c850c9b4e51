// Builds dist/esm (ES modules) and dist/cjs (CommonJS), with declarations.
//
// JavaScript: rolldown bundles our own code (src/ and gen/) into one entry
// file per subpath export plus shared chunks by room (the core, then one per
// cloud), in both module formats. Every package the package depends on —
// the peers @bufbuild/protobuf, @connectrpc/connect and
// @connectrpc/connect-node, and the dependencies jose and @noble/hashes —
// stays an import (ESM) or a require (CJS) by name: the program has one copy
// of each, shared with its own generated code and clients, visible to
// `npm ls` and `npm audit`, with its licence intact. A CommonJS program
// requires our CommonJS build, which requires the peers' CommonJS builds, so
// it never runs their ES module copies beside its own. The code is not
// minified: users' stack traces stay readable.
//
// Why bundle our own files at all: a cold `import` of ~150 separate ES module
// files costs more than a few chunks on Node 20 (see bench/). Node-only
// pieces that the code loads with `import()` (the gRPC transport, jose, key
// files) stay chunks of their own and load on first use.
//
// Types: tsc emits the declarations only, next to the entry files, in both
// trees (dist/cjs has its own package.json so TypeScript and Node read its
// files as CommonJS).
//
// The protoc plugin bin (`protoc-gen-dataproc-connect`) is built apart, with
// its dependencies bundled: see scripts/build-protoc-plugin.mjs.
//
// The CLI entry point (`bin` in package.json) is made executable: a fresh
// clone's `npx dataproc-connect` would otherwise fail with "permission denied".
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { buildProtocPlugin } from "./build-protoc-plugin.mjs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;

/** `{ "src/yandex/dataproc/v1/index": "src/yandex/dataproc/v1/index.ts", … }`: every subpath export, the CLI and the demo. */
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

/** Programs, not library entry points: ES modules only, no CommonJS twin. */
const isProgram = (name) => /^src\/(cli|demo)\//.test(name);

/**
 * Packages that stay imports: Node's built-ins and everything in
 * `dependencies` and `peerDependencies`, with their subpaths
 * (`@bufbuild/protobuf/wkt`).
 */
const packages = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
const builtins = new Set(builtinModules);
function isExternal(id) {
  if (id.startsWith("node:") || builtins.has(id)) return true;
  return packages.some((name) => id === name || id.startsWith(`${name}/`));
}

/**
 * Shared chunks by room. On a cold start the number of module files costs
 * more than their size (an ES module on Node 20 costs about twice a
 * CommonJS one), so our modules are grouped into a few chunks a program
 * loads whole: the cloud-neutral core with the REST transport, then one
 * chunk per cloud. An AWS program never loads Yandex code. Modules only
 * reached through `import()` (the gRPC transport, Node-only credential
 * readers) match no rule, so they stay in chunks of their own that load on
 * first use.
 */
const roomRules = [
  // SHA-256 and HMAC for the AWS and Huawei signers, in a room of its own
  // (before the core, which would take it): the core chunk is every
  // program's, and this one imports @noble/hashes, five modules a Yandex
  // program never calls (an ES module bundle drops them, CommonJS cannot).
  ["sha256", /[\\/]src[\\/]core[\\/]sha256\.ts$/],
  ["core", /[\\/]src[\\/](core|util|validation|rest|grpc|version\.ts)|[\\/]gen[\\/](google|dataproc_connect)[\\/]/],
  ["yandex", /[\\/](gen|src)[\\/]yandex[\\/]|[\\/]gen[\\/](operation_types_pb|api_files)/],
  ["aws", /[\\/](gen|src)[\\/]aws[\\/]/],
  ["huawei", /[\\/](gen|src)[\\/]huawei[\\/]/],
];
/** Entries whose static graph the rooms are cut from: not the emulator, the CLI or the demo. */
const isClientEntry = (name) => !/^src\/(testing|cli|demo)\//.test(name);

/**
 * The modules a client entry loads at import: the static-import closure of
 * the client entries in an automatic split. Rooms take only these, so code
 * that only the emulator needs or that loads with `import()` stays out of them.
 */
async function clientGraph(input) {
  const { output } = await build({ input, platform: "node", external: isExternal, logLevel: "silent", write: false, output: { format: "esm" } });
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

/**
 * The REST-only build's swap: the gRPC transport's `import()`s (connect-node
 * and our HTTP/2 session manager, which import `node:http2`, `node:http`,
 * `node:zlib`…) resolve to src/grpc/unavailable.ts, whose functions
 * throw "gRPC needs Node; use transport: 'rest'". A worker bundle (wrangler's
 * esbuild makes one file and inlines every `import()`) then holds no `node:`
 * import and runs without `nodejs_compat`.
 */
const grpcUnavailable = fileURLToPath(new URL("../src/grpc/unavailable.ts", import.meta.url));
const isGrpcOnly = (id) => id === "@connectrpc/connect-node";
/** The Node-only modules src/grpc/transport.ts loads with `import()`: its session manager and compressions. */
const isGrpcLoader = (importer) => importer !== undefined && /[\\/]src[\\/]grpc[\\/]transport\.ts$/.test(importer);
const restOnlyPlugin = {
  name: "rest-only",
  resolveId(source, importer) {
    return isGrpcOnly(source) || (isGrpcLoader(importer) && source.startsWith("./")) ? grpcUnavailable : null;
  },
};

/** Bundles `input` into `dir` as `format` ("esm" or "cjs"); `restOnly` swaps the gRPC transport for src/grpc/unavailable.ts. */
async function bundle(dir, input, groups, format, { restOnly = false } = {}) {
  await build({
    input,
    platform: restOnly ? "neutral" : "node",
    external: restOnly ? (id) => !isGrpcOnly(id) && isExternal(id) : isExternal,
    plugins: restOnly ? [restOnlyPlugin] : [],
    treeshake: true,
    logLevel: "warn",
    write: true,
    output: {
      dir,
      format,
      entryFileNames: "[name].js",
      chunkFileNames: "chunks/[name]-[hash].js",
      codeSplitting: { groups },
      // CommonJS requires the CommonJS builds of the packages it loads
      // lazily too (connect-node, jose): `import()` would load their ES
      // module builds, a second copy of Connect beside the one required.
      dynamicImportInCjs: false,
      sourcemap: true,
      minify: false,
      // Error classes print `constructor.name` (CloudError, YandexCloudError, …) even where the bundle renames a clash.
      keepNames: true,
    },
  });
}

/**
 * Source maps carry the mappings, not the sources' text: that is what
 * `node --enable-source-maps` needs to print stack traces with the
 * TypeScript file names and lines. The paths still name the sources.
 */
function trimSourceMaps(dir) {
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith(".js.map")) continue;
    const path = `${dir}/${file}`;
    const { sourcesContent: _, ...map } = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify(map));
  }
}

rmSync("dist", { recursive: true, force: true });
// One declaration emit serves both trees: the text is the same, and the
// package.json in dist/cjs makes TypeScript read the copy as CommonJS.
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly"], { stdio: "inherit" });
cpSync("dist/esm", "dist/cjs", { recursive: true, filter: (source) => !/^dist\/esm\/src\/(cli|demo)(\/|$)/.test(source) });
const input = entryPoints();
const groups = roomGroups(await clientGraph(input));
await bundle("dist/esm", input, groups, "esm");
const libraryInput = Object.fromEntries(Object.entries(input).filter(([name]) => !isProgram(name)));
await bundle("dist/cjs", libraryInput, groups, "cjs");
writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
// The REST-only build (ES modules, the client entries: the emulator serves
// HTTP/2 from Node) for the `workerd` / `worker` / `browser` export conditions. Its
// declarations are dist/esm's: the API is the same.
const restOnlyInput = Object.fromEntries(Object.entries(libraryInput).filter(([name]) => isClientEntry(name)));
await bundle("dist/rest-only", restOnlyInput, groups, "esm", { restOnly: true });
trimSourceMaps("dist/esm");
trimSourceMaps("dist/cjs");
trimSourceMaps("dist/rest-only");

const bin = "dist/esm/src/cli/main.js";
if (!readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")) throw new Error(`${bin}: no shebang line`);
chmodSync(bin, 0o755);
// The protoc plugin users run on their own .proto files: a self-contained application (scripts/build-protoc-plugin.mjs).
await buildProtocPlugin();

execFileSync(process.execPath, ["scripts/check-rest-graph.mjs"], { stdio: "inherit" });
execFileSync(process.execPath, ["scripts/check-rest-graph.mjs", "--rest-only"], { stdio: "inherit" });

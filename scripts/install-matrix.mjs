// The install matrix: the packed tarball installed the ways users install it,
// each into a fresh project, then used from there. The package imports its
// peers (@bufbuild/protobuf, @connectrpc/connect, @connectrpc/connect-node)
// by name, so what must hold is that every supported peer version works and
// that the program ends up with one copy of each, shared with its own code.
//
//   npm,  lowest peers   the lower bounds of package.json's peerDependencies
//   npm,  newest peers   the newest releases, pinned below (reproducible runs)
//   pnpm                 pnpm 10 (pnpm 11 refuses Node 20), newest peers
//
// In each, a smoke program runs as an ES module and as CommonJS: it starts
// the emulator from `dataproc-connect/testing`, creates a job over gRPC, reads
// it back over REST, checks that a failed call (gRPC and REST) is an instance
// of the program's own ConnectError, and that the program and the package
// resolve the same @bufbuild/protobuf and @connectrpc/connect files. Then
// `npm ls` / `pnpm ls` must show one copy of each.
//
// One line per combination; exits non-zero on any failure. Run after
// `npm run build` (CI: a step of its own in .ci/run). Installs come from the
// npm cache where they can (--prefer-offline); pnpm is installed into the CI
// tool folder ($DATAPROC_CONNECT_CI_TOOLS, as .ci/run's Node, Deno and Bun)
// and keeps its store there.
//
// Usage: node scripts/install-matrix.mjs [--keep]   (--keep leaves the projects in place and prints where)
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const keep = process.argv.includes("--keep");

/** The newest peer releases the matrix tests (`npm view <name> version`); raise them when new ones ship. */
const newestPeers = {
  "@bufbuild/protobuf": "2.17.0",
  "@connectrpc/connect": "2.3.0",
  "@connectrpc/connect-node": "2.3.0",
};
/** pnpm, exact: 10.x is the newest major that runs on Node 20 (engines of pnpm 11 say >=22). */
const pnpmVersion = "10.34.9";
const tools = process.env.DATAPROC_CONNECT_CI_TOOLS || join(process.env.TMPDIR || tmpdir(), "dataproc-connect-ci-tools");
/** Packages whose copies must be one: a second would break `instanceof ConnectError` and descriptor identity. */
const single = ["@bufbuild/protobuf", "@connectrpc/connect"];

/** "^2.13.0" or ">=2.13.0" → "2.13.0"; anything else is a range this script cannot take a lower bound of. */
function lowerBound(name, range) {
  const match = /^(?:\^|>=\s*)?(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) throw new Error(`package.json peerDependencies["${name}"] is ${JSON.stringify(range)}: expected ^x.y.z or >=x.y.z to take its lower bound`);
  return match[1];
}
/** Required peers only: optional ones (`@opentelemetry/api`) are the program's choice and not installed here. */
const requiredPeers = Object.entries(pkg.peerDependencies).filter(([name]) => !pkg.peerDependenciesMeta?.[name]?.optional);
const lowestPeers = Object.fromEntries(requiredPeers.map(([name, range]) => [name, lowerBound(name, range)]));
for (const name of Object.keys(newestPeers)) {
  if (!(name in lowestPeers)) throw new Error(`install-matrix: ${name} is pinned here but is not a peer dependency in package.json`);
}
for (const name of Object.keys(lowestPeers)) {
  if (!(name in newestPeers)) throw new Error(`install-matrix: peer dependency ${name} has no newest version pinned in scripts/install-matrix.mjs`);
}

/** Runs `file args` in `cwd`; resolves with stdout, rejects with the command, its exit and stderr. */
function run(file, args, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[file, ...args].join(" ")} (in ${cwd}): ${error.code ?? error.signal}\n${(stderr || stdout).trim().split("\n").slice(-15).join("\n")}`));
      else resolve(stdout);
    });
  });
}

/** The pnpm CLI script (run with this Node), installed into the tool folder once per version. */
async function pnpmBin() {
  const prefix = join(tools, "pnpm");
  const bin = join(prefix, "node_modules/pnpm/bin/pnpm.cjs");
  const installed = existsSync(bin) ? JSON.parse(readFileSync(join(prefix, "node_modules/pnpm/package.json"), "utf8")).version : undefined;
  if (installed !== pnpmVersion) {
    rmSync(prefix, { recursive: true, force: true });
    mkdirSync(prefix, { recursive: true });
    await run("npm", ["install", "--prefix", prefix, "--prefer-offline", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `pnpm@${pnpmVersion}`], root);
  }
  return bin;
}

/** The smoke program, as an ES module (`import`) or CommonJS (`require`). Prints one JSON line. */
function smoke(kind) {
  const load = (specifier) => (kind === "esm" ? `await import(${JSON.stringify(specifier)})` : `require(${JSON.stringify(specifier)})`);
  const body = `
    const { startEmulator } = ${load("dataproc-connect/testing")};
    const { createYandexCloud, iamToken, dataprocJobs } = ${load("dataproc-connect")};
    const { JobService } = ${load("dataproc-connect/dataproc/v1")};
    const { ConnectError } = ${load("@connectrpc/connect")};
    const { createRequire } = ${load("node:module")};
    const { realpathSync } = ${load("node:fs")};
    const { join } = ${load("node:path")};

    // The files the program and the package resolve: one copy means the same file.
    const fromProgram = createRequire(join(process.cwd(), "package.json"));
    const fromPackage = createRequire(realpathSync(fromProgram.resolve("dataproc-connect")));
    const sameFile = (name) => realpathSync(fromProgram.resolve(name)) === realpathSync(fromPackage.resolve(name));

    const emulator = await startEmulator();
    const cluster = emulator.clusters[0];
    const credentials = iamToken(emulator.iamToken);
    const grpc = createYandexCloud({ endpoint: emulator.url, credentials, retry: false });
    const rest = createYandexCloud({ endpoint: emulator.restUrl, transport: "rest", credentials, retry: false });
    const missing = { clusterId: cluster, jobId: "c9qnosuchjob00000000" };
    const failure = (error) => ({ connectError: ConnectError.prototype.isPrototypeOf(error), code: error?.code, name: error?.name });
    try {
      const operation = await grpc.client(JobService).create({
        clusterId: cluster, name: "install-matrix", jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://bucket/app.jar" }),
      });
      const jobId = operation.decodedMetadata?.jobId;
      const job = await rest.client(JobService).get({ clusterId: cluster, jobId });
      console.log(JSON.stringify({
        grpcCreated: typeof jobId === "string" && jobId.length > 0,
        restRead: { sameId: job.id === jobId, name: job.name },
        grpcFailure: await grpc.client(JobService).get(missing).then(() => "no error", failure),
        restFailure: await rest.client(JobService).get(missing).then(() => "no error", failure),
        sameFiles: Object.fromEntries(${JSON.stringify(single)}.map((name) => [name, sameFile(name)])),
      }));
    } finally {
      grpc.close();
      rest.close();
      await emulator.close();
    }`;
  return kind === "esm" ? body : `(async () => {${body}\n})().catch((error) => { console.error(error); process.exitCode = 1; });\n`;
}

const expectedSmoke = {
  grpcCreated: true,
  restRead: { sameId: true, name: "install-matrix" },
  grpcFailure: { connectError: true, code: 5, name: "YandexCloudError" },
  restFailure: { connectError: true, code: 5, name: "YandexCloudError" },
  sameFiles: Object.fromEntries(single.map((name) => [name, true])),
};

/** Paths of every installed copy of `name` in an `npm ls --json` / `pnpm ls --json` tree. */
function copies(tree, name, found = new Set()) {
  for (const [dep, node] of Object.entries(tree.dependencies ?? {})) {
    if (dep === name) found.add(node.path ?? node.resolved ?? node.version);
    copies(node, name, found);
  }
  return found;
}

/** Installs the tarball and `peers` with `manager` into a fresh project, then runs the checks. Resolves with a summary, throws with the reason. */
async function combination(manager, peers, tarball) {
  const dir = mkdtempSync(join(tmpdir(), `dataproc-connect-matrix-${manager.name}-`));
  try {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "matrix-consumer", version: "1.0.0", private: true }));
    const specs = [tarball, ...Object.entries(peers).map(([name, version]) => `${name}@${version}`)];
    await manager.install(dir, specs);
    const installed = Object.fromEntries(Object.keys(peers).map((name) => [name, JSON.parse(readFileSync(join(dir, "node_modules", name, "package.json"), "utf8")).version]));
    const wrong = Object.entries(peers).filter(([name, version]) => installed[name] !== version);
    if (wrong.length) throw new Error(`installed ${wrong.map(([name]) => `${name} ${installed[name]}`).join(", ")}, asked for ${wrong.map(([name, v]) => `${name} ${v}`).join(", ")}`);

    writeFileSync(join(dir, "smoke.mjs"), smoke("esm"));
    writeFileSync(join(dir, "smoke.cjs"), smoke("cjs"));
    const [esm, cjs] = await Promise.all(["smoke.mjs", "smoke.cjs"].map((file) => run(process.execPath, [file], dir)));
    for (const [kind, stdout] of [["ESM", esm], ["CJS", cjs]]) {
      const got = JSON.parse(stdout.trim().split("\n").pop());
      if (JSON.stringify(got) !== JSON.stringify(expectedSmoke)) throw new Error(`${kind} smoke program: got ${JSON.stringify(got)}, expected ${JSON.stringify(expectedSmoke)}`);
    }

    const tree = JSON.parse(await manager.ls(dir));
    const root = Array.isArray(tree) ? tree[0] : tree;
    for (const name of single) {
      const found = copies(root, name);
      if (found.size !== 1) throw new Error(`${manager.name} ls: ${found.size} copies of ${name}: ${[...found].join(", ")}`);
    }
    return `ESM+CJS: gRPC create, REST get, failures are the program's ConnectError; one ${single.join(" and one ")}${keep ? ` (kept in ${dir})` : ""}`;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

const npm = {
  name: "npm",
  install: (dir, specs) => run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...specs], dir),
  ls: (dir) => run("npm", ["ls", "--all", "--json", "--long", ...single], dir),
};
function pnpm(bin) {
  const store = join(tools, "pnpm-store");
  const pnpmRun = (args, dir) => run(process.execPath, [bin, ...args], dir, { ...process.env, npm_config_store_dir: store });
  return {
    name: "pnpm",
    install: (dir, specs) => pnpmRun(["add", "--prefer-offline", "--ignore-scripts", "--reporter=silent", ...specs], dir),
    ls: (dir) => pnpmRun(["ls", "--depth", "Infinity", "--json", ...single], dir),
  };
}

const describePeers = (peers) => Object.entries(peers).map(([name, version]) => `${name} ${version}`).join(", ");

if (!existsSync(join(root, "dist/cjs/package.json"))) {
  console.error("install-matrix: no dist/ — run `npm run build` first");
  process.exit(1);
}
const packDir = mkdtempSync(join(tmpdir(), "dataproc-connect-pack-"));
const started = Date.now();
let failed = 0;
let count = 0;
try {
  const packed = (await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", packDir], root)).trim().split("\n").pop();
  const tarball = join(packDir, packed);
  const combos = [
    { label: `npm ${(await run("npm", ["--version"], root)).trim()}, lowest peers (${describePeers(lowestPeers)})`, manager: () => npm, peers: lowestPeers },
    { label: `npm, newest peers (${describePeers(newestPeers)})`, manager: () => npm, peers: newestPeers },
    { label: `pnpm ${pnpmVersion}, newest peers`, manager: async () => pnpm(await pnpmBin()), peers: newestPeers },
  ];
  count = combos.length;
  // Side by side: the time goes to installs and child processes.
  const results = await Promise.allSettled(combos.map(async (combo) => {
    const t = Date.now();
    const summary = await combination(await combo.manager(), combo.peers, tarball);
    return `${summary} (${((Date.now() - t) / 1000).toFixed(1)} s)`;
  }));
  results.forEach((result, i) => {
    if (result.status === "fulfilled") {
      console.log(`ok    ${combos[i].label}: ${result.value}`);
    } else {
      failed++;
      console.log(`FAIL  ${combos[i].label}: ${String(result.reason?.message ?? result.reason).replace(/\n/g, "\n      ")}`);
    }
  });
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
console.log(`install matrix: ${count - failed} of ${count} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);

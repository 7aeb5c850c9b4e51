// 2. Cold import and start-up: fresh `node` processes, run from consumer
// projects installed from the registry (lib/consumers.mjs), so that package
// resolution is a user's. Every contender is a small program file; each round
// runs all of them once, in an order rotated every round.
//
// The usual program's entry, for each cloud, ESM (`await import`) and CJS
// (`require`), timed with performance.now() around the imports:
//
//   yandex  ours:   createYandexCloud + iamToken from "dataproc-connect",
//                   JobService from "dataproc-connect/dataproc/v1"
//           theirs: Session from "@yandex-cloud/nodejs-sdk",
//                   jobService from "@yandex-cloud/nodejs-sdk/dataproc-v1"
//   aws     ours:   createAwsCloud + awsCredentials from "dataproc-connect/aws",
//                   EmrServerless from "dataproc-connect/aws/emr-serverless"
//           theirs: EMRServerlessClient + StartJobRunCommand from "@aws-sdk/client-emr-serverless"
//   huawei  ours:   createHuaweiCloud + huaweiCredentials from "dataproc-connect/huawei",
//                   JobExecutionService from "dataproc-connect/huawei/mrs/v2"
//           theirs: @huaweicloud/huaweicloud-sdk-core: BasicCredentials, its
//                   ClientBuilder and its AK/SK signer (no MRS client is
//                   installed; the core is what every Huawei service client loads)
//
// Whole process (spawn → exit) of the Yandex ESM programs against bare
// `node -e ""`, without and with NODE_EXTRA_CA_CERTS (Node 20 parses the file
// at every start). And what moves to the first call: import + the first
// JobService.Get against an emulator (in this process), ours vs the SDK.
//
//   node bench/import.mjs [workDir] [rounds]     (BENCH_CA_FILE: the CA file, default the system bundle)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareConsumers, peers } from "./lib/consumers.mjs";
import { progress, report } from "./lib/report.mjs";
import { median } from "./lib/stats.mjs";

// ---- the programs ---------------------------------------------------------------

/** What each entry imports, as [names, specifier] pairs, and a check that it got them. */
const entries = {
  yandex: {
    ours: { dir: "ours", imports: [["createYandexCloud, iamToken", "dataproc-connect"], ["JobService", "dataproc-connect/dataproc/v1"]], check: `typeof createYandexCloud === "function" && typeof iamToken === "function" && JobService.typeName === "yandex.cloud.dataproc.v1.JobService"` },
    theirs: { dir: "sdk", imports: [["Session", "@yandex-cloud/nodejs-sdk"], ["jobService", "@yandex-cloud/nodejs-sdk/dataproc-v1"]], check: `typeof Session === "function" && typeof jobService.JobServiceClient === "function"` },
  },
  aws: {
    ours: { dir: "ours", imports: [["createAwsCloud, awsCredentials", "dataproc-connect/aws"], ["EmrServerless", "dataproc-connect/aws/emr-serverless"]], check: `typeof createAwsCloud === "function" && typeof awsCredentials === "function" && typeof EmrServerless.typeName === "string"` },
    theirs: { dir: "aws", imports: [["EMRServerlessClient, StartJobRunCommand", "@aws-sdk/client-emr-serverless"]], check: `typeof EMRServerlessClient === "function" && typeof StartJobRunCommand === "function"` },
  },
  huawei: {
    ours: { dir: "ours", imports: [["createHuaweiCloud, huaweiCredentials", "dataproc-connect/huawei"], ["JobExecutionService", "dataproc-connect/huawei/mrs/v2"]], check: `typeof createHuaweiCloud === "function" && typeof huaweiCredentials === "function" && typeof JobExecutionService.typeName === "string"` },
    theirs: {
      dir: "huawei",
      imports: [
        ["BasicCredentials", "@huaweicloud/huaweicloud-sdk-core"],
        ["ClientBuilder", "@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js"],
        ["AKSKSigner", "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js"],
      ],
      check: `typeof BasicCredentials === "function" && typeof ClientBuilder === "function" && typeof AKSKSigner === "function"`,
    },
  },
};

const importLines = (imports, kind) =>
  imports
    .map(([names, spec]) => (kind === "esm" ? `const { ${names} } = await import(${JSON.stringify(spec)});` : `const { ${names} } = require(${JSON.stringify(spec)});`))
    .join("\n");

/** A program that times its imports and prints { importMs }. */
function importProgram({ imports, check }, kind) {
  return `const t0 = performance.now();
${importLines(imports, kind)}
const t1 = performance.now();
if (!(${check})) throw new Error("bad import");
process.stdout.write(JSON.stringify({ importMs: t1 - t0 }));
`;
}

// The first call: argv = [url, iamToken, clusterId, jobId]. Both print
// { importMs, firstCallMs } and exit once the call is answered.
const firstCallOurs = `const [url, token, clusterId, jobId] = process.argv.slice(2);
const t0 = performance.now();
${importLines(entries.yandex.ours.imports, "esm")}
const t1 = performance.now();
const cloud = createYandexCloud({ endpoint: url, credentials: iamToken(token) });
const job = await cloud.client(JobService).get({ clusterId, jobId });
const t2 = performance.now();
if (job.id !== jobId) throw new Error("bad job");
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1 }));
cloud.close();
process.exit(0);
`;
// Session.client() always builds TLS credentials and the emulator speaks h2c:
// as bench/lib/sdk.mjs does, keep the SDK's Session and client factory and
// only swap the channel for an insecure one plus the token middleware that
// the SDK's metadata generator would be (nice-grpc and grpc-js are the SDK's
// own, already loaded by its import).
const firstCallSdk = `const [url, token, clusterId, jobId] = process.argv.slice(2);
const t0 = performance.now();
${importLines(entries.yandex.theirs.imports, "esm")}
const t1 = performance.now();
const { createRequire } = await import("node:module");
const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@yandex-cloud/nodejs-sdk"));
const { createChannel, Metadata } = sdkRequire("nice-grpc");
const { ChannelCredentials } = sdkRequire("@grpc/grpc-js");
const session = new Session({ iamToken: token });
const factory = session.factory.use(async function* auth(call, options) {
  const metadata = Metadata(options.metadata);
  metadata.set("authorization", "Bearer " + (await session.tokenCreator()));
  return yield* call.next(call.request, { ...options, metadata });
});
const channel = createChannel(url.replace(/^http:\\/\\//, ""), ChannelCredentials.createInsecure());
const job = await factory.create(jobService.JobServiceClient.service, channel).get(jobService.GetJobRequest.fromPartial({ clusterId, jobId }));
const t2 = performance.now();
if (job.id !== jobId) throw new Error("bad job");
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstCallMs: t2 - t1 }));
channel.close();
process.exit(0);
`;

// ---- running them ---------------------------------------------------------------

const baseEnv = () => {
  const env = { ...process.env };
  // Each start is cold: no compile cache carried in from the caller's environment.
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
};

/** One fresh process: resolves with what it printed (JSON) and its wall time, spawn → exit. */
function once({ cwd, args, env }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${args.join(" ")} in ${cwd} failed (${code}): ${err}`));
      resolve({ ...(out ? JSON.parse(out) : {}), wallMs });
    });
  });
}

const r2 = (v) => Number(v.toFixed(2));
/** Median and range (min–max over rounds) of one field of the samples. */
function stat(list, field) {
  const xs = list.map((s) => s[field]).filter((x) => x !== undefined);
  return { median: r2(median(xs)), min: r2(Math.min(...xs)), max: r2(Math.max(...xs)) };
}
/** theirs ÷ ours: of the medians, and the range of the per-round ratios. */
function speedup(ours, theirs, field) {
  const perRound = ours.map((o, i) => theirs[i][field] / o[field]);
  return { median: r2(median(theirs.map((s) => s[field])) / median(ours.map((s) => s[field]))), min: r2(Math.min(...perRound)), max: r2(Math.max(...perRound)) };
}

/**
 * Runs `rounds` rounds of every contender. Result (every time a
 * `{ median, min, max }` in ms over rounds, every speedup theirs ÷ ours as
 * `{ median (of the medians), min, max (per-round ratios) }`):
 *
 *   { node, rounds, peers,
 *     import: { yandex|aws|huawei: { esm|cjs: { ours: { importMs, wallMs }, theirs: { importMs, wallMs }, speedup } } },
 *     vsYandexSdk: { aws|huawei: { esm|cjs: speedup } },        // our other entries vs the official Yandex SDK
 *     startup: { bare, ours, theirs, oursOverBare, theirsOverOurs,  // wall ms, Yandex ESM programs
 *                withCa?: { caFile, bare, ours, theirs, oursOverBare, theirsOverOurs, bareCostMs } },
 *     firstCall: { ours|theirs: { importMs, firstCallMs, totalMs, wallMs }, speedup } }
 */
export async function coldImport(workDir, rounds = 20, { caFile = process.env.BENCH_CA_FILE ?? "/etc/ssl/certs/ca-certificates.crt" } = {}) {
  const consumers = await prepareConsumers(workDir, (m) => progress("import", m));
  const env = baseEnv();
  const withCa = existsSync(caFile) ? { ...env, NODE_EXTRA_CA_CERTS: caFile } : undefined;

  // Every contender: a name, where it runs, how.
  const contenders = [];
  for (const [cloud, sides] of Object.entries(entries)) {
    for (const [side, entry] of Object.entries(sides)) {
      for (const kind of ["esm", "cjs"]) {
        const file = `${cloud}-${side}.${kind === "esm" ? "mjs" : "cjs"}`;
        const cwd = consumers[entry.dir];
        await writeFile(join(cwd, file), importProgram(entry, kind));
        contenders.push({ name: `${cloud}.${kind}.${side}`, cwd, args: [file], env });
        if (cloud === "yandex" && kind === "esm" && withCa) contenders.push({ name: `ca.${side}`, cwd, args: [file], env: withCa });
      }
    }
  }
  contenders.push({ name: "bare", cwd: workDir, args: ["-e", ""], env });
  if (withCa) contenders.push({ name: "ca.bare", cwd: workDir, args: ["-e", ""], env: withCa });

  // The first call goes to an emulator in this process (idle between children).
  const { startEmulator } = await import("dataproc-connect/testing");
  const { createYandexCloud, iamToken, dataprocJobs } = await import("dataproc-connect");
  const { JobService } = await import("dataproc-connect/dataproc/v1");
  const emulator = await startEmulator({ callLogLimit: 100 });
  const seeder = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  const clusterId = emulator.clusters[0];
  const op = await seeder.client(JobService).create({ clusterId, jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://bench/app.jar" }) });
  seeder.close();
  const callArgs = [emulator.url, emulator.iamToken, clusterId, op.decodedMetadata.jobId];
  await writeFile(join(consumers.ours, "first-call-ours.mjs"), firstCallOurs);
  await writeFile(join(consumers.sdk, "first-call-sdk.mjs"), firstCallSdk);
  contenders.push({ name: "first.ours", cwd: consumers.ours, args: ["first-call-ours.mjs", ...callArgs], env });
  contenders.push({ name: "first.theirs", cwd: consumers.sdk, args: ["first-call-sdk.mjs", ...callArgs], env });

  try {
    // One discarded run each warms the OS file cache, as any second start would be.
    for (const c of contenders) await once(c);
    const samples = Object.fromEntries(contenders.map((c) => [c.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + r) % contenders.length];
        samples[c.name].push(await once(c));
      }
      progress("import", `round ${r + 1}/${rounds}: yandex ESM ours ${samples["yandex.esm.ours"].at(-1).importMs.toFixed(0)} ms, theirs ${samples["yandex.esm.theirs"].at(-1).importMs.toFixed(0)} ms`);
    }

    const side = (name) => ({ importMs: stat(samples[name], "importMs"), wallMs: stat(samples[name], "wallMs") });
    const importOf = {};
    for (const cloud of Object.keys(entries)) {
      importOf[cloud] = {};
      for (const kind of ["esm", "cjs"]) {
        const ours = samples[`${cloud}.${kind}.ours`];
        const theirs = samples[`${cloud}.${kind}.theirs`];
        importOf[cloud][kind] = { ours: side(`${cloud}.${kind}.ours`), theirs: side(`${cloud}.${kind}.theirs`), speedup: speedup(ours, theirs, "importMs") };
      }
    }
    // The issue's goal for the new clouds' entries is against the official Yandex SDK too.
    const vsYandexSdk = {};
    for (const cloud of ["aws", "huawei"]) {
      vsYandexSdk[cloud] = Object.fromEntries(["esm", "cjs"].map((kind) => [kind, speedup(samples[`${cloud}.${kind}.ours`], samples[`yandex.${kind}.theirs`], "importMs")]));
    }
    const wall = (name) => stat(samples[name], "wallMs");
    const startup = {
      bare: wall("bare"),
      ours: wall("yandex.esm.ours"),
      theirs: wall("yandex.esm.theirs"),
      oursOverBare: speedup(samples.bare, samples["yandex.esm.ours"], "wallMs"),
      theirsOverOurs: speedup(samples["yandex.esm.ours"], samples["yandex.esm.theirs"], "wallMs"),
    };
    if (withCa) {
      startup.withCa = {
        caFile,
        bare: wall("ca.bare"),
        ours: wall("ca.ours"),
        theirs: wall("ca.theirs"),
        oursOverBare: speedup(samples["ca.bare"], samples["ca.ours"], "wallMs"),
        theirsOverOurs: speedup(samples["ca.ours"], samples["ca.theirs"], "wallMs"),
        // What the CA file adds to a bare start.
        bareCostMs: r2(median(samples["ca.bare"].map((s) => s.wallMs)) - median(samples.bare.map((s) => s.wallMs))),
      };
    }
    const first = (name) => {
      const list = samples[name].map((s) => ({ ...s, totalMs: s.importMs + s.firstCallMs }));
      return { list, summary: { importMs: stat(list, "importMs"), firstCallMs: stat(list, "firstCallMs"), totalMs: stat(list, "totalMs"), wallMs: stat(list, "wallMs") } };
    };
    const fo = first("first.ours");
    const ft = first("first.theirs");
    return {
      node: process.version,
      rounds,
      peers,
      import: importOf,
      vsYandexSdk,
      startup,
      firstCall: { ours: fo.summary, theirs: ft.summary, speedup: speedup(fo.list, ft.list, "totalMs") },
    };
  } finally {
    await emulator.close();
  }
}

// ---- table rows -----------------------------------------------------------------

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const bare = (v) => v.toFixed(v < 10 ? 1 : 0);
const range = (s) => `${ms(s.median)} (${bare(s.min)}–${bare(s.max)})`;
const times = (s) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
const speed = (s) => `speedup ${times(s)}`;
const cloudLabel = {
  yandex: "Yandex: factory + credentials + JobService",
  aws: "AWS: factory + credentials + EmrServerless",
  huawei: "Huawei: factory + credentials + MRS v2 JobExecutionService",
};

/**
 * Table rows (bench/run.mjs): medians with min–max over rounds in
 * parentheses; a speedup is theirs ÷ ours (of the medians), with the range of
 * the per-round ratios.
 */
export function rows(result) {
  const out = [];
  const n = result.rounds;
  const peerName = { yandex: `official SDK ${result.peers.sdk.split("@").at(-1)}`, aws: result.peers.aws, huawei: `${result.peers.huawei} (core: signer + client builder)` };
  for (const cloud of ["yandex", "aws", "huawei"]) {
    for (const kind of ["esm", "cjs"]) {
      const r = result.import[cloud][kind];
      const goal = cloud === "yandex";
      out.push({
        id: "2",
        what: `cold import, ${cloudLabel[cloud]}, ${kind === "esm" ? "ESM import" : "CJS require"}, ${n} fresh processes; peer: ${peerName[cloud]}`,
        ours: range(r.ours.importMs),
        peer: range(r.theirs.importMs),
        ratio: speed(r.speedup),
        target: goal ? "≥ 4×" : "info",
        ...(goal ? { met: r.speedup.median >= 4 } : {}),
      });
    }
  }
  for (const kind of ["esm", "cjs"]) {
    const a = result.vsYandexSdk.aws[kind];
    const h = result.vsYandexSdk.huawei[kind];
    out.push({
      id: "2",
      what: `cold import, AWS / Huawei entry (${kind === "esm" ? "ESM" : "CJS"}); peer: official Yandex SDK`,
      ours: `${ms(result.import.aws[kind].ours.importMs.median)} / ${ms(result.import.huawei[kind].ours.importMs.median)}`,
      peer: ms(result.import.yandex[kind].theirs.importMs.median),
      ratio: `${speed(a)} / ${times(h)}`,
      target: "≥ 4×",
      met: a.median >= 4 && h.median >= 4,
    });
  }
  const s = result.startup;
  const startRows = (x, label) => [
    {
      id: "2",
      what: `start-up, whole process (spawn → exit), Yandex ESM entry${label}; peer: bare node -e ""`,
      ours: range(x.ours),
      peer: range(x.bare),
      ratio: `+${ms(x.ours.median - x.bare.median)} over bare, ${times(x.oursOverBare)}`,
      target: "info",
    },
    {
      id: "2",
      what: `start-up, whole process${label}; peer: official SDK`,
      ours: ms(x.ours.median),
      peer: range(x.theirs),
      ratio: speed(x.theirsOverOurs),
      target: "info",
    },
  ];
  out.push(...startRows(s, ""));
  if (s.withCa) {
    out.push(...startRows(s.withCa, ", NODE_EXTRA_CA_CERTS set"));
    out[out.length - 2].target = `info (the CA file costs a bare start ${ms(s.withCa.bareCostMs)})`;
  }
  const f = result.firstCall;
  out.push({
    id: "2",
    what: "what moves to the first call: import + first JobService.Get (emulator), ESM; peer: official SDK",
    ours: `${ms(f.ours.importMs.median)} + ${ms(f.ours.firstCallMs.median)} = ${ms(f.ours.totalMs.median)}`,
    peer: `${ms(f.theirs.importMs.median)} + ${ms(f.theirs.firstCallMs.median)} = ${ms(f.theirs.totalMs.median)}`,
    ratio: speed(f.speedup),
    target: "info",
  });
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workDir = process.argv[2] ?? (await mkdtemp(join(tmpdir(), "dataproc-connect-bench-")));
  report(await coldImport(workDir, Number(process.argv[3] ?? 20)));
}

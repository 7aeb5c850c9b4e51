// 7. Per call over REST, in the same run against the same emulator (in this
// process; each contender in its own process, lib/get-caller.mjs):
//
//   REST vs gRPC  JobService.Get through createYandexCloud({ transport: "rest" })
//                 (fetch, HTTP/1.1 keep-alive, JSON) vs the default gRPC client
//                 (one HTTP/2 session, binary protobuf), every interceptor on.
//   AWS           EmrServerless.getJobRun (createAwsCloud) vs the official
//                 @aws-sdk/client-emr-serverless (GetJobRunCommand), both
//                 against the emulator's AWS face (restJson1 + SigV4).
//
// Rounds alternate the order of each pair; reported: medians over rounds of
// calls/s, p50/p99 and client CPU µs per call, and the per-round ratio's
// median and range (min–max).
//
//   npm run build && node bench/rest.mjs [--seconds 1] [--rounds 4] [--concurrency 1,32]
//
// Not part of `npm test`: the numbers depend on the machine.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { progress, report } from "./lib/report.mjs";
import { median, round } from "./lib/stats.mjs";

const pairs = {
  yandex: ["yandex-grpc", "yandex-rest"],
  aws: ["aws-sdk", "aws-ours"],
};

function startCaller(info) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./lib/get-caller.mjs", import.meta.url), [JSON.stringify(info)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let waiting;
    child.on("message", (m) => {
      if (m?.ready) {
        resolve({
          mode: info.mode,
          load: (concurrency, ms) =>
            new Promise((res, rej) => {
              waiting = { res, rej };
              child.send({ cmd: "load", concurrency, ms });
            }),
          close: () => new Promise((res) => (child.once("exit", res), child.send({ cmd: "close" }))),
        });
      } else if (waiting) {
        const w = waiting;
        waiting = undefined;
        m.ok ? w.res(m.result) : w.rej(new Error(m.error));
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      reject(new Error(`${info.mode} caller exited (${code})`));
      waiting?.rej(new Error(`${info.mode} caller exited (${code})`));
    });
  });
}

const stat = (xs) => ({ median: round(median(xs), 2), min: round(Math.min(...xs), 2), max: round(Math.max(...xs), 2) });

/**
 * Result: { seconds, rounds, concurrencies, errors,
 *   yandex: { [c]: { "yandex-rest", "yandex-grpc", ratio, cpuRatio } },
 *   aws:    { [c]: { "aws-ours", "aws-sdk", ratio, cpuRatio } } }
 * where each contender is { callsPerSec, p50, p99, cpuUsPerCall } as { median, min, max }
 * over rounds, and ratio / cpuRatio are ours ÷ peer per round (REST ÷ gRPC; ours ÷ AWS SDK).
 */
export async function restBench({ seconds = 1, rounds = 4, concurrencies = [1, 32] } = {}) {
  const { startEmulator } = await import("dataproc-connect/testing");
  const { createYandexCloud, iamToken, dataprocJobs } = await import("dataproc-connect");
  const { JobService } = await import("dataproc-connect/dataproc/v1");
  const { awsCredentials, createAwsCloud } = await import("dataproc-connect/aws");
  const { EmrServerless } = await import("dataproc-connect/aws/emr-serverless");

  const emulator = await startEmulator({ callLogLimit: 100 });
  const clusterId = emulator.clusters[0];
  const yc = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
  const op = await yc.client(JobService).create({ clusterId, jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://bench/app.jar" }) });
  yc.close();
  const aws = createAwsCloud({ region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws) });
  const { jobRunId } = await aws.client(EmrServerless).startJobRun({
    applicationId: emulator.aws.applicationId,
    executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
    jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://bench/app.py" } } },
  });
  aws.close();
    // emulator.aws keeps its secret out of JSON: copied field by field for the callers.
  const { region, accessKeyId, secretAccessKey, applicationId } = emulator.aws;
  const info = { url: emulator.url, restUrl: emulator.restUrl, iamToken: emulator.iamToken, clusterId, jobId: op.decodedMetadata.jobId, aws: { region, accessKeyId, secretAccessKey, applicationId }, jobRunId };

  const callers = {};
  try {
    for (const mode of Object.values(pairs).flat()) callers[mode] = await startCaller({ ...info, mode });
    const out = { seconds, rounds, concurrencies, errors: 0 };
    for (const [pair, modes] of Object.entries(pairs)) {
      out[pair] = {};
      for (const c of concurrencies) {
        for (const m of modes) await callers[m].load(c, 500); // warm-up: JIT, connections
        const samples = Object.fromEntries(modes.map((m) => [m, []]));
        for (let r = 0; r < rounds; r++) {
          for (const m of r % 2 === 0 ? modes : [...modes].reverse()) {
            const res = await callers[m].load(c, seconds * 1000);
            if (res.errors) progress("rest", `${m}: ${res.errors} errors, first: ${res.firstError}`);
            out.errors += res.errors;
            samples[m].push(res);
          }
        }
        const [peer, ours] = modes;
        const summary = (list) => ({
          callsPerSec: stat(list.map((x) => x.callsPerSec)),
          p50: stat(list.map((x) => x.p50)),
          p99: stat(list.map((x) => x.p99)),
          cpuUsPerCall: stat(list.map((x) => x.cpuUsPerCall)),
        });
        out[pair][c] = {
          [ours]: summary(samples[ours]),
          [peer]: summary(samples[peer]),
          // ours ÷ peer, per round (the two ran seconds apart and shared the machine's load).
          ratio: stat(samples[ours].map((x, i) => x.callsPerSec / samples[peer][i].callsPerSec)),
          cpuRatio: stat(samples[ours].map((x, i) => x.cpuUsPerCall / samples[peer][i].cpuUsPerCall)),
        };
        progress("rest", `${pair} c=${c}: ${ours} ${out[pair][c][ours].callsPerSec.median.toFixed(0)} calls/s, ${peer} ${out[pair][c][peer].callsPerSec.median.toFixed(0)} calls/s`);
      }
    }
    return out;
  } finally {
    for (const c of Object.values(callers)) await c.close();
    await emulator.close();
  }
}

const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const range = (s, d = 0) => `${f(s.median, d)} (${f(s.min, d)}–${f(s.max, d)})`;
const ratio = (s) => `${f(s.median, 2)} (${f(s.min, 2)}–${f(s.max, 2)})`;
const ms = (v) => `${f(v, 2)} ms`;

/** The calls/s row and the latency/CPU row of one ours-vs-peer pair at one concurrency. */
function pairRows(what, entry, ours, peer, peerLabel, ratioLabel) {
  const latency = (e) => `${ms(e.p50.median)} / ${ms(e.p99.median)}, ${f(e.cpuUsPerCall.median)} µs`;
  return [
    { id: "7", what: `${what}: calls/s; peer: ${peerLabel}`, ours: range(entry[ours].callsPerSec), peer: range(entry[peer].callsPerSec), ratio: `${ratioLabel} ${ratio(entry.ratio)}`, target: "info" },
    { id: "7", what: `${what}: p50 / p99, client CPU per call`, ours: latency(entry[ours]), peer: latency(entry[peer]), ratio: `CPU ${ratio(entry.cpuRatio)}`, target: "info" },
  ];
}

/** Table rows (bench/run.mjs): calls/s medians with min–max over rounds; ratios are ours ÷ peer per round. */
export function rows(result) {
  return [
    ...result.concurrencies.flatMap((c) =>
      pairRows(`REST JobService.Get, concurrency ${c}`, result.yandex[c], "yandex-rest", "yandex-grpc", "our gRPC client, same run", "REST/gRPC"),
    ),
    ...result.concurrencies.flatMap((c) =>
      pairRows(`AWS GetJobRun, concurrency ${c}`, result.aws[c], "aws-ours", "aws-sdk", "@aws-sdk/client-emr-serverless, own process each", "ours/SDK"),
    ),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "1" },
      rounds: { type: "string", default: "4" },
      concurrency: { type: "string", default: "1,32" },
    },
  });
  report(await restBench({ seconds: Number(values.seconds), rounds: Number(values.rounds), concurrencies: values.concurrency.split(",").map(Number) }));
}

// Signing cost per call (issues 13 and 15): µs per signature for our SigV4
// signer (sigV4Signer, AWS) and our SDK-HMAC-SHA256 signer (huaweiSigner,
// Huawei APIG), on a realistic GetJobRun / ShowSingleJobExe request (GET, no
// body) and a POST with a ~200-byte JSON body, fixed credentials; the
// official AWS SDK's signer (@smithy/signature-v4, what
// @aws-sdk/client-emr-serverless uses) signs the same requests in the same
// run as the peer. Then a REST Get per second against the emulator's AWS
// face (EmrServerless.getJobRun) and Huawei face (MRS v2 showSingleJobExe),
// one caller at a time, so that signing µs can be read as a share of the
// per-call time. Contenders alternate in every round; medians of rounds.
//
//   npm run build && node bench/signing.mjs [--batch 2000] [--rounds 7] [--seconds 1] [--json]
//   (also rows 8 of npm run bench: signing() and rows())
//
// Not part of `npm test`: the numbers depend on the machine.
import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SignatureV4 } from "@smithy/signature-v4";
import { awsCredentials, createAwsCloud, sigV4Signer } from "dataproc-connect/aws";
import { EmrServerless } from "dataproc-connect/aws/emr-serverless";
import { createHuaweiCloud, huaweiCredentials, huaweiSigner } from "dataproc-connect/huawei";
import { JobExecutionService, submitMrsJob } from "dataproc-connect/huawei/mrs/v2";
import { ManualClock, startEmulator } from "dataproc-connect/testing";
import { report } from "./lib/report.mjs";
import { median, round } from "./lib/stats.mjs";

// ---- 1. µs per signature ------------------------------------------------------

const awsKeys = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const huaweiKeys = { accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc" };
const region = "eu-west-1";
const awsHost = `emr-serverless.${region}.amazonaws.com`;
const awsPath = "/applications/00fabcdefg1h2i3j/jobruns/00fabcdefg9z8y7x";
const huaweiHost = "mrs.cn-north-4.myhuaweicloud.com";
const huaweiProjectId = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const huaweiPath = `/v2/${huaweiProjectId}/clusters/9e5b6c3d-1f2a-4b8c-9d0e-7f6a5b4c3d2e/job-executions/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c`;
// ~200 bytes, the size of a small StartJobRun / job submission.
const bodyObject = {
  clientToken: "6f1c2a9e-0b7d-4e3f-8a5c-2d9b1e0f7a6c",
  executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
  jobDriver: { sparkSubmit: { entryPoint: "s3://bench/app.py", entryPointArguments: ["--day", "2026-12-01"] } },
};
const body = new TextEncoder().encode(JSON.stringify(bodyObject));
// The official Huawei core's signer (what every Huawei service client signs
// with): a static sign(request, credential) over a plain request object whose
// body is the object it JSON-encodes itself.
const { AKSKSigner } = createRequire(import.meta.url)("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
const huaweiCredential = { getAk: () => huaweiKeys.accessKey, getSk: () => huaweiKeys.secretKey };
const huaweiSdkRequest = (post) => ({
  endpoint: `https://${huaweiHost}${huaweiPath}`,
  method: post ? "POST" : "GET",
  headers: post ? { "content-type": "application/json", "user-agent": "huaweicloud-usdk-nodejs" } : { "user-agent": "huaweicloud-usdk-nodejs" },
  queryParams: {},
  data: post ? bodyObject : undefined,
});
const fixedNow = () => Date.UTC(2026, 11, 1, 12, 0, 0);
const signal = new AbortController().signal;

export async function signing({ batch = 2000, rounds = 7, seconds = 1 } = {}) {
  const ourAws = sigV4Signer({ credentials: awsCredentials(awsKeys), region, service: "emr-serverless", now: fixedNow });
  const ourHuawei = huaweiSigner({ credentials: huaweiCredentials(huaweiKeys), projectId: huaweiProjectId, clock: { now: fixedNow } });

  // @smithy/hash-node is not installed here; this is the same node:crypto wrapper.
  class Sha256 {
    constructor(secret) {
      this.hash = secret ? createHmac("sha256", secret) : createHash("sha256");
    }
    update(data) {
      this.hash.update(typeof data === "string" ? data : Buffer.from(data.buffer ?? data, data.byteOffset ?? 0, data.byteLength));
    }
    async digest() {
      return new Uint8Array(this.hash.digest());
    }
  }
  const smithy = new SignatureV4({ credentials: awsKeys, region, service: "emr-serverless", sha256: Sha256, applyChecksum: true });
  const smithyDate = new Date(fixedNow());

  // What the REST transport hands the signer: fresh headers every attempt.
  const ourRequest = (host, path, post) => ({
    method: post ? "POST" : "GET",
    url: new URL(`https://${host}${path}`),
    headers: new Headers(post ? { "content-type": "application/json", "user-agent": "dataproc-connect" } : { "user-agent": "dataproc-connect" }),
    body: post ? body : undefined,
  });
  const smithyRequest = (post) => ({
    method: post ? "POST" : "GET",
    protocol: "https:",
    hostname: awsHost,
    path: awsPath,
    query: {},
    headers: post ? { host: awsHost, "content-type": "application/json", "user-agent": "aws-sdk-js" } : { host: awsHost, "user-agent": "aws-sdk-js" },
    body: post ? body : undefined,
  });

  const signers = {
    "ours SigV4": (post) => ourAws(ourRequest(awsHost, awsPath, post), signal),
    "SDK SigV4": (post) => smithy.sign(smithyRequest(post), { signingDate: smithyDate }),
    "ours SDK-HMAC-SHA256": (post) => ourHuawei(ourRequest(huaweiHost, huaweiPath, post), signal),
    "SDK SDK-HMAC-SHA256": (post) => AKSKSigner.sign(huaweiSdkRequest(post), huaweiCredential),
  };

  async function usPerSignature(sign, post) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await sign(post);
    return ((performance.now() - start) * 1000) / batch;
  }

  // Sanity: each signer produces an authorization header.
  {
    const a = ourRequest(awsHost, awsPath, true);
    await ourAws(a, signal);
    const h = ourRequest(huaweiHost, huaweiPath, true);
    await ourHuawei(h, signal);
    const s = await smithy.sign(smithyRequest(true), { signingDate: smithyDate });
    if (!a.headers.get("authorization")?.startsWith("AWS4-HMAC-SHA256 ")) throw new Error("our SigV4 signer set no authorization");
    if (!h.headers.get("authorization")?.startsWith("SDK-HMAC-SHA256 ")) throw new Error("our Huawei signer set no authorization");
    if (!s.headers.authorization?.startsWith("AWS4-HMAC-SHA256 ")) throw new Error("the SDK signer set no authorization");
    if (!AKSKSigner.sign(huaweiSdkRequest(true), huaweiCredential).Authorization?.startsWith("SDK-HMAC-SHA256 ")) throw new Error("the Huawei core signer set no authorization");
  }

  const names = Object.keys(signers);
  const samples = Object.fromEntries(names.flatMap((n) => [[`${n} GET`, []], [`${n} POST`, []]]));
  for (const name of names) for (const post of [false, true]) await usPerSignature(signers[name], post); // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      for (const post of [false, true]) samples[`${name} ${post ? "POST" : "GET"}`].push(await usPerSignature(signers[name], post));
    }
  }
  const us = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, round(median(v), 1)]));

  // ---- 2. REST Get calls/s against the emulator ---------------------------------

  const emulator = await startEmulator({ clock: new ManualClock(), callLogLimit: 1000 });
  const awsCloud = createAwsCloud({
    region: emulator.aws.region,
    endpoint: emulator.restUrl,
    credentials: awsCredentials(emulator.aws),
    clock: emulator.clock,
    retry: false,
  });
  const emr = awsCloud.client(EmrServerless);
  const { jobRunId } = await emr.startJobRun({
    applicationId: emulator.aws.applicationId,
    executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
    jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://bench/app.py" } } },
  });
  const huaweiCloud = createHuaweiCloud({
    region: emulator.huawei.region,
    projectId: emulator.huawei.projectId,
    endpoint: emulator.restUrl,
    credentials: huaweiCredentials({ accessKey: emulator.huawei.accessKey, secretKey: emulator.huawei.secretKey }),
    clock: emulator.clock,
    retry: false,
  });
  const mrs = huaweiCloud.client(JobExecutionService);
  const clusterId = emulator.clusters[0];
  const job = await submitMrsJob(huaweiCloud, { clusterId, jobType: "SparkSubmit", jobName: "bench", arguments: ["--class", "Pi"] });

  const calls = {
    aws: () => emr.getJobRun({ applicationId: emulator.aws.applicationId, jobRunId }),
    huawei: () => mrs.showSingleJobExe({ clusterId, jobExecutionId: job.jobId }),
  };
  async function callsPerSecond(call) {
    let n = 0;
    let errors = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    while (performance.now() < deadline) {
      try {
        await call();
        n++;
      } catch {
        errors++;
      }
    }
    return { perSecond: n / ((performance.now() - start) / 1000), errors };
  }
  const rest = { aws: [], huawei: [] };
  let errors = 0;
  for (const call of Object.values(calls)) for (let i = 0; i < 200; i++) await call(); // warm-up
  for (let r = 0; r < Math.max(2, Math.ceil(rounds / 2)); r++) {
    for (const face of r % 2 === 0 ? ["aws", "huawei"] : ["huawei", "aws"]) {
      const result = await callsPerSecond(calls[face]);
      rest[face].push(result.perSecond);
      errors += result.errors;
    }
  }
  awsCloud.close();
  huaweiCloud.close();
  await emulator.close();

  const perSecond = { aws: Math.round(median(rest.aws)), huawei: Math.round(median(rest.huawei)) };
  const callUs = { aws: 1e6 / median(rest.aws), huawei: 1e6 / median(rest.huawei) };
  const summary = {
    name: "signing cost per call",
    batch,
    rounds,
    usPerSignature: us,
    restGet: {
      concurrency: 1,
      aws: { perSecond: perSecond.aws, usPerCall: round(callUs.aws, 0) },
      huawei: { perSecond: perSecond.huawei, usPerCall: round(callUs.huawei, 0) },
    },
    // Signing a GET as a share of one sequential REST Get on the same face.
    shareOfCall: {
      sigV4: round(us["ours SigV4 GET"] / callUs.aws, 3),
      sdkHmacSha256: round(us["ours SDK-HMAC-SHA256 GET"] / callUs.huawei, 3),
    },
    // Our SigV4 µs / the official SDK signer's µs (below 1: ours is cheaper).
    ratioOursVsSdk: {
      get: round(us["ours SigV4 GET"] / us["SDK SigV4 GET"], 2),
      post: round(us["ours SigV4 POST"] / us["SDK SigV4 POST"], 2),
      huaweiGet: round(us["ours SDK-HMAC-SHA256 GET"] / us["SDK SDK-HMAC-SHA256 GET"], 2),
      huaweiPost: round(us["ours SDK-HMAC-SHA256 POST"] / us["SDK SDK-HMAC-SHA256 POST"], 2),
    },
    errors,
  };
  return summary;
}

const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const us1 = (x) => `${f(x, 1)} µs`;
const pct1 = (v) => `${f(v * 100, 1)}%`;
const ms = (v) => `${f(v, 2)} ms`;

/** Table rows (bench/run.mjs): µs per signature, the SDK's SigV4 signer as peer, and signing as a share of one sequential REST Get. */
export function rows(result) {
  const u = result.usPerSignature;
  return [
    {
      id: "8",
      what: "SigV4 sign, µs per signature: GET / POST (~200 B JSON); peer: @smithy/signature-v4 (the AWS SDK's signer)",
      ours: `${us1(u["ours SigV4 GET"])} / ${us1(u["ours SigV4 POST"])}`,
      peer: `${us1(u["SDK SigV4 GET"])} / ${us1(u["SDK SigV4 POST"])}`,
      ratio: `ours/SDK ${f(result.ratioOursVsSdk.get)} / ${f(result.ratioOursVsSdk.post)}`,
      target: "info",
    },
    {
      id: "8",
      what: "SigV4: share of a REST getJobRun (one caller, emulator in process)",
      ours: pct1(result.shareOfCall.sigV4),
      ratio: `${f(result.restGet.aws.perSecond, 0)} calls/s, ${ms(result.restGet.aws.usPerCall / 1000)}/call`,
      target: "info",
    },
    {
      id: "8",
      what: "SDK-HMAC-SHA256 sign, µs per signature: GET / POST (~200 B JSON); peer: @huaweicloud/huaweicloud-sdk-core's AKSKSigner",
      ours: `${us1(u["ours SDK-HMAC-SHA256 GET"])} / ${us1(u["ours SDK-HMAC-SHA256 POST"])}`,
      ...(u["SDK SDK-HMAC-SHA256 GET"] === undefined
        ? {}
        : {
            peer: `${us1(u["SDK SDK-HMAC-SHA256 GET"])} / ${us1(u["SDK SDK-HMAC-SHA256 POST"])}`,
            ratio: `ours/SDK ${f(result.ratioOursVsSdk.huaweiGet)} / ${f(result.ratioOursVsSdk.huaweiPost)}`,
          }),
      target: "info",
    },
    {
      id: "8",
      what: "SDK-HMAC-SHA256: share of a REST showSingleJobExe (one caller, emulator in process)",
      ours: pct1(result.shareOfCall.sdkHmacSha256),
      ratio: `${f(result.restGet.huawei.perSecond, 0)} calls/s, ${ms(result.restGet.huawei.usPerCall / 1000)}/call`,
      target: "info",
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      batch: { type: "string", default: "2000" },
      rounds: { type: "string", default: "7" },
      seconds: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
    },
  });
  const summary = await signing({ batch: Number(values.batch), rounds: Number(values.rounds), seconds: Number(values.seconds) });
  // Forked by bench/run.mjs (or --json): the result object; alone, a readable summary.
  if (process.send || values.json) report(summary);
  else {
    const pct = (v) => `${(v * 100).toFixed(1)}%`;
    console.log(
      [
        `${summary.name} (µs per signature, median of ${summary.rounds} batches of ${summary.batch}):`,
        ...Object.entries(summary.usPerSignature).map(([k, v]) => `  ${k}: ${v} µs`),
        `  ours/SDK SigV4: GET ${summary.ratioOursVsSdk.get}, POST ${summary.ratioOursVsSdk.post}; SDK-HMAC-SHA256: GET ${summary.ratioOursVsSdk.huaweiGet}, POST ${summary.ratioOursVsSdk.huaweiPost}`,
        `REST Get, one caller: AWS ${summary.restGet.aws.perSecond} calls/s (${summary.restGet.aws.usPerCall} µs/call), Huawei ${summary.restGet.huawei.perSecond} calls/s (${summary.restGet.huawei.usPerCall} µs/call); ${summary.errors} errors`,
        `signing share of a call: SigV4 ${pct(summary.shareOfCall.sigV4)}, SDK-HMAC-SHA256 ${pct(summary.shareOfCall.sdkHmacSha256)}`,
      ].join("\n"),
    );
  }
}

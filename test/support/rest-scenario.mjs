// The REST client scenario as a standalone script for other runtimes (Deno,
// Bun, other Node versions): create → wait → logs → cancel → list against an
// emulator's REST face, printing one JSON line per step and exiting non-zero
// on any failure. Run by test/rest/runtimes.test.ts:
//
//   <runtime> test/support/rest-scenario.mjs <src|dist entry dir> <restUrl> <iamToken> <clusterId>
const args = globalThis.Deno?.args ?? process.argv.slice(2);
const [entryDir, restUrl, token, cluster] = args;
const ext = entryDir.includes("dist") ? "js" : "ts";
const lib = await import(`${entryDir}/index.${ext}`);
const { JobService, Job_Status } = await import(`${entryDir}/yandex/dataproc/v1/index.${ext}`);
const step = (name, value) => console.log(JSON.stringify({ step: name, ...value }));

const cloud = lib.createYandexCloud({ transport: "rest", endpoint: restUrl, credentials: lib.iamToken(token), timeoutMs: 20_000 });
try {
  const spec = (ms) => lib.dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": String(ms), "emulator.log_bytes": "100" } });
  const job = await lib.submitJob(cloud, JobService, { clusterId: cluster, name: "runtime-job", jobSpec: spec(10) });
  step("create", { jobId: job.jobId });
  const done = await lib.waitForJob(cloud, JobService, { clusterId: cluster, jobId: job.jobId });
  if (done.status !== Job_Status.DONE) throw new Error(`job ended ${done.status}`);
  step("wait", { status: "DONE" });
  let text = "";
  for await (const chunk of lib.jobLogs(cloud, JobService, { clusterId: cluster, jobId: job.jobId })) text += chunk;
  if (new TextEncoder().encode(text).length !== 100) throw new Error(`log has ${text.length} chars`);
  step("logs", { bytes: 100 });
  const long = await lib.submitJob(cloud, JobService, { clusterId: cluster, jobSpec: spec(600_000) });
  const cancel = await cloud.client(JobService).cancel({ clusterId: cluster, jobId: long.jobId });
  const cancelled = await cancel.wait();
  step("cancel", { status: cancelled.status });
  const ids = [];
  for await (const j of lib.listJobs(cloud, JobService, cluster)) ids.push(j.id);
  if (!ids.includes(job.jobId) || !ids.includes(long.jobId)) throw new Error("list is missing a job");
  step("list", { count: ids.length });
  const missing = await cloud.client(JobService).get({ clusterId: cluster, jobId: "c9qnosuchjob00000000" }).catch((e) => e);
  if (!(missing instanceof lib.YandexCloudError) || missing.code !== 5 || !missing.requestId) throw new Error(`bad error: ${missing}`);
  step("error", { code: missing.code });
  step("ok", {});
} finally {
  cloud.close();
}

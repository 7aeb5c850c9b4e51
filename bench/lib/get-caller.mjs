// One contender of a per-call benchmark in its own process (forked by
// bench/rest.mjs; the emulator runs in the parent): it loads only its own
// client, then answers `{ cmd: "load", concurrency, ms }` over IPC with what
// one timed window measured (calls/s, p50/p99, this process's CPU per call).
//
//   argv[2]: JSON { mode, url, restUrl, iamToken, clusterId, jobId, aws: { region, accessKeyId, secretAccessKey, applicationId }, jobRunId }
//   modes:   yandex-grpc  createYandexCloud({ endpoint: url }).client(JobService).get
//            yandex-rest  createYandexCloud({ endpoint: restUrl, transport: "rest" }), the same Get
//            aws-ours     createAwsCloud({ endpoint: restUrl }).client(EmrServerless).getJobRun
//            aws-sdk      @aws-sdk/client-emr-serverless: EMRServerlessClient.send(GetJobRunCommand)
// Every client keeps its defaults (retries, deadlines); the emulator runs on a real clock.
import { callLoop } from "./call-loop.mjs";

const info = JSON.parse(process.argv[2]);

async function makeCall() {
  switch (info.mode) {
    case "yandex-grpc":
    case "yandex-rest": {
      const { createYandexCloud, iamToken } = await import("dataproc-connect");
      const { JobService } = await import("dataproc-connect/dataproc/v1");
      const rest = info.mode === "yandex-rest";
      const cloud = createYandexCloud({ endpoint: rest ? info.restUrl : info.url, credentials: iamToken(info.iamToken), ...(rest ? { transport: "rest" } : {}) });
      const jobs = cloud.client(JobService);
      const request = { clusterId: info.clusterId, jobId: info.jobId };
      return { call: () => jobs.get(request), check: (job) => job.id === info.jobId, close: () => cloud.close() };
    }
    case "aws-ours": {
      const { awsCredentials, createAwsCloud } = await import("dataproc-connect/aws");
      const { EmrServerless } = await import("dataproc-connect/aws/emr-serverless");
      const cloud = createAwsCloud({ region: info.aws.region, endpoint: info.restUrl, credentials: awsCredentials(info.aws) });
      const emr = cloud.client(EmrServerless);
      const request = { applicationId: info.aws.applicationId, jobRunId: info.jobRunId };
      return { call: () => emr.getJobRun(request), check: (r) => r.jobRun?.jobRunId === info.jobRunId, close: () => cloud.close() };
    }
    case "aws-sdk": {
      const { EMRServerlessClient, GetJobRunCommand } = await import("@aws-sdk/client-emr-serverless");
      const { accessKeyId, secretAccessKey, region } = info.aws;
      const sdk = new EMRServerlessClient({ region, endpoint: info.restUrl, credentials: { accessKeyId, secretAccessKey } });
      const input = { applicationId: info.aws.applicationId, jobRunId: info.jobRunId };
      return { call: () => sdk.send(new GetJobRunCommand(input)), check: (r) => r.jobRun?.jobRunId === info.jobRunId, close: () => sdk.destroy() };
    }
    default:
      throw new Error(`unknown mode ${info.mode}`);
  }
}

const contender = await makeCall();
if (!contender.check(await contender.call())) throw new Error(`${info.mode}: the first call returned the wrong object`);

async function load(window) {
  const r = await callLoop(() => contender.call(), window);
  return {
    calls: r.calls,
    errors: r.errors,
    firstError: r.firstError === undefined ? undefined : String(r.firstError),
    callsPerSec: r.callsPerSec,
    p50: r.p50,
    p99: r.p99,
    cpuUsPerCall: r.cpuUs / Math.max(1, r.calls),
  };
}

process.on("message", async (m) => {
  if (m?.cmd === "load") {
    try {
      process.send({ ok: true, result: await load(m) });
    } catch (error) {
      process.send({ ok: false, error: String(error?.stack ?? error) });
    }
  } else if (m?.cmd === "close") {
    contender.close();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });

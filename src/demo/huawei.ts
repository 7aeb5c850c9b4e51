// The Huawei MRS step of the demo: the same emulator, its MRS face on the
// REST URL, every request signed with SDK-HMAC-SHA256 using the emulator's
// test AK/SK. Submits through v2, kills it while it runs, cancels another
// through the v1.1 (seed 003) call, and lists what is left.
import { createHuaweiCloud, huaweiCredentials } from "../huawei/index.js";
import { JobExecutionService as MrsV1, zonelessUtc } from "../huawei/mrs/v1/index.js";
import { listMrsJobs, submitMrsJob } from "../huawei/mrs/v2/index.js";
import type { HuaweiEmulatorIdentity } from "../testing/index.js";

export async function huaweiDemo(restUrl: string, identity: HuaweiEmulatorIdentity, clusterId: string, fast: boolean): Promise<void> {
  console.log(`\nHuawei MRS on ${restUrl} (SDK-HMAC-SHA256, test AK ${identity.accessKey.slice(0, 4)}…, project ${identity.projectId}):`);
  const cloud = createHuaweiCloud({
    region: identity.region,
    projectId: identity.projectId,
    endpoint: restUrl,
    credentials: huaweiCredentials({ accessKey: identity.accessKey, secretKey: identity.secretKey }),
  });
  const poll = { initialDelayMs: fast ? 20 : 200, maxDelayMs: fast ? 20 : 200 };
  const duration = { "emulator.duration_ms": String(fast ? 6_000 : 60_000) };

  const spark = await submitMrsJob(cloud, { clusterId, jobType: "SparkSubmit", jobName: "mrs-pi", arguments: ["--class", "org.example.Pi", "obs://demo/pi.jar"], properties: duration });
  console.log(`  v2 submit           job ${spark.jobId}`);
  for (let job = await spark.get(); job.jobState !== "RUNNING"; job = await spark.get()) {
    await new Promise((resolve) => setTimeout(resolve, poll.initialDelayMs));
  }
  console.log("  v2 job is RUNNING; killing it");
  await spark.cancel();
  const killed = await spark.wait(poll);
  console.log(`  v2 final            ${killed.jobState}/${killed.jobResult}`);

  const hive = await submitMrsJob(cloud, { clusterId, jobType: "HiveSql", jobName: "mrs-report", arguments: ["select 1"], properties: duration });
  const { jobExecution } = await cloud.client(MrsV1).cancelJobExecution({ jobExecutionId: hive.jobId });
  console.log(`  v1.1 cancel         job ${jobExecution?.id} (created ${zonelessUtc(jobExecution?.createdAt)?.toISOString()})`);
  const final = await hive.wait(poll);
  console.log(`  v2 sees it          ${final.jobState}/${final.jobResult}`);

  const names: string[] = [];
  for await (const job of listMrsJobs(cloud, { clusterId })) names.push(`${job.jobName}=${job.jobState}`);
  console.log(`  v2 list             ${names.join(", ")}`);
}

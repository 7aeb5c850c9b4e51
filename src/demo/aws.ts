// The AWS EMR Serverless step of the demo: the emulator's AWS face on the
// REST URL, every request SigV4-signed with its test keys. Starts a run and
// waits for it, starts another and cancels it with a grace period.
import { awsCredentials, createAwsCloud } from "../aws/index.js";
import { JobRunState, startJobRun } from "../aws/emr-serverless/index.js";
import type { EmulatorAwsInfo } from "../testing/aws/state.js";

export async function awsDemo(restUrl: string, aws: EmulatorAwsInfo, fast: boolean): Promise<void> {
  console.log(`\nAWS EMR Serverless on ${restUrl} (SigV4, test key ${aws.accessKeyId.slice(0, 4)}…, application ${aws.applicationId}):`);
  const cloud = createAwsCloud({ region: aws.region, endpoint: restUrl, credentials: awsCredentials(aws) });
  const poll = { initialDelayMs: fast ? 20 : 200, maxDelayMs: fast ? 50 : 500 };
  const request = (name: string, durationMs: number) => ({
    applicationId: aws.applicationId,
    executionRoleArn: "arn:aws:iam::123456789012:role/emr-demo",
    name,
    jobDriver: { driver: { case: "sparkSubmit" as const, value: { entryPoint: "s3://demo-bucket/jobs/pi.py", entryPointArguments: ["1000"] } } },
    tags: { "emulator.duration_ms": String(durationMs) },
  });
  try {
    const pi = await startJobRun(cloud, request("spark-pi", fast ? 200 : 2_000));
    console.log(`  start               job run ${pi.jobRunId}`);
    const done = await pi.wait(poll);
    console.log(`  aws final           ${pi.jobRunId} ${JobRunState[done.state]}`);
    const long = await startJobRun(cloud, request("spark-stream", 600_000));
    for (let r = await long.get(); r.state !== JobRunState.RUNNING; r = await long.get()) {
      await new Promise((resolve) => setTimeout(resolve, poll.initialDelayMs));
    }
    await long.cancel({ shutdownGracePeriodInSeconds: 0 });
    const cancelled = await long.wait(poll);
    console.log(`  aws cancel          ${long.jobRunId} ${JobRunState[cancelled.state]} (grace period 0 s)`);
  } finally {
    cloud.close();
  }
}

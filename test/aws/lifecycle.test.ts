/**
 * EMR Serverless end to end over the emulator's REST server (HTTP/1.1 on
 * 127.0.0.1): the official AWS SDK drives a full lifecycle (proving the
 * emulator speaks real restJson1 + SigV4), our client does the same, and a
 * StartJobRun under injected 503s and connection resets starts one run.
 */
import {
  CancelJobRunCommand,
  EMRServerlessClient,
  GetDashboardForJobRunCommand,
  GetJobRunCommand,
  ListJobRunsCommand,
  StartJobRunCommand,
} from "@aws-sdk/client-emr-serverless";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError, awsCredentials, cachedProvider, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerless, JobRunState } from "../../src/aws/emr-serverless/index.js";
import { ManualClock } from "../../src/testing/clock.js";
import { startEmulator } from "../../src/testing/server.js";
import type { Emulator } from "../../src/testing/server.js";

const ROLE = "arn:aws:iam::123456789012:role/emr-job";
const timing = { submittedMs: 100, pendingMs: 100, scheduledMs: 100, runningMs: 1000, cancellingMs: 100 };

const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function emulator(): Promise<Emulator<ManualClock>> {
  const e = await startEmulator({ clock: new ManualClock(), aws: { runTiming: timing } });
  running.push(e);
  return e;
}

function ourClient(e: Emulator<ManualClock>, retry = {}) {
  return createAwsCloud({
    region: e.aws.region,
    endpoint: e.restUrl,
    credentials: awsCredentials(e.aws),
    clock: e.clock,
    sleep: e.clock.sleep,
    retry,
  }).client(EmrServerless);
}

describe("EMR Serverless over the emulator's REST server", () => {
  it("the AWS SDK drives a full lifecycle: start, watch, list, dashboard, cancel", async () => {
    const e = await emulator();
    const sdk = new EMRServerlessClient({ region: e.aws.region, endpoint: e.restUrl, credentials: e.aws, maxAttempts: 1 });
    const app = e.aws.applicationId;
    const started = await sdk.send(
      new StartJobRunCommand({ applicationId: app, executionRoleArn: ROLE, name: "sdk", jobDriver: { sparkSubmit: { entryPoint: "s3://b/a.py" } }, tags: { k: "v" } }),
    );
    expect(started.applicationId).toBe(app);
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { jobRun } = await sdk.send(new GetJobRunCommand({ applicationId: app, jobRunId: started.jobRunId }));
      states.push(jobRun!.state!);
      if (i === 0) {
        expect(jobRun!.createdAt).toBeInstanceOf(Date);
        expect(jobRun!.createdAt!.getTime()).toBe(e.clock.now());
        expect(jobRun!.jobDriver!.sparkSubmit!.entryPoint).toBe("s3://b/a.py");
        expect(jobRun!.executionTimeoutMinutes).toBe(720);
        expect(jobRun!.tags).toEqual({ k: "v" });
      }
      e.clock.advance(100);
    }
    expect(states).toEqual(["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "RUNNING"]);
    const listed = await sdk.send(new ListJobRunsCommand({ applicationId: app, states: ["RUNNING"], createdAtAfter: new Date(e.clock.now() - 60_000) }));
    expect(listed.jobRuns!.map((r) => r.id)).toEqual([started.jobRunId]);
    const dash = await sdk.send(new GetDashboardForJobRunCommand({ applicationId: app, jobRunId: started.jobRunId }));
    expect(dash.url).toMatch(/^https:\/\//);
    await sdk.send(new CancelJobRunCommand({ applicationId: app, jobRunId: started.jobRunId, shutdownGracePeriodInSeconds: 15 }));
    expect((await sdk.send(new GetJobRunCommand({ applicationId: app, jobRunId: started.jobRunId }))).jobRun!.state).toBe("CANCELLING");
    e.clock.advance(15_000);
    const { jobRun } = await sdk.send(new GetJobRunCommand({ applicationId: app, jobRunId: started.jobRunId }));
    expect(jobRun!.state).toBe("CANCELLED");
    expect(jobRun!.endedAt).toBeInstanceOf(Date);
    const missing = await sdk.send(new GetJobRunCommand({ applicationId: app, jobRunId: "nope" })).catch((err: unknown) => err as { name: string; $metadata: { httpStatusCode: number } });
    expect(missing).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
  });

  it("the AWS SDK with wrong keys gets InvalidSignatureException 403", async () => {
    const e = await emulator();
    const sdk = new EMRServerlessClient({ region: e.aws.region, endpoint: e.restUrl, credentials: { accessKeyId: e.aws.accessKeyId, secretAccessKey: "wrong" }, maxAttempts: 1 });
    const error = (await sdk.send(new GetJobRunCommand({ applicationId: e.aws.applicationId, jobRunId: "x" })).catch((err: unknown) => err)) as { name: string; $metadata: { httpStatusCode: number } };
    expect(error.name).toBe("InvalidSignatureException");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("our client runs the same lifecycle and reads AWS errors", async () => {
    const e = await emulator();
    const emr = ourClient(e);
    const app = e.aws.applicationId;
    const { jobRunId } = await emr.startJobRun({
      applicationId: app,
      executionRoleArn: ROLE,
      jobDriver: { driver: { case: "hive", value: { query: "SELECT 1" } } },
      configurationOverrides: { monitoringConfiguration: { cloudWatchLoggingConfiguration: { enabled: true, logTypes: { HIVE_DRIVER: { values: ["STDOUT"] } } } } },
    });
    e.clock.advance(1300);
    const { jobRun } = await emr.getJobRun({ applicationId: app, jobRunId });
    expect(jobRun!.state).toBe(JobRunState.SUCCESS);
    expect(jobRun!.jobDriver!.driver.case).toBe("hive");
    expect(jobRun!.configurationOverrides!.monitoringConfiguration!.cloudWatchLoggingConfiguration!.logTypes.HIVE_DRIVER!.values).toEqual(["STDOUT"]);
    const error = await emr.cancelJobRun({ applicationId: app, jobRunId }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).awsErrorType).toBe("ValidationException");
    expect((error as AwsError).requestId).toBeTruthy();
  });

  it("gets ExpiredTokenException once the emulator expires its session token", async () => {
    const e = await emulator();
    const temp = e.issueAwsSessionCredentials();
    const emr = createAwsCloud({ region: e.aws.region, endpoint: e.restUrl, credentials: awsCredentials(temp), clock: e.clock, retry: false }).client(EmrServerless);
    await emr.listJobRuns({ applicationId: e.aws.applicationId });
    e.expireAwsSessionTokens();
    const error = (await emr.listJobRuns({ applicationId: e.aws.applicationId }).catch((err: unknown) => err)) as AwsError;
    expect(error.awsErrorType).toBe("ExpiredTokenException");
  });

  it("drops credentials the service calls expired; the next call resolves fresh ones", async () => {
    const e = await emulator();
    let issued = 0;
    const rotating = cachedProvider("rotating", async () => {
      issued++;
      const t = e.issueAwsSessionCredentials();
      return { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey, sessionToken: t.sessionToken };
    });
    const emr = createAwsCloud({ region: e.aws.region, endpoint: e.restUrl, credentials: rotating, clock: e.clock, retry: false }).client(EmrServerless);
    const applicationId = e.aws.applicationId;
    await emr.listJobRuns({ applicationId });
    await emr.listJobRuns({ applicationId });
    expect(issued).toBe(1);
    e.expireAwsSessionTokens();
    const error = (await emr.listJobRuns({ applicationId }).catch((err: unknown) => err)) as AwsError;
    expect(error.awsErrorType).toBe("ExpiredTokenException");
    await emr.listJobRuns({ applicationId });
    expect(issued).toBe(2);
  });

  it("a StartJobRun under 503s, a connection reset and a reset after handling starts exactly one run", async () => {
    const e = await emulator();
    const emr = ourClient(e, { maxAttempts: 5 });
    e.faults.script(["UNAVAILABLE", "reset-connection", "reset-after-handling", "UNAVAILABLE"], { methods: ["EmrServerlessService/StartJobRun"] });
    const { jobRunId } = await emr.startJobRun({
      applicationId: e.aws.applicationId,
      executionRoleArn: ROLE,
      jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
    });
    const attempts = e.callsTo("EmrServerlessService/StartJobRun");
    expect(attempts.map((c) => c.outcome)).toEqual(["UNAVAILABLE", "RESET", "RESET", "UNAVAILABLE", "ok"]);
    const { jobRuns } = await emr.listJobRuns({ applicationId: e.aws.applicationId });
    expect(jobRuns.map((r) => r.id)).toEqual([jobRunId]);
  });

  it("a ResourceNotFoundException is the final word: sent once, never retried", async () => {
    const e = await emulator();
    const emr = ourClient(e, { maxAttempts: 5 });
    const error = await emr.getJobRun({ applicationId: e.aws.applicationId, jobRunId: "missing" }).catch((err: unknown) => err);
    expect((error as AwsError).awsErrorType).toBe("ResourceNotFoundException");
    expect(e.callsTo("EmrServerlessService/GetJobRun")).toHaveLength(1);
  });
});

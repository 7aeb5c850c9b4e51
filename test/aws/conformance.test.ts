/**
 * Wire conformance against the official client, @aws-sdk/client-emr-serverless:
 * for every operation, the request our client sends (method, path, query,
 * body JSON, SigV4 Authorization for fixed keys and time) is the SDK's, and
 * both read the same response and error bodies to the same values.
 */
import {
  CancelJobRunCommand,
  GetDashboardForJobRunCommand,
  GetJobRunCommand,
  ListJobRunsCommand,
  StartJobRunCommand,
} from "@aws-sdk/client-emr-serverless";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AwsError } from "../../src/aws/index.js";
import { JobRunMode, JobRunState } from "../../src/aws/emr-serverless/index.js";
import type { CannedResponse } from "../support/aws-capture.js";
import { APP, clients, expectSameRequest, NOW, ok, RUN } from "../support/aws-wire-compare.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("requests are the AWS SDK's", () => {
  it("StartJobRun: body JSON with union, nested configurations, map of lists, long as a number", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applicationId: APP, jobRunId: RUN, arn: "arn:x" }));
    const sdkOut = await sdk.send(
      new StartJobRunCommand({
        applicationId: APP,
        clientToken: "token-1",
        executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
        name: "nightly ünïcode",
        mode: "STREAMING",
        executionTimeoutMinutes: 30,
        tags: { team: "data", "cost center": "42" },
        retryPolicy: { maxFailedAttemptsPerHour: 5 },
        jobDriver: { sparkSubmit: { entryPoint: "s3://b/main.py", entryPointArguments: ["--day", "2026-12-01"], sparkSubmitParameters: "--conf a=b" } },
        executionIamPolicy: { policyArns: ["arn:aws:iam::aws:policy/ReadOnly"] },
        configurationOverrides: {
          applicationConfiguration: [
            { classification: "spark-defaults", properties: { "spark.executor.cores": "2" }, configurations: [{ classification: "inner" }] },
          ],
          monitoringConfiguration: {
            s3MonitoringConfiguration: { logUri: "s3://b/logs/" },
            managedPersistenceMonitoringConfiguration: { enabled: false },
            cloudWatchLoggingConfiguration: { enabled: true, logGroupName: "/emr", logTypes: { SPARK_DRIVER: ["STDOUT", "STDERR"] } },
          },
        },
      }),
    );
    const ourOut = await ours.startJobRun({
      applicationId: APP,
      clientToken: "token-1",
      executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
      name: "nightly ünïcode",
      mode: JobRunMode.STREAMING,
      executionTimeoutMinutes: 30n,
      tags: { team: "data", "cost center": "42" },
      retryPolicy: { maxFailedAttemptsPerHour: 5 },
      jobDriver: {
        driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/main.py", entryPointArguments: ["--day", "2026-12-01"], sparkSubmitParameters: "--conf a=b" } },
      },
      executionIamPolicy: { policyArns: ["arn:aws:iam::aws:policy/ReadOnly"] },
      configurationOverrides: {
        applicationConfiguration: [
          { classification: "spark-defaults", properties: { "spark.executor.cores": "2" }, configurations: [{ classification: "inner" }] },
        ],
        monitoringConfiguration: {
          s3MonitoringConfiguration: { logUri: "s3://b/logs/" },
          managedPersistenceMonitoringConfiguration: { enabled: false },
          cloudWatchLoggingConfiguration: { enabled: true, logGroupName: "/emr", logTypes: { SPARK_DRIVER: { values: ["STDOUT", "STDERR"] } } },
        },
      },
    });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
    expect(ourOut.jobRunId).toBe(sdkOut.jobRunId);
    expect(ourOut.arn).toBe(sdkOut.arn);
  });

  it("StartJobRun without clientToken: both fill a UUID v4 in the body", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applicationId: APP, jobRunId: RUN, arn: "arn:x" }));
    const input = { applicationId: APP, executionRoleArn: "arn:aws:iam::123456789012:role/emr-job" };
    await sdk.send(new StartJobRunCommand(input));
    await ours.startJobRun(input);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const sdkBody = JSON.parse(sdkSeen[0]!.body) as Record<string, unknown>;
    const ourBody = JSON.parse(oursSeen[0]!.body) as Record<string, unknown>;
    expect(sdkBody.clientToken).toMatch(uuid);
    expect(ourBody.clientToken).toMatch(uuid);
    expect({ ...ourBody, clientToken: "x" }).toEqual({ ...sdkBody, clientToken: "x" });
  });

  it("GetJobRun with attempt", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ jobRun: {} }));
    await sdk.send(new GetJobRunCommand({ applicationId: APP, jobRunId: RUN, attempt: 2 }));
    await ours.getJobRun({ applicationId: APP, jobRunId: RUN, attempt: 2 });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
  });

  it("ListJobRuns: repeated states, RFC 3339 dates (with and without milliseconds), paging", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ jobRuns: [] }));
    await sdk.send(
      new ListJobRunsCommand({
        applicationId: APP,
        nextToken: "page=2",
        maxResults: 25,
        states: ["RUNNING", "PENDING"],
        createdAtAfter: new Date(Date.UTC(2026, 10, 1, 0, 0, 0, 250)),
        createdAtBefore: new Date(Date.UTC(2026, 11, 1)),
        mode: "BATCH",
      }),
    );
    await ours.listJobRuns({
      applicationId: APP,
      nextToken: "page=2",
      maxResults: 25,
      states: [JobRunState.RUNNING, JobRunState.PENDING],
      createdAtAfter: timestampFromMs(Date.UTC(2026, 10, 1, 0, 0, 0, 250)),
      createdAtBefore: timestampFromMs(Date.UTC(2026, 11, 1)),
      mode: JobRunMode.BATCH,
    });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
  });

  it("CancelJobRun with shutdownGracePeriodInSeconds, 0 included (the seed's DELETE)", async () => {
    for (const grace of [0, 120, undefined]) {
      const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ applicationId: APP, jobRunId: RUN }));
      const sdkOut = await sdk.send(new CancelJobRunCommand({ applicationId: APP, jobRunId: RUN, shutdownGracePeriodInSeconds: grace }));
      const ourOut = await ours.cancelJobRun({ applicationId: APP, jobRunId: RUN, shutdownGracePeriodInSeconds: grace });
      await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
      expect(oursSeen[0]!.method).toBe("DELETE");
      expect(ourOut).toMatchObject({ applicationId: sdkOut.applicationId, jobRunId: sdkOut.jobRunId });
    }
  });

  it("GetDashboardForJobRun with attempt and accessSystemProfileLogs", async () => {
    const { sdk, sdkSeen, ours, oursSeen } = clients(ok({ url: "https://dash.example/x?y=1" }));
    const sdkOut = await sdk.send(new GetDashboardForJobRunCommand({ applicationId: APP, jobRunId: RUN, attempt: 1, accessSystemProfileLogs: true }));
    const ourOut = await ours.getDashboardForJobRun({ applicationId: APP, jobRunId: RUN, attempt: 1, accessSystemProfileLogs: true });
    await expectSameRequest(sdkSeen[0]!, oursSeen[0]!);
    expect(ourOut.url).toBe(sdkOut.url);
  });
});

describe("responses read the same", () => {
  const jobRun = {
    applicationId: APP,
    jobRunId: RUN,
    name: "n",
    arn: `arn:aws:emr-serverless:eu-west-1:123456789012:/applications/${APP}/jobruns/${RUN}`,
    createdBy: "arn:aws:iam::123456789012:user/me",
    createdAt: 1764592496.123,
    updatedAt: 1764592500,
    startedAt: 1764592497.5,
    executionRole: "arn:aws:iam::123456789012:role/emr-job",
    state: "RUNNING",
    stateDetails: "",
    releaseLabel: "emr-7.1.0",
    jobDriver: { hive: { query: "SELECT 1", parameters: "--hiveconf a=b" } },
    tags: { a: "b" },
    totalResourceUtilization: { vCPUHour: 1.25, memoryGBHour: 5.5, storageGBHour: 20 },
    billedResourceUtilization: { vCPUHour: 2 },
    networkConfiguration: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
    totalExecutionDurationSeconds: 42,
    executionTimeoutMinutes: 720,
    queuedDurationMilliseconds: 12345,
    mode: "BATCH",
    retryPolicy: { maxAttempts: 3 },
    attempt: 1,
    configurationOverrides: {
      monitoringConfiguration: { cloudWatchLoggingConfiguration: { enabled: true, logTypes: { SPARK_EXECUTOR: ["STDERR"] } } },
    },
    someFutureField: { x: 1 },
  };

  it("GetJobRun: epoch-second dates, enums, long, doubles, union, map of lists; unknown fields ignored", async () => {
    const { sdk, ours } = clients(ok({ jobRun }));
    const { jobRun: s } = await sdk.send(new GetJobRunCommand({ applicationId: APP, jobRunId: RUN }));
    const { jobRun: o } = await ours.getJobRun({ applicationId: APP, jobRunId: RUN });
    expect(o).toBeDefined();
    expect(timestampDate(o!.createdAt!).getTime()).toBe(s!.createdAt!.getTime());
    expect(timestampDate(o!.updatedAt!).getTime()).toBe(s!.updatedAt!.getTime());
    expect(timestampDate(o!.startedAt!).getTime()).toBe(s!.startedAt!.getTime());
    expect(o!.endedAt).toBeUndefined();
    expect(s!.endedAt).toBeUndefined();
    expect(JobRunState[o!.state]).toBe(s!.state);
    expect(JobRunMode[o!.mode]).toBe(s!.mode);
    expect(Number(o!.queuedDurationMilliseconds)).toBe(s!.queuedDurationMilliseconds);
    expect(Number(o!.executionTimeoutMinutes)).toBe(s!.executionTimeoutMinutes);
    expect(o!.totalExecutionDurationSeconds).toBe(s!.totalExecutionDurationSeconds);
    const u = o!.totalResourceUtilization!;
    expect({ vCPUHour: u.vCpuHour, memoryGBHour: u.memoryGbHour, storageGBHour: u.storageGbHour }).toEqual(s!.totalResourceUtilization);
    expect(o!.billedResourceUtilization?.vCpuHour).toBe(s!.billedResourceUtilization?.vCPUHour);
    expect(o!.jobDriver?.driver.case).toBe("hive");
    expect(o!.jobDriver?.driver.value).toMatchObject(s!.jobDriver!.hive!);
    expect(o!.tags).toEqual(s!.tags);
    expect(o!.networkConfiguration).toMatchObject(s!.networkConfiguration!);
    expect(o!.retryPolicy?.maxAttempts).toBe(s!.retryPolicy?.maxAttempts);
    const cw = o!.configurationOverrides?.monitoringConfiguration?.cloudWatchLoggingConfiguration;
    expect(cw?.enabled).toBe(true);
    expect(Object.fromEntries(Object.entries(cw!.logTypes).map(([k, v]) => [k, v.values]))).toEqual(
      s!.configurationOverrides!.monitoringConfiguration!.cloudWatchLoggingConfiguration!.logTypes,
    );
  });

  it("ListJobRuns: summaries with `id` and nextToken; an unknown state reads as unspecified", async () => {
    const summary = { applicationId: APP, id: RUN, arn: "a", createdBy: "c", createdAt: 1764592496, updatedAt: 1764592496.001, executionRole: "r", state: "SUCCESS", stateDetails: "", releaseLabel: "emr-7.1.0", type: "Spark" };
    const { sdk, ours } = clients(ok({ jobRuns: [summary, { ...summary, id: "x2", state: "SOME_NEW_STATE" }], nextToken: "n2" }));
    const s = await sdk.send(new ListJobRunsCommand({ applicationId: APP }));
    const o = await ours.listJobRuns({ applicationId: APP });
    expect(o.nextToken).toBe(s.nextToken);
    expect(o.jobRuns.map((r) => r.id)).toEqual(s.jobRuns!.map((r) => r.id));
    expect(JobRunState[o.jobRuns[0]!.state]).toBe(s.jobRuns![0]!.state);
    expect(o.jobRuns[1]!.state).toBe(JobRunState.JOB_RUN_STATE_UNSPECIFIED);
    expect(timestampDate(o.jobRuns[0]!.updatedAt!).getTime()).toBe(s.jobRuns![0]!.updatedAt!.getTime());
    expect(o.jobRuns[0]!.type).toBe(s.jobRuns![0]!.type);
  });
});

describe("errors read the same", () => {
  const cases: { name: string; response: CannedResponse; type: string; code: string; message: string; requestId?: string }[] = [
    {
      name: "x-amzn-ErrorType header with a coral suffix",
      response: {
        status: 404,
        headers: { "x-amzn-errortype": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/", "x-amzn-requestid": "req-404" },
        body: JSON.stringify({ message: "Job run 00f… does not exist" }),
      },
      type: "ResourceNotFoundException",
      code: "NotFound",
      message: "Job run 00f… does not exist",
      requestId: "req-404",
    },
    {
      name: "__type with a namespace and Message capitalised",
      response: { status: 400, headers: { "x-amzn-requestid": "req-400" }, body: JSON.stringify({ __type: "com.amazonaws.emrserverless#ValidationException", Message: "bad id" }) },
      type: "ValidationException",
      code: "InvalidArgument",
      message: "bad id",
      requestId: "req-400",
    },
    {
      name: "code in the body",
      response: { status: 409, body: JSON.stringify({ code: "ConflictException", message: "token reused with other input" }) },
      type: "ConflictException",
      code: "AlreadyExists",
      message: "token reused with other input",
    },
    {
      name: "ServiceQuotaExceededException 402",
      response: { status: 402, headers: { "x-amzn-errortype": "ServiceQuotaExceededException" }, body: JSON.stringify({ message: "quota" }) },
      type: "ServiceQuotaExceededException",
      code: "ResourceExhausted",
      message: "quota",
    },
    {
      name: "InternalServerException 500",
      response: { status: 500, headers: { "x-amzn-errortype": "InternalServerException" }, body: JSON.stringify({ message: "oops" }) },
      type: "InternalServerException",
      code: "Internal",
      message: "oops",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { sdk, ours } = clients(() => c.response);
      const sdkError = (await sdk.send(new GetJobRunCommand({ applicationId: APP, jobRunId: RUN })).catch((e: unknown) => e)) as {
        name: string;
        message: string;
        $metadata: { httpStatusCode: number; requestId?: string };
      };
      const ourError = await ours.getJobRun({ applicationId: APP, jobRunId: RUN }).catch((e: unknown) => e);
      expect(ourError).toBeInstanceOf(AwsError);
      const e = ourError as AwsError;
      expect(e.awsErrorType).toBe(sdkError.name);
      expect(e.awsErrorType).toBe(c.type);
      expect(e.awsMessage).toBe(sdkError.message);
      expect(e.awsMessage).toBe(c.message);
      expect(e.httpStatus).toBe(sdkError.$metadata.httpStatusCode);
      expect(e.requestId).toBe(sdkError.$metadata.requestId);
      expect(e.requestId).toBe(c.requestId);
      expect(e.code).toBe((await import("@connectrpc/connect")).Code[c.code as "NotFound"]);
      expect(e.message).toContain(c.type);
    });
  }
});

/** AWS on the shared core: one error type, close(), shared debug and retry, region from the profile. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import type { AwsCloudOptions } from "../../src/aws/index.js";
import { EmrServerless, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { ManualClock } from "../../src/testing/clock.js";
import { startEmulator } from "../../src/testing/server.js";
import type { Emulator } from "../../src/testing/server.js";

const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function setup(extra: Partial<AwsCloudOptions> = {}) {
  const e = await startEmulator({ clock: new ManualClock() });
  running.push(e);
  const aws = createAwsCloud({ region: e.aws.region, endpoint: e.restUrl, credentials: awsCredentials(e.aws), clock: e.clock, sleep: e.clock.sleep, ...extra });
  return { e, aws };
}

function rejection(p: Promise<unknown>): Promise<AwsError> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(AwsError);
      return error as AwsError;
    },
  );
}

describe("AwsError on CloudError", () => {
  it("a service error names method, endpoint, attempts and x-amzn-RequestId, with a clean toJSON", async () => {
    const { e, aws } = await setup();
    const error = await rejection(aws.client(EmrServerless).getJobRun({ applicationId: e.aws.applicationId, jobRunId: "nope" }));
    expect(error).toMatchObject({ code: Code.NotFound, awsErrorType: "ResourceNotFoundException", httpStatus: 404, method: "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun", endpoint: e.restUrl, attempts: 1 });
    expect(error.ids["x-amzn-requestid"]).toBe(error.requestId);
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ error: "AwsError", code: "NOT_FOUND", awsErrorType: "ResourceNotFoundException", method: "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun", attempts: 1 });
    expect(JSON.stringify(error)).not.toContain(e.aws.secretAccessKey);
  });

  it("a broken connection is an AwsError UNAVAILABLE after the AWS default of 3 attempts", async () => {
    const { e, aws } = await setup({ endpoint: "http://127.0.0.1:9" });
    const error = await rejection(aws.client(EmrServerless).getJobRun({ applicationId: e.aws.applicationId, jobRunId: "j" }));
    expect(error).toMatchObject({ code: Code.Unavailable, awsErrorType: "", httpStatus: 0, attempts: 3 });
  });

  it("credentials that fail, validation and an aborted signal are AwsErrors too, with nothing sent", async () => {
    const { e, aws } = await setup();
    const failing = createAwsCloud({ region: "us-east-1", endpoint: e.restUrl, credentials: { kind: "broken", resolve: () => Promise.reject(new Error("no keys here")) } });
    const noKeys = await rejection(failing.client(EmrServerless).getJobRun({ applicationId: e.aws.applicationId, jobRunId: "j" }));
    expect(noKeys.code).toBe(Code.Unauthenticated);
    expect(noKeys.rawMessage).toMatch(/no keys here/);
    const invalid = await rejection(aws.client(EmrServerless).getJobRun({ applicationId: "UPPER", jobRunId: "j" }));
    expect(invalid.code).toBe(Code.InvalidArgument);
    expect(invalid.violations.map((v) => v.path)).toContain("application_id");
    const wrongType = await rejection(aws.client(EmrServerless).getJobRun({ applicationId: 12 as never, jobRunId: "j" }));
    expect(wrongType.code).toBe(Code.InvalidArgument);
    const controller = new AbortController();
    controller.abort();
    const aborted = await rejection(aws.client(EmrServerless).getJobRun({ applicationId: e.aws.applicationId, jobRunId: "j" }, { signal: controller.signal }));
    expect(aborted.code).toBe(Code.Canceled);
    expect(e.callsTo("EmrServerlessService/GetJobRun")).toHaveLength(0);
  });
});

describe("close()", () => {
  it("ends an in-flight call and a wait at once, and later calls reject unsent", async () => {
    const { e, aws } = await setup();
    const emr = aws.client(EmrServerless);
    const request = { applicationId: e.aws.applicationId, executionRoleArn: "arn:aws:iam::123456789012:role/r", jobDriver: { driver: { case: "sparkSubmit" as const, value: { entryPoint: "s3://b/a.py" } } } };
    const run = await startJobRun(aws, request);
    const waiting = rejection(run.wait({ initialDelayMs: 60_000 }));
    const hold = e.faults.hold({ methods: ["EmrServerlessService/ListJobRuns"] });
    const inFlight = rejection(emr.listJobRuns({ applicationId: e.aws.applicationId }));
    await hold.arrived;
    aws.close();
    const [call, wait] = await Promise.all([inFlight, waiting]);
    hold.release();
    for (const error of [call, wait]) {
      expect(error.code).toBe(Code.Canceled);
      expect(error.rawMessage).toMatch(/client closed/);
    }
    const before = e.callsTo("EmrServerlessService/GetJobRun").length;
    const later = await rejection(emr.getJobRun({ applicationId: e.aws.applicationId, jobRunId: run.jobRunId }));
    expect(later.code).toBe(Code.Canceled);
    expect(e.callsTo("EmrServerlessService/GetJobRun")).toHaveLength(before);
  });
});

describe("shared debug and region", () => {
  it("debug writes one shared attempt line per attempt with x-amzn-requestid and no secret", async () => {
    const lines: string[] = [];
    const { e, aws } = await setup({ debug: (line) => lines.push(line) });
    await rejection(aws.client(EmrServerless).getJobRun({ applicationId: e.aws.applicationId, jobRunId: "nope" }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dataproc-connect: \/aws\.emr_serverless\.v1\.EmrServerlessService\/GetJobRun http:\/\/127\.0\.0\.1:\d+ attempt 1 NOT_FOUND [0-9.]+ms x-amzn-requestid=\S+$/);
    expect(lines.join("\n")).not.toContain(e.aws.secretAccessKey);
  });

  it("reads the region from the profile when neither option nor environment has one, and says so when none is set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aws-region-"));
    writeFileSync(join(dir, "config"), "[profile dev]\nregion = eu-west-3\n");
    const urls: string[] = [];
    const fetch = (async (input: string | URL) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ url: "u" }));
    }) as typeof globalThis.fetch;
    const credentials = awsCredentials({ accessKeyId: "A", secretAccessKey: "s" });
    const env = { AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "none") };
    const aws = createAwsCloud({ credentials, fetch, env: { ...env, AWS_PROFILE: "dev" } });
    expect(aws.region).toBeUndefined();
    await aws.client(EmrServerless).getDashboardForJobRun({ applicationId: "a1", jobRunId: "j1" });
    expect(aws.region).toBe("eu-west-3");
    expect(urls).toEqual(["https://emr-serverless.eu-west-3.amazonaws.com/applications/a1/jobruns/j1/dashboard"]);
    const none = createAwsCloud({ credentials, fetch, env });
    const error = await rejection(none.client(EmrServerless).getDashboardForJobRun({ applicationId: "a1", jobRunId: "j1" }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toMatch(/AWS_REGION/);
    expect(urls).toHaveLength(1);
  });
});

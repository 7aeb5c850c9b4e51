/**
 * The emulator's EMR Serverless side: the job-run lifecycle on a ManualClock,
 * clientToken dedupe, shutdownGracePeriodInSeconds, paging, faults, and the
 * SigV4 verifier against requests signed by the AWS SDK and by our signer.
 */
import { CloudError } from "../../src/core/cloud-error.js";
import { createClient, createRouterTransport, Code, ConnectError } from "@connectrpc/connect";
import { EMRServerlessClient, GetJobRunCommand } from "@aws-sdk/client-emr-serverless";
import { describe, expect, it } from "vitest";
import { EmrServerless, JobRunState } from "../../src/aws/emr-serverless/index.js";
import { signV4 } from "../../src/aws/sigv4/sign.js";
import { Authority } from "../../src/testing/yandex/auth.js";
import { CallLog } from "../../src/testing/call-log.js";
import { ManualClock } from "../../src/testing/clock.js";
import { Faults } from "../../src/testing/faults.js";
import { AwsEmulatorState } from "../../src/testing/aws/state.js";
import type { EmulatorHttpRequest } from "../../src/testing/rest-face.js";
import { sdkCapture } from "../support/aws-capture.js";

const ROLE = "arn:aws:iam::123456789012:role/emr-job";

function emulator(runTiming = {}) {
  // Near the wall clock: the AWS SDK signs with the real time, and the verifier allows 5 min of skew.
  const clock = new ManualClock();
  const aws = new AwsEmulatorState(clock, { runTiming });
  const faults = new Faults();
  const callLog = new CallLog();
  const deps = {
    clock,
    authority: new Authority(clock, { tokenLifetimeMs: 1, oauthTokens: [], trustedKeys: [] }),
    faults,
    callLog,
    onInternalError: (e: unknown) => {
      throw e;
    },
  };
  const transport = createRouterTransport((router) => aws.routes(router, deps));
  return { clock, aws, faults, callLog, emr: createClient(EmrServerless, transport), app: aws.applicationId };
}

/** The ConnectError a call fails with (and a failed test if it succeeds). */
function failure(p: Promise<unknown>): Promise<ConnectError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => CloudError.from(e),
  );
}

const spark = { driver: { case: "sparkSubmit" as const, value: { entryPoint: "s3://b/main.py" } } };

describe("EMR Serverless emulator: job runs", () => {
  it("goes SUBMITTED → PENDING → SCHEDULED → RUNNING → SUCCESS on the clock", async () => {
    const { clock, emr, app } = emulator({ submittedMs: 100, pendingMs: 100, scheduledMs: 100, runningMs: 1000 });
    const { jobRunId, arn } = await emr.startJobRun({ applicationId: app, clientToken: "t1", executionRoleArn: ROLE, jobDriver: spark });
    expect(arn).toBe(`arn:aws:emr-serverless:us-east-1:123456789012:/applications/${app}/jobruns/${jobRunId}`);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { jobRun } = await emr.getJobRun({ applicationId: app, jobRunId });
      seen.push(JobRunState[jobRun!.state]);
      clock.advance(i < 3 ? 100 : 1000);
    }
    expect(seen).toEqual(["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS", "SUCCESS"]);
    const { jobRun } = await emr.getJobRun({ applicationId: app, jobRunId });
    expect(jobRun!.startedAt).toBeDefined();
    expect(jobRun!.endedAt).toBeDefined();
    expect(jobRun!.totalExecutionDurationSeconds).toBe(1);
  });

  it("fails when tagged emulator.outcome=failed", async () => {
    const { clock, emr, app } = emulator();
    const { jobRunId } = await emr.startJobRun({ applicationId: app, clientToken: "t", executionRoleArn: ROLE, jobDriver: spark, tags: { "emulator.outcome": "failed" } });
    clock.advance(60_000);
    const { jobRun } = await emr.getJobRun({ applicationId: app, jobRunId });
    expect(jobRun!.state).toBe(JobRunState.FAILED);
    expect(jobRun!.stateDetails).toMatch(/failed/);
  });

  it("dedupes by clientToken; the same token with other input is a ConflictException", async () => {
    const { emr, app } = emulator();
    const input = { applicationId: app, clientToken: "same", executionRoleArn: ROLE, jobDriver: spark };
    const a = await emr.startJobRun(input);
    const b = await emr.startJobRun(input);
    expect(b.jobRunId).toBe(a.jobRunId);
    expect((await emr.listJobRuns({ applicationId: app })).jobRuns).toHaveLength(1);
    const error = await failure(emr.startJobRun({ ...input, name: "other" }));
    expect(error.code).toBe(Code.AlreadyExists);
    expect(error.metadata.get("x-amzn-errortype")).toBe("ConflictException");
  });

  it("cancels: CANCELLING for the grace period of a running run, then CANCELLED; 0 cancels at once", async () => {
    const { clock, emr, app } = emulator({ submittedMs: 0, pendingMs: 0, scheduledMs: 0, runningMs: 600_000 });
    const one = await emr.startJobRun({ applicationId: app, clientToken: "a", executionRoleArn: ROLE, jobDriver: spark });
    const two = await emr.startJobRun({ applicationId: app, clientToken: "b", executionRoleArn: ROLE, jobDriver: spark });
    clock.advance(1000);
    await emr.cancelJobRun({ applicationId: app, jobRunId: one.jobRunId, shutdownGracePeriodInSeconds: 30 });
    await emr.cancelJobRun({ applicationId: app, jobRunId: two.jobRunId, shutdownGracePeriodInSeconds: 0 });
    const state = async (id: string) => JobRunState[(await emr.getJobRun({ applicationId: app, jobRunId: id })).jobRun!.state];
    expect(await state(one.jobRunId)).toBe("CANCELLING");
    expect(await state(two.jobRunId)).toBe("CANCELLED");
    clock.advance(29_999);
    expect(await state(one.jobRunId)).toBe("CANCELLING");
    clock.advance(1);
    expect(await state(one.jobRunId)).toBe("CANCELLED");
    const bad = await failure(emr.cancelJobRun({ applicationId: app, jobRunId: one.jobRunId, shutdownGracePeriodInSeconds: 5 }));
    expect(bad.code).toBe(Code.InvalidArgument);
  });

  it("lists newest first with state filter and paging", async () => {
    const { clock, emr, app } = emulator();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await emr.startJobRun({ applicationId: app, clientToken: `t${i}`, executionRoleArn: ROLE, jobDriver: spark })).jobRunId);
      clock.advance(1000);
    }
    const first = await emr.listJobRuns({ applicationId: app, maxResults: 2 });
    expect(first.jobRuns.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const second = await emr.listJobRuns({ applicationId: app, maxResults: 2, nextToken: first.nextToken });
    expect(second.jobRuns.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const last = await emr.listJobRuns({ applicationId: app, maxResults: 2, nextToken: second.nextToken });
    expect(last.jobRuns.map((r) => r.id)).toEqual([ids[0]]);
    expect(last.nextToken).toBe("");
    const running = await emr.listJobRuns({ applicationId: app, states: [JobRunState.RUNNING] });
    expect(running.jobRuns.every((r) => r.state === JobRunState.RUNNING)).toBe(true);
  });

  it("answers ResourceNotFoundException for an unknown application or run, and takes faults", async () => {
    const { emr, app, faults, callLog } = emulator();
    const e1 = await failure(emr.getJobRun({ applicationId: "nope", jobRunId: "x" }));
    expect(e1.code).toBe(Code.NotFound);
    expect(e1.metadata.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    faults.failNext(1, "UNAVAILABLE");
    const e2 = await failure(emr.startJobRun({ applicationId: app, clientToken: "f", executionRoleArn: ROLE, jobDriver: spark }));
    expect(e2.code).toBe(Code.Unavailable);
    expect((await emr.listJobRuns({ applicationId: app })).jobRuns).toHaveLength(0);
    expect(callLog.entries.map((c) => c.outcome)).toEqual(["NOT_FOUND", "UNAVAILABLE", "ok"]);
  });
});

describe("EMR Serverless emulator: SigV4 verifier and error shapes", () => {
  async function sdkSignedRequest(keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string): Promise<EmulatorHttpRequest> {
    const capture = sdkCapture(() => ({ status: 200, body: "{}" }));
    const sdk = new EMRServerlessClient({ region, credentials: keys, requestHandler: capture.requestHandler, maxAttempts: 1, endpoint: "http://127.0.0.1:4567" });
    await sdk.send(new GetJobRunCommand({ applicationId: "00femulatorapp01", jobRunId: "abc" })).catch(() => {});
    const r = capture.seen[0]!;
    const url = new URL(`http://${r.host}${r.path}`);
    for (const [k, v] of r.query) url.searchParams.append(k, v);
    return { method: r.method, url, headers: new Headers(r.headers), body: new TextEncoder().encode(r.body) };
  }

  it("accepts the AWS SDK's signature with the emulator keys (host with a port)", async () => {
    const { aws } = emulator();
    const info = aws.info;
    const request = await sdkSignedRequest(info, info.region);
    expect(await aws.face.authenticate(request)).toBeUndefined();
  });

  it("answers InvalidSignatureException 403 for a wrong secret, a tampered path, or a wrong region", async () => {
    const { aws } = emulator();
    const info = aws.info;
    const wrongSecret = await aws.face.authenticate(await sdkSignedRequest({ accessKeyId: info.accessKeyId, secretAccessKey: "wrong" }, info.region));
    expect(wrongSecret?.status).toBe(403);
    expect(wrongSecret?.headers?.["x-amzn-errortype"]).toBe("InvalidSignatureException");
    const tampered = await sdkSignedRequest(info, info.region);
    const moved = { ...tampered, url: new URL(tampered.url.href.replace("/abc", "/abd")) };
    expect((await aws.face.authenticate(moved))?.headers?.["x-amzn-errortype"]).toBe("InvalidSignatureException");
    const region = await aws.face.authenticate(await sdkSignedRequest(info, "eu-west-1"));
    expect(region?.headers?.["x-amzn-errortype"]).toBe("InvalidSignatureException");
    const unknown = await aws.face.authenticate(await sdkSignedRequest({ accessKeyId: "AKIANOBODY", secretAccessKey: "x" }, info.region));
    expect(unknown?.headers?.["x-amzn-errortype"]).toBe("UnrecognizedClientException");
    expect(JSON.parse(String(unknown?.body))).toEqual({ message: "The security token included in the request is invalid." });
  });

  it("answers ExpiredTokenException once a session token expires, and rejects a skewed clock", async () => {
    const { aws, clock } = emulator();
    const temp = aws.issueSessionCredentials(60_000);
    const keys = { accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey, sessionToken: temp.sessionToken };
    const sign = async () => {
      const url = new URL("http://127.0.0.1:4567/applications/00femulatorapp01/jobruns/abc");
      const headers = new Headers();
      const signed = await signV4(
        { method: "GET", host: url.host, path: url.pathname, search: "", headers: [] },
        { credentials: keys, region: aws.region, service: "emr-serverless", date: new Date(clock.now()) },
      );
      for (const [k, v] of signed.headers) headers.set(k, v);
      headers.set("host", url.host);
      return { method: "GET", url, headers, body: new Uint8Array() };
    };
    expect(await aws.face.authenticate(await sign())).toBeUndefined();
    clock.advance(60_000);
    const expired = await aws.face.authenticate(await sign());
    expect(expired?.headers?.["x-amzn-errortype"]).toBe("ExpiredTokenException");
    const skewed = await sign();
    clock.advance(10 * 60_000);
    const late = await aws.face.authenticate(skewed);
    expect(late?.status).toBe(403);
    expect(String(late?.body)).toMatch(/Signature expired/);
  });

  it("writes handler errors as restJson1 error responses", () => {
    const { aws } = emulator();
    const r = aws.face.errorResponse(new ConnectError("Job run x does not exist", Code.NotFound), "req-1");
    expect(r.status).toBe(404);
    expect(r.headers).toMatchObject({ "x-amzn-errortype": "ResourceNotFoundException", "x-amzn-requestid": "req-1" });
    expect(JSON.parse(String(r.body))).toEqual({ message: "Job run x does not exist" });
    const named = aws.face.errorResponse(new ConnectError("quota", Code.ResourceExhausted, { "x-amzn-errortype": "ServiceQuotaExceededException" }), "r");
    expect(named.status).toBe(402);
  });

  it("never shows the secret in JSON or inspect", async () => {
    const { aws } = emulator();
    const text = JSON.stringify(aws.info) + (await import("node:util")).inspect(aws.info);
    expect(text).not.toContain(aws.info.secretAccessKey);
    expect(text).toContain(aws.info.accessKeyId);
  });
});

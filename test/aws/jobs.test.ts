/** Job-run helpers over the emulator: start → wait, cancel, get, paging. */
import { CloudError } from "../../src/core/cloud-error.js";
import { Code, ConnectError } from "@connectrpc/connect";

function failure(p: Promise<unknown>): Promise<ConnectError> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => CloudError.from(e),
  );
}
import { afterEach, describe, expect, it } from "vitest";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { JobRunState, jobRunHandle, listJobRuns, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { ManualClock } from "../../src/testing/clock.js";
import { startEmulator } from "../../src/testing/server.js";
import type { Emulator } from "../../src/testing/server.js";

const ROLE = "arn:aws:iam::123456789012:role/emr-job";
const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function setup(runTiming = { submittedMs: 1000, pendingMs: 1000, scheduledMs: 1000, runningMs: 5000, cancellingMs: 1000 }) {
  const e = await startEmulator({ clock: new ManualClock(), aws: { runTiming } });
  running.push(e);
  const aws = createAwsCloud({
    region: e.aws.region,
    endpoint: e.restUrl,
    credentials: awsCredentials(e.aws),
    clock: e.clock,
    sleep: e.clock.sleep,
  });
  const request = {
    applicationId: e.aws.applicationId,
    executionRoleArn: ROLE,
    jobDriver: { driver: { case: "sparkSubmit" as const, value: { entryPoint: "s3://b/a.py" } } },
  };
  return { e, aws, request };
}

describe("EMR Serverless job helpers", () => {
  it("wait() follows every state to SUCCESS with onStatus, on the emulator clock", async () => {
    const { aws, request } = await setup();
    const run = await startJobRun(aws, request);
    const states: string[] = [];
    const final = await run.wait({ onStatus: (r) => states.push(JobRunState[r.state]), initialDelayMs: 500, maxDelayMs: 1000 });
    expect(final.state).toBe(JobRunState.SUCCESS);
    expect(states).toEqual(["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS"]);
    expect(run.arn).toContain(run.jobRunId);
  });

  it("wait() resolves with a FAILED run (it does not throw)", async () => {
    const { aws, request } = await setup();
    const run = await startJobRun(aws, { ...request, tags: { "emulator.outcome": "failed" } });
    expect((await run.wait()).state).toBe(JobRunState.FAILED);
  });

  it("cancel() then wait() ends CANCELLED; get() reads it", async () => {
    const { aws, request, e } = await setup();
    const run = await startJobRun(aws, request);
    e.clock.advance(3500);
    expect((await run.get()).state).toBe(JobRunState.RUNNING);
    await run.cancel({ shutdownGracePeriodInSeconds: 60 });
    expect((await run.get()).state).toBe(JobRunState.CANCELLING);
    const final = await run.wait();
    expect(final.state).toBe(JobRunState.CANCELLED);
    expect(final.endedAt).toBeDefined();
  });

  it("wait() times out with DEADLINE_EXCEEDED and stops on abort", async () => {
    const { aws, request } = await setup();
    const run = await startJobRun(aws, request);
    const timeout = await failure(run.wait({ timeoutMs: 2000 }));
    expect(timeout.code).toBe(Code.DeadlineExceeded);
    expect(timeout.message).toMatch(/still/);
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    const aborted = await failure(jobRunHandle(aws, run.applicationId, run.jobRunId).wait({ signal: controller.signal }));
    expect(aborted.code).toBe(Code.Canceled);
  });

  it("listJobRuns pages lazily through nextToken", async () => {
    const { aws, request, e } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await startJobRun(aws, request)).jobRunId);
      e.clock.advance(10);
    }
    e.clearCalls();
    const seen: string[] = [];
    for await (const r of listJobRuns(aws, { applicationId: request.applicationId, maxResults: 2 })) seen.push(r.id);
    expect(seen).toEqual([...ids].reverse());
    expect(e.callsTo("EmrServerlessService/ListJobRuns")).toHaveLength(3);
    e.clearCalls();
    for await (const r of listJobRuns(aws, { applicationId: request.applicationId, maxResults: 2 })) {
      expect(r.id).toBe(ids[4]);
      break;
    }
    expect(e.callsTo("EmrServerlessService/ListJobRuns")).toHaveLength(1);
  });
});

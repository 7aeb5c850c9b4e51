// The EMR Serverless application helpers on the emulator's REST face (our
// SigV4 client, the manual clock): findApplicationByName (found, not found,
// ambiguous, paging), startApplication / stopApplication waits,
// startJobRun's startApplication option and stopApplication's cancelJobRuns.
import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import {
  ApplicationState,
  EmrServerless,
  JobRunState,
  findApplicationByName,
  jobRunHandle,
  startApplication,
  startJobRun,
  stopApplication,
} from "../../src/aws/emr-serverless/index.js";
import { ManualClock } from "../../src/testing/clock.js";
import { startEmulator } from "../../src/testing/server.js";
import type { Emulator } from "../../src/testing/server.js";

const ROLE = "arn:aws:iam::123456789012:role/emr-job";
const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function setup() {
  const e = await startEmulator({
    clock: new ManualClock(),
    aws: {
      applicationTiming: { creatingMs: 500, startingMs: 2_000, stoppingMs: 1_000 },
      runTiming: { submittedMs: 100, pendingMs: 100, scheduledMs: 100, runningMs: 60_000, cancellingMs: 1_000 },
    },
  });
  running.push(e);
  const aws = createAwsCloud({ region: e.aws.region, endpoint: e.restUrl, credentials: awsCredentials(e.aws), clock: e.clock, sleep: e.clock.sleep });
  const emr = aws.client(EmrServerless);
  /** A CREATED application (auto-start off unless asked). */
  const created = async (name: string, autoStart = false) => {
    const { applicationId } = await emr.createApplication({ name, releaseLabel: "emr-7.1.0", type: "Spark", autoStartConfiguration: { enabled: autoStart } });
    e.clock.advance(500);
    return applicationId;
  };
  const state = async (applicationId: string) => ApplicationState[(await emr.getApplication({ applicationId })).application!.state];
  const job = (applicationId: string) => ({ applicationId, executionRoleArn: ROLE, jobDriver: { driver: { case: "sparkSubmit" as const, value: { entryPoint: "s3://b/a.py" } } } });
  return { e, aws, emr, created, state, job };
}

async function failure(p: Promise<unknown>): Promise<AwsError> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(AwsError);
      return e as AwsError;
    },
  );
}

describe("findApplicationByName", () => {
  it("finds the one application of that name", async () => {
    const { aws, created } = await setup();
    const id = await created("etl");
    await created("etl-2");
    const found = await findApplicationByName(aws, "etl");
    expect(found.id).toBe(id);
    expect(found.name).toBe("etl");
  });

  it("not found is NOT_FOUND naming the name; an empty name is INVALID_ARGUMENT before any call", async () => {
    const { aws, e } = await setup();
    const missing = await failure(findApplicationByName(aws, "nope"));
    expect(missing.code).toBe(Code.NotFound);
    expect(missing.message).toContain(`no EMR Serverless application named "nope" in ${e.aws.region}`);
    const before = e.calls.length;
    const empty = await failure(findApplicationByName(aws, ""));
    expect(empty.code).toBe(Code.InvalidArgument);
    expect(empty.message).toMatch(/name: expected a non-empty string/);
    expect(e.calls.length).toBe(before);
  });

  it("two applications of one name are FAILED_PRECONDITION naming both ids; a TERMINATED one is no candidate", async () => {
    const { aws, emr, created } = await setup();
    const a = await created("twin");
    const b = await created("twin");
    const gone = await created("twin");
    await emr.deleteApplication({ applicationId: gone });
    const error = await failure(findApplicationByName(aws, "twin"));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message).toContain('2 EMR Serverless applications are named "twin"');
    expect(error.message).toContain(a);
    expect(error.message).toContain(b);
    expect(error.message).not.toContain(gone);
  });

  it("reads every page (no name filter in the API)", async () => {
    const { aws, e, created } = await setup();
    for (let i = 0; i < 50; i++) await created(`bulk-${i}`);
    const id = await created("last-one");
    const before = e.callsTo("ListApplications").length;
    expect((await findApplicationByName(aws, "last-one")).id).toBe(id);
    expect(e.callsTo("ListApplications").length - before).toBe(2);
  });
});

describe("startApplication / stopApplication", () => {
  it("start waits until STARTED and stop until STOPPED, on the manual clock", async () => {
    const { aws, e, created, state } = await setup();
    const id = await created("life");
    const t0 = e.clock.now();
    const started = await startApplication(aws, { applicationId: id });
    expect(ApplicationState[started.state]).toBe("STARTED");
    expect(e.clock.now() - t0).toBeGreaterThanOrEqual(2_000);
    // Already started: one read, no StartApplication.
    const starts = e.callsTo("StartApplication").length;
    expect((await startApplication(aws, { applicationId: id })).state).toBe(ApplicationState.STARTED);
    expect(e.callsTo("StartApplication").length).toBe(starts);
    const t1 = e.clock.now();
    const stopped = await stopApplication(aws, { applicationId: id });
    expect(ApplicationState[stopped.state]).toBe("STOPPED");
    expect(e.clock.now() - t1).toBeGreaterThanOrEqual(1_000);
    expect(await state(id)).toBe("STOPPED");
  });

  it("a wait that runs out is DEADLINE_EXCEEDED naming the state; a TERMINATED application is FAILED_PRECONDITION", async () => {
    const { aws, emr, created } = await setup();
    const id = await created("slow");
    const late = await failure(startApplication(aws, { applicationId: id }, { timeoutMs: 1_000 }));
    expect(late.code).toBe(Code.DeadlineExceeded);
    expect(late.message).toMatch(/still STARTING after 1000 ms/);
    const other = await created("doomed");
    await emr.deleteApplication({ applicationId: other });
    const dead = await failure(startApplication(aws, { applicationId: other }));
    expect(dead.code).toBe(Code.FailedPrecondition);
    expect(dead.message).toMatch(/TERMINATED/);
    const bad = await failure(stopApplication(aws, { applicationId: "" }));
    expect(bad.code).toBe(Code.InvalidArgument);
  });

  it("startJobRun({ startApplication: true }) starts a stopped application first; without it the run is refused", async () => {
    const { aws, created, state, job } = await setup();
    const id = await created("manual-start");
    const refused = await failure(startJobRun(aws, job(id)));
    expect(refused.httpStatus).toBeGreaterThanOrEqual(400);
    const run = await startJobRun(aws, job(id), { startApplication: true });
    expect(await state(id)).toBe("STARTED");
    expect(JobRunState[(await run.get()).state]).toBe("SUBMITTED");
    const bad = await failure(startJobRun(aws, job(id), { startApplication: "yes" as unknown as boolean }));
    expect(bad.code).toBe(Code.InvalidArgument);
  });

  it("stopApplication({ cancelJobRuns: true }) cancels the unfinished runs, waits for them, then stops; without it AWS refuses", async () => {
    const { aws, created, job } = await setup();
    const id = await created("busy");
    await startApplication(aws, { applicationId: id });
    const runs = [await startJobRun(aws, job(id)), await startJobRun(aws, job(id))];
    const refused = await failure(stopApplication(aws, { applicationId: id }));
    expect(refused.message).toMatch(/job runs that are not finished/);
    const stopped = await stopApplication(aws, { applicationId: id }, { cancelJobRuns: true });
    expect(ApplicationState[stopped.state]).toBe("STOPPED");
    for (const run of runs) expect(JobRunState[(await jobRunHandle(aws, run.ref).get()).state]).toBe("CANCELLED");
  });
});

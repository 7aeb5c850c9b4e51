/**
 * EMR Serverless applications on the emulator's REST server (HTTP/1.1 on
 * 127.0.0.1), driven by the official AWS SDK: the lifecycle on the manual
 * clock (CREATING → CREATED → STARTING → STARTED → STOPPING → STOPPED →
 * TERMINATED), clientToken dedupe, updates, paging, and job runs that share
 * the applications' state: a stopped application with auto-start off
 * refuses StartJobRun, one with auto-start on is started by it.
 */
import {
  CancelJobRunCommand,
  CreateApplicationCommand,
  DeleteApplicationCommand,
  EMRServerlessClient,
  GetApplicationCommand,
  GetJobRunCommand,
  ListApplicationsCommand,
  StartApplicationCommand,
  StartJobRunCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
} from "@aws-sdk/client-emr-serverless";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { ApplicationState, EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { ManualClock } from "../../src/testing/clock.js";
import { startEmulator } from "../../src/testing/server.js";
import type { Emulator } from "../../src/testing/server.js";

const ROLE = "arn:aws:iam::123456789012:role/emr-job";
const applicationTiming = { creatingMs: 500, startingMs: 2000, stoppingMs: 1000 };
const spark = { sparkSubmit: { entryPoint: "s3://b/main.py" } };

const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function emulator() {
  // Near the wall clock: the AWS SDK signs with the real time.
  const e = await startEmulator({ clock: new ManualClock(), aws: { applicationTiming, runTiming: { submittedMs: 100, pendingMs: 100, scheduledMs: 100, runningMs: 60_000 } } });
  running.push(e);
  const sdk = new EMRServerlessClient({ region: e.aws.region, endpoint: e.restUrl, credentials: e.aws, maxAttempts: 1 });
  const state = async (applicationId: string) => (await sdk.send(new GetApplicationCommand({ applicationId }))).application!.state;
  return { e, sdk, state };
}

/** The SDK's error for a call that must fail (a failed test if it succeeds). */
async function sdkFailure(p: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number } },
  );
}

describe("EMR Serverless applications on the emulator, driven by the AWS SDK", () => {
  it("create → CREATED → start → STARTED → stop → STOPPED → delete → TERMINATED, on the manual clock", async () => {
    const { e, sdk, state } = await emulator();
    const created = await sdk.send(new CreateApplicationCommand({ name: "etl", releaseLabel: "emr-7.1.0", type: "Spark", autoStartConfiguration: { enabled: false } }));
    expect(created.arn).toBe(`arn:aws:emr-serverless:${e.aws.region}:123456789012:/applications/${created.applicationId}`);
    const id = created.applicationId!;
    expect(await state(id)).toBe("CREATING");
    e.clock.advance(500);
    expect(await state(id)).toBe("CREATED");
    await sdk.send(new StartApplicationCommand({ applicationId: id }));
    expect(await state(id)).toBe("STARTING");
    // Starting again while it starts is accepted and changes nothing (@idempotent).
    await sdk.send(new StartApplicationCommand({ applicationId: id }));
    e.clock.advance(1999);
    expect(await state(id)).toBe("STARTING");
    e.clock.advance(1);
    expect(await state(id)).toBe("STARTED");
    await sdk.send(new StopApplicationCommand({ applicationId: id }));
    expect(await state(id)).toBe("STOPPING");
    e.clock.advance(1000);
    expect(await state(id)).toBe("STOPPED");
    const { application } = await sdk.send(new GetApplicationCommand({ applicationId: id }));
    expect(application).toMatchObject({
      name: "etl",
      releaseLabel: "emr-7.1.0",
      type: "Spark",
      architecture: "X86_64",
      autoStartConfiguration: { enabled: false },
      autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 15 },
    });
    // updatedAt is when it entered STOPPED (epoch seconds with milliseconds on the wire).
    expect(application!.updatedAt!.getTime()).toBe(e.clock.now());
    await sdk.send(new DeleteApplicationCommand({ applicationId: id }));
    expect(await state(id)).toBe("TERMINATED");
    const listed = await sdk.send(new ListApplicationsCommand({}));
    expect(listed.applications!.map((a) => a.id)).not.toContain(id);
    const terminated = await sdk.send(new ListApplicationsCommand({ states: ["TERMINATED"] }));
    expect(terminated.applications!.map((a) => a.id)).toEqual([id]);
  });

  it("a repeated clientToken returns the same application; the same token with other input is a ConflictException", async () => {
    const { sdk } = await emulator();
    const input = { clientToken: "create-1", name: "dedupe", releaseLabel: "emr-7.1.0", type: "Hive" };
    const a = await sdk.send(new CreateApplicationCommand(input));
    const b = await sdk.send(new CreateApplicationCommand(input));
    expect(b.applicationId).toBe(a.applicationId);
    const conflict = await sdkFailure(sdk.send(new CreateApplicationCommand({ ...input, name: "other" })));
    expect(conflict.name).toBe("ConflictException");
    expect(conflict.$metadata.httpStatusCode).toBe(409);
    const bad = await sdkFailure(sdk.send(new CreateApplicationCommand({ releaseLabel: "emr-7.1.0", type: "Presto" })));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toMatch(/Spark or Hive/);
  });

  it("a stopped application with auto-start off refuses StartJobRun (ValidationException); with auto-start on, the run starts it", async () => {
    const { e, sdk, state } = await emulator();
    const manual = (await sdk.send(new CreateApplicationCommand({ name: "manual", releaseLabel: "emr-7.1.0", type: "Spark", autoStartConfiguration: { enabled: false } }))).applicationId!;
    const auto = (await sdk.send(new CreateApplicationCommand({ name: "auto", releaseLabel: "emr-7.1.0", type: "Spark" }))).applicationId!;
    e.clock.advance(500);
    const refused = await sdkFailure(sdk.send(new StartJobRunCommand({ applicationId: manual, executionRoleArn: ROLE, jobDriver: spark })));
    expect(refused.name).toBe("ValidationException");
    expect(refused.$metadata.httpStatusCode).toBe(400);
    expect(refused.message).toBe(`Application ${manual} is in CREATED state and cannot accept new job runs; auto-start is disabled, so start the application first`);
    expect(await state(manual)).toBe("CREATED");

    const run = await sdk.send(new StartJobRunCommand({ applicationId: auto, executionRoleArn: ROLE, jobDriver: spark }));
    expect(run.applicationId).toBe(auto);
    expect(run.arn).toBe(`arn:aws:emr-serverless:${e.aws.region}:123456789012:/applications/${auto}/jobruns/${run.jobRunId}`);
    expect(await state(auto)).toBe("STARTING");
    // The run belongs to its application only.
    const elsewhere = await sdkFailure(sdk.send(new GetJobRunCommand({ applicationId: e.aws.applicationId, jobRunId: run.jobRunId })));
    expect(elsewhere.name).toBe("ResourceNotFoundException");

    // Stopping with a run in flight is refused; once it is cancelled, the stop goes through.
    e.clock.advance(2000);
    const busy = await sdkFailure(sdk.send(new StopApplicationCommand({ applicationId: auto })));
    expect(busy.name).toBe("ValidationException");
    await sdk.send(new CancelJobRunCommand({ applicationId: auto, jobRunId: run.jobRunId, shutdownGracePeriodInSeconds: 0 }));
    await sdk.send(new StopApplicationCommand({ applicationId: auto }));
    e.clock.advance(1000);
    expect(await state(auto)).toBe("STOPPED");
    // Updates are taken while STOPPED and refused while STARTED.
    const { application } = await sdk.send(new UpdateApplicationCommand({ applicationId: auto, releaseLabel: "emr-7.2.0", maximumCapacity: { cpu: "8 vCPU", memory: "32 GB" } }));
    expect(application).toMatchObject({ releaseLabel: "emr-7.2.0", maximumCapacity: { cpu: "8 vCPU", memory: "32 GB" }, name: "auto", state: "STOPPED" });
    const started = await sdkFailure(sdk.send(new UpdateApplicationCommand({ applicationId: e.aws.applicationId, releaseLabel: "emr-7.2.0" })));
    expect(started.name).toBe("ValidationException");
    expect(started.message).toMatch(/STARTED state and cannot be updated/);
    const deleting = await sdkFailure(sdk.send(new DeleteApplicationCommand({ applicationId: e.aws.applicationId })));
    expect(deleting.name).toBe("ValidationException");
  });

  it("lists newest first with a state filter and paging; an unknown application is ResourceNotFoundException", async () => {
    const { e, sdk } = await emulator();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      e.clock.advance(1000);
      ids.push((await sdk.send(new CreateApplicationCommand({ name: `a${i}`, releaseLabel: "emr-7.1.0", type: "Spark" }))).applicationId!);
    }
    const first = await sdk.send(new ListApplicationsCommand({ maxResults: 2 }));
    expect(first.applications!.map((a) => a.id)).toEqual([ids[2], ids[1]]);
    const second = await sdk.send(new ListApplicationsCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.applications!.map((a) => a.id)).toEqual([ids[0], e.aws.applicationId]);
    expect(second.nextToken).toBeUndefined();
    const started = await sdk.send(new ListApplicationsCommand({ states: ["STARTED"] }));
    expect(started.applications!.map((a) => a.id)).toEqual([e.aws.applicationId]);
    const missing = await sdkFailure(sdk.send(new GetApplicationCommand({ applicationId: "nope" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it("our client reads the same applications over the same server", async () => {
    const { e } = await emulator();
    const emr = createAwsCloud({ region: e.aws.region, endpoint: e.restUrl, credentials: awsCredentials(e.aws), clock: e.clock, retry: false }).client(EmrServerless);
    const { applicationId } = await emr.createApplication({ name: "ours", releaseLabel: "emr-7.1.0", type: "Spark", initialCapacity: { Driver: { workerCount: 1n, workerConfiguration: { cpu: "2 vCPU", memory: "4 GB" } } } });
    const { application } = await emr.getApplication({ applicationId });
    expect(application!.state).toBe(ApplicationState.CREATING);
    expect(application!.initialCapacity.Driver!.workerCount).toBe(1n);
    const error = await emr.startApplication({ applicationId }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).awsErrorType).toBe("ValidationException");
    e.clock.advance(500);
    await emr.startApplication({ applicationId });
    expect((await emr.getApplication({ applicationId })).application!.state).toBe(ApplicationState.STARTING);
  });
});

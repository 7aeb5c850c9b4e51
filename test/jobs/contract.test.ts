// The job model's contract, written once and run against every cloud's handle
// on one emulator (its own, for this file) and its ManualClock: submit, get,
// wait to each final phase, cancel, cancelOnAbort (by signal and by timeout,
// and a failed cancel as the rejection's cause), handles for an existing job
// and from a JSON round-tripped ref, abort, timeout, close. Waits end on
// conditions (onStatus, the clock the cloud's sleep moves), never on time.
// Then jobPhase over every provider status of the four job messages, read
// from plain-data tables keyed by `$typeName`.
import { CloudError } from "../../src/core/cloud-error.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { jobHandle, jobPhase, submitJob } from "../../src/index.js";
import type { JobHandle, JobPhase, YandexCloud } from "../../src/index.js";
import { JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { createYandexCloud, iamToken } from "../../src/yandex/index.js";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import type { AwsCloud } from "../../src/aws/index.js";
import { jobRunHandle, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloud } from "../../src/huawei/index.js";
import { mrsJobHandle, submitMrsJob } from "../../src/huawei/mrs/v2/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import { create } from "@bufbuild/protobuf";
import { JobSchema as DataprocJobSchema, Job_StatusSchema as DataprocStatusSchema } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import { JobSchema as SparkJobSchema, Job_StatusSchema as SparkStatusSchema } from "../../gen/yandex/cloud/spark/v1/job_pb.js";
import { JobRunSchema, JobRunStateSchema } from "../../gen/aws/emr_serverless/v1/job_run_pb.js";
import { JobQueryBeanSchema } from "../../gen/huawei/mrs/v2/job_execution_pb.js";
import { yandexJobPhases } from "../../src/yandex/jobs/phase.js";
import { awsJobPhases } from "../../src/aws/jobs/phase.js";
import { huaweiJobPhases } from "../../src/huawei/jobs/phase.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator<ManualClock>;
const clouds: { close(): void }[] = [];
beforeAll(async () => {
  emulator = await startEmulator({
    clock: new ManualClock(),
    jobTiming: { provisioningMs: 100, pendingMs: 100, runningMs: 5_000, cancellingMs: 200 },
    aws: { runTiming: { submittedMs: 100, pendingMs: 100, scheduledMs: 100, runningMs: 5_000, cancellingMs: 200 } },
  });
});
afterAll(async () => {
  for (const cloud of clouds) cloud.close();
  await emulator.close();
});

const isCancel = (req: { method: { name: string } }): boolean => /^(Cancel|CancelJobRun|StopJob)$/.test(req.method.name);

/** Fails every cancel call of the cloud it is given to: a cancel the server never sees. */
const refuseCancel: Interceptor = (next) => async (req) => {
  if (isCancel(req)) throw new ConnectError("cancel refused by the test", Code.PermissionDenied);
  return next(req);
};

/** Counts the cancel calls of the cloud it is given to. */
function countCancels(): { readonly interceptor: Interceptor; readonly count: () => number } {
  let count = 0;
  return {
    interceptor: (next) => (req) => {
      if (isCancel(req)) count++;
      return next(req);
    },
    count: () => count,
  };
}

type Outcome = "succeeded" | "failed";
interface CloudOpts {
  readonly interceptors?: Interceptor[];
}

/** One cloud's part of the contract: how to make a cloud, submit, and find a handle again. */
interface Face<J> {
  readonly name: string;
  cloud(options?: CloudOpts): { close(): void };
  submit(cloud: { close(): void }, outcome: Outcome): Promise<JobHandle<J>>;
  /** A handle for a job this process did not submit, from its ids. */
  existing(cloud: { close(): void }, handle: JobHandle<J>): JobHandle<J>;
  /** A handle from a saved `ref`. */
  fromRef(cloud: { close(): void }, ref: unknown): JobHandle<J>;
  /** The cloud name in `ref.cloud`. */
  readonly refCloud: string;
}

function yandexCloud(options: CloudOpts = {}): YandexCloud {
  const cloud = createYandexCloud({
    endpoint: emulator.url,
    credentials: iamToken(emulator.iamToken),
    clock: emulator.clock,
    sleep: emulator.clock.sleep,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  clouds.push(cloud);
  return cloud;
}

const dataproc: Face<unknown> = {
  name: "Data Proc",
  refCloud: "yandex",
  cloud: yandexCloud,
  submit: (cloud, outcome) =>
    submitJob(cloud as YandexCloud, DataprocJobService, {
      clusterId: emulator.clusters[0]!,
      jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.outcome": outcome === "succeeded" ? "done" : "error" } } },
    }),
  existing: (cloud, handle) => jobHandle(cloud as YandexCloud, DataprocJobService, { clusterId: (handle as unknown as { clusterId: string }).clusterId, jobId: handle.id }),
  fromRef: (cloud, ref) => jobHandle(cloud as YandexCloud, DataprocJobService, ref as never),
};

const spark: Face<unknown> = {
  name: "Managed Spark",
  refCloud: "yandex",
  cloud: yandexCloud,
  submit: (cloud, outcome) =>
    submitJob(cloud as YandexCloud, SparkJobService, {
      clusterId: emulator.clusters[0]!,
      jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.outcome": outcome === "succeeded" ? "done" : "error" } } },
    }),
  existing: (cloud, handle) => jobHandle(cloud as YandexCloud, SparkJobService, { clusterId: (handle as unknown as { clusterId: string }).clusterId, jobId: handle.id }),
  fromRef: (cloud, ref) => jobHandle(cloud as YandexCloud, SparkJobService, ref as never),
};

const aws: Face<unknown> = {
  name: "EMR Serverless",
  refCloud: "aws",
  cloud(options = {}) {
    const cloud = createAwsCloud({
      region: emulator.aws.region,
      endpoint: emulator.restUrl,
      credentials: awsCredentials(emulator.aws),
      clock: emulator.clock,
      sleep: emulator.clock.sleep,
      ...(options.interceptors ? { interceptors: options.interceptors } : {}),
    });
    clouds.push(cloud);
    return cloud;
  },
  submit: (cloud, outcome) =>
    startJobRun(cloud as AwsCloud, {
      applicationId: emulator.aws.applicationId,
      executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
      jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
      tags: { "emulator.outcome": outcome === "succeeded" ? "success" : "failed" },
    }),
  existing: (cloud, handle) => jobRunHandle(cloud as AwsCloud, emulator.aws.applicationId, handle.id),
  fromRef: (cloud, ref) => jobRunHandle(cloud as AwsCloud, ref as never),
};

const huawei: Face<unknown> = {
  name: "MRS",
  refCloud: "huawei",
  cloud(options = {}) {
    const cloud = createHuaweiCloud({
      region: emulator.huawei.region,
      projectId: emulator.huawei.projectId,
      endpoint: emulator.restUrl,
      credentials: huaweiCredentials({ accessKey: emulator.huawei.accessKey, secretKey: emulator.huawei.secretKey }),
      clock: emulator.clock,
      sleep: emulator.clock.sleep,
      ...(options.interceptors ? { interceptors: options.interceptors } : {}),
    });
    clouds.push(cloud);
    return cloud;
  },
  submit: (cloud, outcome) =>
    submitMrsJob(cloud as HuaweiCloud, {
      clusterId: emulator.clusters[0]!,
      jobType: "SparkSubmit",
      jobName: "contract",
      properties: { "emulator.outcome": outcome === "succeeded" ? "done" : "error" },
    }),
  existing: (cloud, handle) => mrsJobHandle(cloud as HuaweiCloud, emulator.clusters[0]!, handle.id),
  fromRef: (cloud, ref) => mrsJobHandle(cloud as HuaweiCloud, ref as never),
};

/** The ConnectError a promise rejects with; fails the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (error) {
    expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
    return error as ConnectError;
  }
  throw new Error("expected a rejection");
}

const phaseOf = (job: unknown): JobPhase => jobPhase(job as Parameters<typeof jobPhase>[0]);
const live: ReadonlySet<JobPhase> = new Set(["pending", "running"]);

describe.each([dataproc, spark, aws, huawei])("JobHandle contract: $name", (face) => {
  it("submit, get, wait to succeeded, with onStatus on the first read and on each change", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "succeeded");
    expect(handle.id).not.toBe("");
    expect(live.has(phaseOf(await handle.get()))).toBe(true);
    const seen: JobPhase[] = [];
    const done = await handle.wait({ onStatus: (job) => seen.push(phaseOf(job)) });
    expect(phaseOf(done)).toBe("succeeded");
    expect(seen[0]).toBe("pending");
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("succeeded");
    // each call of onStatus is a change of status: no two alike in a row
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it("wait resolves (not rejects) with a failed job", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "failed");
    expect(phaseOf(await handle.wait())).toBe("failed");
  });

  it("cancel, then wait ends cancelled", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "succeeded");
    emulator.clock.advance(500);
    await handle.cancel();
    expect(phaseOf(await handle.wait())).toBe("cancelled");
    expect(phaseOf(await handle.get())).toBe("cancelled");
  });

  it("a handle for an existing job and one from a JSON round-tripped ref read and wait the same job", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "succeeded");
    const saved = JSON.stringify(handle.ref);
    const ref = JSON.parse(saved) as { cloud: string };
    expect(ref).toEqual(handle.ref);
    expect(ref.cloud).toBe(face.refCloud);
    const existing = face.existing(face.cloud(), handle);
    const resumed = face.fromRef(face.cloud(), ref);
    expect(existing.id).toBe(handle.id);
    expect(resumed.id).toBe(handle.id);
    expect(resumed.ref).toEqual(handle.ref);
    expect(phaseOf(await resumed.wait())).toBe("succeeded");
    expect(phaseOf(await existing.get())).toBe("succeeded");
  });

  it("a ref of another cloud or without ids is refused, naming the field, before any call", () => {
    const cloud = face.cloud();
    const other = face.refCloud === "aws" ? "yandex" : "aws";
    const ids = { clusterId: "c", jobId: "j", applicationId: "a", jobRunId: "r" };
    expect(() => face.fromRef(cloud, { ...ids, cloud: other })).toThrow(/cloud: this ref is of/);
    const missing = face.refCloud === "aws" ? "jobRunId" : "jobId";
    const error = (() => {
      try {
        face.fromRef(cloud, { ...ids, [missing]: "" });
      } catch (e) {
        return e as ConnectError;
      }
      throw new Error("expected a throw");
    })();
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toContain(`${missing}: expected a non-empty string`);
  });

  it("abort by signal rejects CANCELED and leaves the job running (cancelOnAbort defaults to false)", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "succeeded");
    const controller = new AbortController();
    const error = await rejection(handle.wait({ signal: controller.signal, onStatus: () => controller.abort(new Error("stop")) }));
    expect(error.code).toBe(Code.Canceled);
    expect(live.has(phaseOf(await handle.get()))).toBe(true);
    await handle.cancel();
  });

  it("timeoutMs rejects DEADLINE_EXCEEDED and leaves the job running", async () => {
    const cloud = face.cloud();
    const handle = await face.submit(cloud, "succeeded");
    const error = await rejection(handle.wait({ timeoutMs: 1_000, initialDelayMs: 400, maxDelayMs: 400 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(live.has(phaseOf(await handle.get()))).toBe(true);
    await handle.cancel();
  });

  // The job would run 5 s more; 300 ms later it is cancelled only if the
  // wait sent the cancel (MRS shows a kill in progress as RUNNING).
  it("cancelOnAbort: abort by signal cancels the job once, then rejects CANCELED", async () => {
    const counter = countCancels();
    const cloud = face.cloud({ interceptors: [counter.interceptor] });
    const handle = await face.submit(cloud, "succeeded");
    const controller = new AbortController();
    const error = await rejection(handle.wait({ signal: controller.signal, cancelOnAbort: true, onStatus: () => controller.abort() }));
    expect(error.code).toBe(Code.Canceled);
    expect(counter.count()).toBe(1);
    emulator.clock.advance(300);
    expect(phaseOf(await handle.get())).toBe("cancelled");
  });

  it("cancelOnAbort: timeoutMs cancels the job once, then rejects DEADLINE_EXCEEDED", async () => {
    const counter = countCancels();
    const cloud = face.cloud({ interceptors: [counter.interceptor] });
    const handle = await face.submit(cloud, "succeeded");
    const error = await rejection(handle.wait({ timeoutMs: 1_000, initialDelayMs: 400, maxDelayMs: 400, cancelOnAbort: true }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(counter.count()).toBe(1);
    emulator.clock.advance(300);
    expect(phaseOf(await handle.get())).toBe("cancelled");
  });

  it("cancelOnAbort: a cancel that fails becomes the rejection's cause", async () => {
    const refusing = face.cloud({ interceptors: [refuseCancel] });
    const handle = await face.submit(refusing, "succeeded");
    const error = await rejection(handle.wait({ timeoutMs: 1_000, initialDelayMs: 400, maxDelayMs: 400, cancelOnAbort: true }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(CloudError.from(error.cause).code).toBe(Code.PermissionDenied);
    expect(String((error.cause as Error).message)).toMatch(/cancel refused by the test/);
    expect(live.has(phaseOf(await handle.get()))).toBe(true);
    await face.existing(face.cloud(), handle).cancel();
  });

  it("close() ends the wait CANCELED and cancels nothing, even with cancelOnAbort", async () => {
    const counter = countCancels();
    const cloud = face.cloud({ interceptors: [counter.interceptor] });
    const handle = await face.submit(cloud, "succeeded");
    const error = await rejection(handle.wait({ cancelOnAbort: true, onStatus: () => cloud.close() }));
    expect(error.code).toBe(Code.Canceled);
    expect(counter.count()).toBe(0);
    const other = face.existing(face.cloud(), handle);
    expect(live.has(phaseOf(await other.get()))).toBe(true);
    await other.cancel();
  });
});

const yandex: Record<string, JobPhase> = {
  STATUS_UNSPECIFIED: "unknown",
  PROVISIONING: "pending",
  PENDING: "pending",
  RUNNING: "running",
  ERROR: "failed",
  DONE: "succeeded",
  CANCELLED: "cancelled",
  CANCELLING: "cancelling",
};

describe("jobPhase", () => {
  it.each([
    ["Data Proc", DataprocJobSchema, DataprocStatusSchema],
    ["Managed Spark", SparkJobSchema, SparkStatusSchema],
  ] as const)("maps every %s Job status", (_name, schema, statuses) => {
    expect(statuses.values.map((v) => v.name).sort()).toEqual(Object.keys(yandex).sort());
    for (const value of statuses.values) expect([value.name, jobPhase(create(schema, { status: value.number }))]).toEqual([value.name, yandex[value.name]]);
    expect(jobPhase(create(schema, { status: 99 as never }))).toBe("unknown");
  });

  it("maps every EMR Serverless JobRun state", () => {
    const expected: Record<string, JobPhase> = {
      JOB_RUN_STATE_UNSPECIFIED: "unknown",
      SUBMITTED: "pending",
      PENDING: "pending",
      SCHEDULED: "pending",
      QUEUED: "pending",
      RUNNING: "running",
      SUCCESS: "succeeded",
      FAILED: "failed",
      CANCELLING: "cancelling",
      CANCELLED: "cancelled",
    };
    expect(JobRunStateSchema.values.map((v) => v.name).sort()).toEqual(Object.keys(expected).sort());
    for (const value of JobRunStateSchema.values) expect([value.name, jobPhase(create(JobRunSchema, { state: value.number }))]).toEqual([value.name, expected[value.name]]);
  });

  it("maps every MRS v2 job_state, refined by job_result", () => {
    const states = ["FAILED", "KILLED", "NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED"];
    const results = ["FAILED", "KILLED", "UNDEFINED", "SUCCEEDED", undefined];
    const expected = (state: string, result: string | undefined): JobPhase => {
      if (state === "FINISHED") return result === "SUCCEEDED" ? "succeeded" : result === "FAILED" ? "failed" : result === "KILLED" ? "cancelled" : "unknown";
      return ({ FAILED: "failed", KILLED: "cancelled", RUNNING: "running" } as Record<string, JobPhase>)[state] ?? "pending";
    };
    for (const jobState of states) {
      for (const jobResult of results) {
        const job = create(JobQueryBeanSchema, { jobState, ...(jobResult === undefined ? {} : { jobResult }) });
        expect([jobState, jobResult, jobPhase(job)]).toEqual([jobState, jobResult, expected(jobState, jobResult)]);
      }
    }
    expect(jobPhase(create(JobQueryBeanSchema, {}))).toBe("unknown");
    expect(jobPhase(create(JobQueryBeanSchema, { jobState: "SOMETHING_NEW" }))).toBe("unknown");
  });

  it("reads plain-data tables keyed by each job message's $typeName", () => {
    const tables = { ...yandexJobPhases, ...awsJobPhases, ...huaweiJobPhases };
    expect(Object.keys(tables).sort()).toEqual([DataprocJobSchema.typeName, SparkJobSchema.typeName, JobRunSchema.typeName, JobQueryBeanSchema.typeName].sort());
    for (const table of Object.values(tables)) {
      // JSON round trip keeps everything: data, no functions or classes
      expect(JSON.parse(JSON.stringify(table))).toEqual(table);
      expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
    }
  });
});

describe("each cloud's own members beside the contract", () => {
  it("EMR Serverless: links() is the run's dashboard from GetDashboardForJobRun", async () => {
    const cloud = aws.cloud() as AwsCloud;
    const run = await startJobRun(cloud, {
      applicationId: emulator.aws.applicationId,
      executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
      jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
    });
    expect(await run.links()).toEqual([{ kind: "dashboard", url: `https://emr-serverless-dashboard.emulator.invalid/applications/${emulator.aws.applicationId}/jobruns/${run.jobRunId}` }]);
    expect(run.ref).toEqual({ cloud: "aws", applicationId: emulator.aws.applicationId, jobRunId: run.jobRunId, arn: run.arn });
    await run.cancel();
  });

  it("Yandex: a handle from a ref has logs(); a ref of the other job service is refused", async () => {
    const cloud = dataproc.cloud() as YandexCloud;
    const job = await dataproc.submit(cloud, "succeeded");
    const resumed = jobHandle(cloud, DataprocJobService, JSON.parse(JSON.stringify(job.ref)) as never);
    await resumed.wait();
    let text = "";
    for await (const chunk of resumed.logs()) text += chunk;
    expect(text.length).toBeGreaterThan(0);
    expect(() => jobHandle(cloud, SparkJobService, job.ref as never)).toThrow(/service: this ref is of "yandex.cloud.dataproc.v1.JobService"/);
  });

  it("MRS: get and cancel take the options object and, as before, a bare signal", async () => {
    const cloud = huawei.cloud() as HuaweiCloud;
    const job = await submitMrsJob(cloud, { clusterId: emulator.clusters[0]!, jobType: "MapReduce", jobName: "shapes" });
    const signal = new AbortController().signal;
    expect((await job.get({ signal })).jobId).toBe(job.jobId);
    expect((await job.get(signal)).jobId).toBe(job.jobId);
    await job.cancel(signal);
    emulator.clock.advance(300);
    expect(jobPhase(await mrsJobHandle(cloud, { clusterId: job.clusterId, jobId: job.jobId }).get())).toBe("cancelled");
  });
});

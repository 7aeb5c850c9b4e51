// Huawei MRS against the emulator's REST face, end to end: createHuaweiCloud
// signs every request (SDK-HMAC-SHA256), the face verifies it with the
// emulator's test AK/SK, and v1.1 and v2 share one job state.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { HuaweiCloudError, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloudOptions } from "../../src/huawei/index.js";
import { JobExecutionService as V1, zonelessUtc } from "../../src/huawei/mrs/v1/index.js";
import { JobExecutionService as V2, listMrsJobs, mrsJobHandle, submitMrsJob } from "../../src/huawei/mrs/v2/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";
import type { Emulator } from "../../src/testing/server.js";

let clock: ManualClock;
let emulator: Emulator<ManualClock>;
let cluster: string;
const cloudFor = (extra: Partial<HuaweiCloudOptions> = {}) => huaweiCloudOn(emulator, extra);

beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startEmulator({ clock, jobTiming: { provisioningMs: 100, pendingMs: 100, runningMs: 5_000, cancellingMs: 200 } });
  cluster = emulator.clusters[0]!;
});
afterEach(async () => {
  await emulator.close();
});

describe("MRS v2 on the emulator", () => {
  it("submit → running → kill → KILLED, with the documented states, 202s and epoch-ms numbers", async () => {
    const statuses: number[] = [];
    const bodies: string[] = [];
    const watching: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      bodies.push(await response.clone().text());
      return response;
    };
    const cloud = cloudFor({ fetch: watching });
    const job = await submitMrsJob(cloud, { clusterId: cluster, jobType: "SparkSubmit", jobName: "pi_job", arguments: ["--class", "Pi"], properties: { a: "1" } });
    expect(job.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await job.get()).jobState).toBe("SUBMITTED");
    clock.advance(300);
    const running = await job.get();
    expect(running).toMatchObject({ jobState: "RUNNING", jobResult: "UNDEFINED", jobName: "pi_job", jobType: "SparkSubmit", arguments: "[--class, Pi]" });
    expect(running.submittedTime).toBe(BigInt(clock.now() - 300));
    // Times travel as JSON numbers, as Huawei sends them.
    expect(bodies.at(-1)).toMatch(/"submitted_time":\d{13}[,}]/);
    expect(statuses.at(-1)).toBe(202);
    await job.cancel();
    expect(statuses.at(-1)).toBe(202);
    expect(bodies.at(-1)).toBe("");
    const killed = await job.wait({ initialDelayMs: 100, maxDelayMs: 100 });
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThan(2);
    expect(killed).toMatchObject({ jobState: "KILLED", jobResult: "KILLED" });
    expect(killed.finishedTime).toBeGreaterThan(killed.startedTime ?? 0n);
  });

  it("runs a job to FINISHED/SUCCEEDED, and a scripted failure to FAILED/FAILED", async () => {
    const cloud = cloudFor();
    const ok = await submitMrsJob(cloud, { clusterId: cluster, jobType: "HiveSql", jobName: "ok", arguments: ["select 1"], properties: { "emulator.duration_ms": "1000" } });
    const bad = await submitMrsJob(cloud, { clusterId: cluster, jobType: "HiveSql", jobName: "bad", properties: { "emulator.outcome": "error" } });
    expect(await ok.wait({ initialDelayMs: 250, maxDelayMs: 250 })).toMatchObject({ jobState: "FINISHED", jobResult: "SUCCEEDED", jobProgress: 100 });
    expect(await bad.wait({ initialDelayMs: 1000, maxDelayMs: 1000 })).toMatchObject({ jobState: "FAILED", jobResult: "FAILED" });
  });

  it("lists with filters and pages through every job", async () => {
    const cloud = cloudFor();
    for (let i = 0; i < 5; i++) await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: `mr_${i}` });
    const names: string[] = [];
    for await (const job of listMrsJobs(cloud, { clusterId: cluster, pageSize: 2 })) names.push(job.jobName ?? "");
    expect(names).toEqual(["mr_4", "mr_3", "mr_2", "mr_1", "mr_0"]);
    const only = await cloud.client(V2).showJobExeListNew({ clusterId: cluster, jobName: "mr_2" });
    expect(only.totalRecord).toBe(1);
    expect(only.jobList[0]?.jobName).toBe("mr_2");
    const asc = await cloud.client(V2).showJobExeListNew({ clusterId: cluster, sortBy: "asc", limit: 1, offset: 1 });
    expect(asc.jobList.map((j) => j.jobName)).toEqual(["mr_1"]);
  });

  it("batch-deletes jobs, after which they are NOT_FOUND with MRS's error body", async () => {
    const cloud = cloudFor();
    const a = await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: "a" });
    await cloud.client(V2).batchDeleteJobs({ clusterId: cluster, jobIdList: [a.jobId] });
    const error = await a.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuaweiCloudError);
    expect(error).toMatchObject({ code: Code.NotFound, httpStatus: 404, errorCode: "0162" });
    expect((error as HuaweiCloudError).requestId).toMatch(/.+/);
  });
});

describe("MRS v1.1 cancel on the emulator", () => {
  it("cancels a running v2 job with project_id filled from the client, and v2 then sees it KILLED", async () => {
    const cloud = cloudFor();
    const job = await submitMrsJob(cloud, { clusterId: cluster, jobType: "SparkSubmit", jobName: "to_cancel" });
    clock.advance(300);
    const submittedAt = clock.now() - 300;
    const { jobExecution } = await cloud.client(V1).cancelJobExecution({ jobExecutionId: job.jobId });
    expect(jobExecution).toMatchObject({ id: job.jobId, clusterId: cluster, tenantId: emulator.huawei.projectId, jobId: "" });
    expect(jobExecution?.endTime).toBeUndefined();
    expect(jobExecution?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(zonelessUtc(jobExecution?.createdAt)?.getTime()).toBe(Math.floor(submittedAt / 1000) * 1000);
    clock.advance(200);
    expect((await mrsJobHandle(cloud, cluster, job.jobId).get()).jobState).toBe("KILLED");
    // A finished job cannot be cancelled.
    const again = await cloud.client(V1).cancelJobExecution({ jobExecutionId: job.jobId }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: Code.InvalidArgument, httpStatus: 400 });
  });
});

describe("APIG signature checks on the emulator", () => {
  it("rejects a wrong secret key with APIGW.0301 and shows both canonical requests", async () => {
    const cloud = cloudFor({ credentials: huaweiCredentials({ accessKey: emulator.huawei.accessKey, secretKey: "wrong-secret-key" }) });
    const error = await cloud.client(V2).showSingleJobExe({ clusterId: cluster, jobExecutionId: "x" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: Code.Unauthenticated, errorCode: "APIGW.0301", httpStatus: 401 });
    const message = (error as HuaweiCloudError).rawMessage;
    const path = `/v2/${emulator.huawei.projectId}/clusters/${cluster}/job-executions/x/`;
    expect(message).toContain(`APIG canonical request: GET|${path}|`);
    expect(message).toContain(`our canonical request:  GET|${path}|`);
    expect(message).not.toContain("wrong-secret-key");
  });

  it("rejects a clock skew over 15 minutes and accepts one under it", async () => {
    const skewed = (ms: number) => cloudFor({ clock: { now: () => clock.now() + ms } });
    const late = await skewed(15 * 60_000 + 1000).client(V2).showJobExeListNew({ clusterId: cluster }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: Code.Unauthenticated, errorCode: "APIGW.0301" });
    expect((late as ConnectError).rawMessage).toMatch(/signature expired, signature time:\d{8}T\d{6}Z,server time:\d{8}T\d{6}Z/);
    const fine = await skewed(-(14 * 60_000)).client(V2).showJobExeListNew({ clusterId: cluster });
    expect(fine.totalRecord).toBe(0);
  });

  it("rejects an unknown access key", async () => {
    const cloud = cloudFor({ credentials: huaweiCredentials({ accessKey: "NOPE0000000000000000", secretKey: emulator.huawei.secretKey }) });
    const error = await cloud.client(V2).showJobExeListNew({ clusterId: cluster }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: "APIGW.0301", httpStatus: 401 });
  });
});

describe("retries on the emulator", () => {
  it("never repeats a submit after a 503 (no duplicate job), but retries reads and kills", async () => {
    // Heals the emulator after the second failed read, whatever the timing.
    let failedReads = 0;
    const healing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 503 && init?.method === "GET" && ++failedReads === 2) emulator.faults.set({});
      return response;
    };
    const cloud = cloudFor({ fetch: healing });
    emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobExecutionService/CreateExecuteJob"] });
    const failed = await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: "once" }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: Code.Unavailable, httpStatus: 503 });
    expect(emulator.callsTo("huawei.mrs.v2.JobExecutionService/CreateExecuteJob")).toHaveLength(1);
    emulator.faults.set({});
    const job = await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: "once" });
    emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobExecutionService/ShowSingleJobExe"] });
    expect((await job.get()).jobId).toBe(job.jobId);
    expect(emulator.callsTo("JobExecutionService/ShowSingleJobExe").map((c) => c.outcome)).toEqual(["UNAVAILABLE", "UNAVAILABLE", "ok"]);
    emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobExecutionService/StopJob"] });
    let failedKills = 0;
    const cloud2 = cloudFor({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (response.status === 503 && ++failedKills === 1) emulator.faults.set({});
        return response;
      },
    });
    await mrsJobHandle(cloud2, cluster, job.jobId).cancel();
    expect(emulator.callsTo("JobExecutionService/StopJob").map((c) => c.outcome)).toEqual(["UNAVAILABLE", "ok"]);
    const list = await cloud.client(V2).showJobExeListNew({ clusterId: cluster });
    expect(list.totalRecord).toBe(1);
  });
});

describe("client-side checks", () => {
  it("refuses a bad submit before any network call, naming the field", async () => {
    let calls = 0;
    const cloud = cloudFor({ fetch: (i, init) => (calls++, fetch(i, init)) });
    await expect(submitMrsJob(cloud, { clusterId: cluster, jobType: "SparkSubmit", jobName: "has space" })).rejects.toThrow(/jobName: 1 to 64/);
    await expect(submitMrsJob(cloud, { clusterId: "", jobType: "SparkSubmit", jobName: "x" })).rejects.toThrow(/clusterId: required/);
    expect(calls).toBe(0);
  });

  it("refuses plaintext http to a non-loopback host", () => {
    expect(() => cloudFor({ endpoint: "http://mrs.example.com" })).toThrow(/plaintext HTTP/);
  });
});

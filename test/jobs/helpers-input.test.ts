// The two defects a new user found (issue 25): bad input to a job helper is
// refused before sending, naming the field, on every cloud (submitMrsJob used
// to turn `arguments: "--class Pi"` into single characters); and a cloud
// without keys is built and rejects its first call UNAUTHENTICATED naming
// what was tried, on Huawei as on Yandex and AWS. A fetch stub counts what
// would have gone out: nothing may.
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createYandexCloud, iamToken, jobHandle, submitJob } from "../../src/index.js";
import { JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { jobRunHandle, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService, listMrsJobs, mrsJobHandle, submitMrsJob } from "../../src/huawei/mrs/v2/index.js";

/** A fetch that answers nothing useful and counts the requests that reached it. */
function countingFetch(): { fetch: typeof fetch; sent: () => number } {
  let sent = 0;
  return {
    fetch: async () => {
      sent++;
      return new Response("{}", { status: 500 });
    },
    sent: () => sent,
  };
}

async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (error) {
    expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
    return error as ConnectError;
  }
  throw new Error("expected a rejection");
}

const huaweiOn = (fetchStub: typeof globalThis.fetch) =>
  createHuaweiCloud({ region: "cn-north-4", projectId: "p1", endpoint: "http://127.0.0.1:9", credentials: huaweiCredentials({ accessKey: "AK", secretKey: "SK" }), fetch: fetchStub, retry: false });

describe("submitMrsJob checks every field before copying or sending it", () => {
  const base = { clusterId: "c1", jobType: "SparkSubmit", jobName: "pi" } as const;
  it.each([
    ["a string for arguments", { arguments: "--class Pi" }, /^arguments: expected a list of strings, got the string "--class Pi"/],
    ["a number in arguments", { arguments: ["--class", 7] }, /^arguments\[1\]: expected a string, got number/],
    ["a list for properties", { properties: ["a=1"] }, /^properties: expected an object of strings, got a list/],
    ["a number in properties", { properties: { "spark.executor.instances": 2 } }, /^properties\["spark.executor.instances"\]: expected a string, got number/],
    ["null properties", { properties: null }, /^properties: expected an object of strings, got null/],
    ["an unknown job type", { jobType: "Pig" }, /^jobType: must be one of/],
  ])("refuses %s", async (_name, extra, message) => {
    const counter = countingFetch();
    const error = await rejection(submitMrsJob(huaweiOn(counter.fetch), { ...base, ...extra } as never));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toMatch(message);
    expect(counter.sent()).toBe(0);
  });

  it("listMrsJobs and mrsJobHandle refuse a missing cluster or job id", async () => {
    const counter = countingFetch();
    const cloud = huaweiOn(counter.fetch);
    await expect(listMrsJobs(cloud, { clusterId: "" }).next()).rejects.toThrow(/clusterId: required/);
    expect(() => mrsJobHandle(cloud, "c1", "")).toThrow(/jobId: expected a non-empty string/);
    expect(() => mrsJobHandle(cloud, { clusterId: 5 } as never)).toThrow(/clusterId: expected a non-empty string, got 5/);
    expect(counter.sent()).toBe(0);
  });
});

describe("the other clouds' helpers refuse the same mistakes, naming the field", () => {
  it("AWS startJobRun and jobRunHandle", async () => {
    const counter = countingFetch();
    const aws = createAwsCloud({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: awsCredentials({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" }), fetch: counter.fetch, retry: false });
    const request = { applicationId: "a", executionRoleArn: "arn:aws:iam::1:role/r", jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py", entryPointArguments: "--class Pi" } } } };
    const error = await rejection(startJobRun(aws, request as never));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toMatch(/entry_point_arguments: expected a list of strings, got a string/);
    expect(() => jobRunHandle(aws, "a", "")).toThrow(/jobRunId: expected a non-empty string/);
    expect(counter.sent()).toBe(0);
  });

  it("Yandex submitJob and jobHandle", async () => {
    const yandex = createYandexCloud({ endpoint: "http://127.0.0.1:9", credentials: iamToken("t1.x"), retry: false });
    const request = { clusterId: "c", jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/a.jar", args: "--class Pi" } } };
    const error = await rejection(submitJob(yandex, DataprocJobService, request as never));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/spark_job.args: expected a list of strings, got a string .*not sent/);
    expect(() => jobHandle(yandex, DataprocJobService, { clusterId: "c", jobId: 1 } as never)).toThrow(/jobId: expected a non-empty string, got 1/);
    yandex.close();
  });
});

describe("a Huawei cloud without keys", () => {
  it("is built, and its first call rejects UNAUTHENTICATED naming the variables tried, before sending", async () => {
    const counter = countingFetch();
    const cloud = createHuaweiCloud({ region: "cn-north-4", projectId: "p1", endpoint: "http://127.0.0.1:9", env: {}, fetch: counter.fetch, retry: false });
    const error = await rejection(cloud.client(JobExecutionService).showSingleJobExe({ clusterId: "c1", jobExecutionId: "j1" }));
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.rawMessage).toMatch(/^no Huawei keys from environment: .*HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK not set/);
    expect(counter.sent()).toBe(0);
    // the same again on the next call: nothing cached, nothing sent
    expect((await rejection(cloud.client(JobExecutionService).stopJob({ clusterId: "c1", jobExecutionId: "j1" }))).code).toBe(Code.Unauthenticated);
    expect(counter.sent()).toBe(0);
    cloud.close();
  });
});

describe("wait options from untyped callers are refused, naming the option, before any read", () => {
  it.each([
    [{ timeoutMs: "10" }, /^timeoutMs: expected a number of milliseconds ≥ 0, got "10"/],
    [{ initialDelayMs: -1 }, /^initialDelayMs: expected a number of milliseconds ≥ 0, got -1/],
    [{ maxDelayMs: Number.NaN }, /^maxDelayMs: expected a number of milliseconds ≥ 0/],
    [{ cancelOnAbort: "yes" }, /^cancelOnAbort: expected true or false, got "yes"/],
    [{ onStatus: "log" }, /^onStatus: expected a function, got string/],
    [{ signal: {} }, /^signal: expected an AbortSignal/],
  ])("%j", async (options, message) => {
    const counter = countingFetch();
    const handle = mrsJobHandle(huaweiOn(counter.fetch), "c1", "j1");
    await expect(handle.wait(options as never)).rejects.toThrow(message);
    expect(counter.sent()).toBe(0);
  });
});

// One error type (§2 of issue 11): every failure of a call or helper is a
// YandexCloudError naming method, endpoint, ids, attempts and cause.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { createRegistry } from "@bufbuild/protobuf";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { RequestInfoSchema } from "../../src/yandex/operation/index.js";
import {
  CloudError,
  OperationError,
  YandexCloudError,
  apiFiles,
  createYandexCloud,
  dataprocJobs,
  fromEnvironment,
  iamToken,
  listJobs,
  oauthToken,
  submitJob,
  waitForJob,
} from "../../src/index.js";
import type { Violation } from "../../src/index.js";
import { file_google_rpc_error_details } from "../../gen/google/rpc/error_details_pb.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import { startHangingServer } from "../support/hanging-server.js";
import type { HangingServer } from "../support/hanging-server.js";

let h: ClientHarness;
let hanging: HangingServer | undefined;
beforeEach(async () => {
  h = await startClientHarness({ oauthTokens: ["y0_known-oauth"] });
});
afterEach(async () => {
  await h.close();
  await hanging?.close();
  hanging = undefined;
});

const longJob = () => dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.duration_ms": "600000" } });
const rejection = async (promise: Promise<unknown>): Promise<YandexCloudError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(YandexCloudError);
  expect(error).toBeInstanceOf(CloudError);
  expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
  return error as YandexCloudError;
};

describe("deadlines", () => {
  it("the client's timeoutMs ends a hanging call with a YandexCloudError naming method, endpoint and ids", async () => {
    hanging = await startHangingServer();
    const cloud = h.cloud({ endpoint: hanging.url, timeoutMs: 30, retry: false });
    const e = await rejection(cloud.client(JobService).get({ clusterId: h.cluster, jobId: "j" }));
    expect(e.code).toBe(Code.DeadlineExceeded);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Get");
    expect(e.endpoint).toBe(hanging.url);
    expect(e.attempts).toBe(1);
    expect(e.clientTraceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toContain(`endpoint ${hanging.url}`);
  });

  it("a per-call timeoutMs does the same", async () => {
    hanging = await startHangingServer();
    const cloud = h.cloud({ endpoint: hanging.url, timeoutMs: 0 });
    const e = await rejection(cloud.client(SparkJobService).list({ clusterId: h.cluster }, { timeoutMs: 30 }));
    expect(e.code).toBe(Code.DeadlineExceeded);
    expect(e.method).toBe("/yandex.cloud.spark.v1.JobService/List");
  });

  it("a caller's abort is CANCELED, with the reason as cause", async () => {
    hanging = await startHangingServer();
    const cloud = h.cloud({ endpoint: hanging.url });
    const controller = new AbortController();
    const call = cloud.client(JobService).get({ clusterId: h.cluster, jobId: "j" }, { signal: controller.signal });
    await hanging.arrived();
    const reason = new Error("user pressed stop");
    controller.abort(reason);
    const e = await rejection(call);
    expect(e.code).toBe(Code.Canceled);
    expect(e.cause).toBe(reason);
    expect(e.attempts).toBe(1);
  });
});

describe("waits", () => {
  it("operation.wait() timing out names the operation, the polled method and the polls", async () => {
    const cloud = h.cloud();
    const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longJob() });
    const e = await rejection(op.wait({ timeoutMs: 20_000, initialDelayMs: 1_000, maxDelayMs: 1_000 }));
    expect(e.code).toBe(Code.DeadlineExceeded);
    expect(e.rawMessage).toBe(`operation ${op.id} did not finish within 20000 ms`);
    expect(e.method).toBe("/yandex.cloud.operation.OperationService/Get");
    expect(e.endpoint).toBe(h.emulator.url);
    expect(e.attempts).toBe(h.emulator.callsTo("OperationService/Get").length + 1);
  });

  it("an aborted wait rejects with CANCELED and the abort reason as cause (WaitOptions.signal)", async () => {
    const controller = new AbortController();
    const cloud = h.cloud({
      sleep: (ms, signal) => {
        if (h.emulator.callsTo("OperationService/Get").length >= 2) controller.abort("enough");
        return h.clock.sleep(ms, signal);
      },
    });
    const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longJob() });
    const e = await rejection(op.wait({ signal: controller.signal }));
    expect(e.code).toBe(Code.Canceled);
    expect(e.cause).toBe("enough");
    expect(e.rawMessage).toBe(`waiting for operation ${op.id} ended: enough`);
    expect(h.emulator.callsTo("OperationService/Get")).toHaveLength(2);
  });

  it("an AbortSignal.timeout()-style reason is DEADLINE_EXCEEDED", async () => {
    const controller = new AbortController();
    const cloud = h.cloud();
    const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longJob() });
    controller.abort(new DOMException("signal timed out", "TimeoutError"));
    const e = await rejection(op.wait({ signal: controller.signal }));
    expect(e.code).toBe(Code.DeadlineExceeded);
  });

  it("submitJob().wait() and waitForJob time out as YandexCloudErrors naming JobService.Get", async () => {
    const cloud = h.cloud();
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longJob() });
    for (const wait of [job.wait({ timeoutMs: 10_000 }), waitForJob(cloud, JobService, job, { timeoutMs: 10_000, initialDelayMs: 2_000 })]) {
      const e = await rejection(wait);
      expect(e.code).toBe(Code.DeadlineExceeded);
      expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Get");
      expect(e.rawMessage).toBe(`job ${job.jobId} did not finish within 10000 ms`);
    }
  });

  it("one rule: operation.wait() rejects on a failed job, the job waits resolve with the ERROR job", async () => {
    const cloud = h.cloud();
    const job = await submitJob(cloud, JobService, {
      clusterId: h.cluster,
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: { "emulator.outcome": "error" } }),
    });
    const e = await rejection(job.operation.wait());
    expect(e).toBeInstanceOf(OperationError);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/Create");
    expect(e.endpoint).toBe(h.emulator.url);
    expect((e as OperationError).operationId).toBe(job.operation.id);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ error: "OperationError", operationId: job.operation.id, method: e.method });
    expect(statusOf(await job.wait())).toBe("ERROR");
    expect(statusOf(await waitForJob(cloud, JobService, job))).toBe("ERROR");
  });
});

const statusOf = (job: { status: number }) => ["?", "PROVISIONING", "PENDING", "RUNNING", "ERROR", "DONE", "CANCELLED", "CANCELLING"][job.status];

describe("helpers", () => {
  it("listJobs stopped by its signal rejects with a YandexCloudError CANCELED naming List", async () => {
    const cloud = h.cloud();
    for (let i = 0; i < 3; i++) await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longJob() });
    const controller = new AbortController();
    const seen: string[] = [];
    const e = await rejection(
      (async () => {
        for await (const job of listJobs(cloud, JobService, h.cluster, { pageSize: 1, signal: controller.signal })) {
          seen.push(job.id);
          controller.abort();
        }
      })(),
    );
    expect(seen).toHaveLength(1);
    expect(e.code).toBe(Code.Canceled);
    expect(e.method).toBe("/yandex.cloud.dataproc.v1.JobService/List");
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(1);
  });
});

describe("before any call", () => {
  it("the plaintext refusal is a YandexCloudError (INVALID_ARGUMENT) naming the endpoint", () => {
    const cloud = createYandexCloud({ credentials: iamToken("t1.x"), endpoint: "http://dataproc.example.com:80", env: {} });
    let thrown: unknown;
    try {
      cloud.client(JobService);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(YandexCloudError);
    const e = thrown as YandexCloudError;
    expect(e.code).toBe(Code.InvalidArgument);
    expect(e.endpoint).toBe("http://dataproc.example.com");
    expect(e.attempts).toBe(0);
    expect(e.rawMessage).toMatch(/refusing to send a bearer token over plaintext HTTP/);
    cloud.close();
  });

  it("validation failures carry one Violation type and name the endpoint; nothing is sent", async () => {
    const cloud = h.cloud();
    const e = await rejection(cloud.client(JobService).get({ clusterId: "", jobId: "j" }));
    expect(e.code).toBe(Code.InvalidArgument);
    const violations: readonly Violation[] = e.violations;
    expect(violations.map((v) => v.path)).toEqual(["cluster_id"]);
    expect(e.endpoint).toBe(h.emulator.url);
    expect(e.attempts).toBe(0);
    expect(h.emulator.callsTo("JobService/Get")).toHaveLength(0);
    expect(JSON.parse(JSON.stringify(e)).violations).toEqual([{ path: "cluster_id", rule: violations[0]!.rule, message: violations[0]!.message }]);
  });
});

describe("credential failures (local, not retried)", () => {
  it("no credentials at all: one metadata request, UNAUTHENTICATED listing what was tried", async () => {
    let metadataRequests = 0;
    const metadata = createServer((_req, res) => {
      metadataRequests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve));
    try {
      const address = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
      const cloud = h.cloud({ credentials: fromEnvironment({ YC_METADATA_ADDR: address }) });
      const e = await rejection(cloud.client(JobService).list({ clusterId: h.cluster }));
      expect(e.code).toBe(Code.Unauthenticated);
      expect(e.rawMessage).toMatch(/YC_IAM_TOKEN, YC_SERVICE_ACCOUNT_KEY_FILE and YC_TOKEN are not set/);
      expect(e.rawMessage).toContain(address);
      expect(e.attempts).toBe(1);
      expect(metadataRequests).toBe(1);
      expect(h.emulator.callsTo("JobService/List")).toHaveLength(0);
    } finally {
      await new Promise((resolve) => metadata.close(resolve));
    }
  });

  it("IAM refusing the OAuth token: one exchange, UNAUTHENTICATED naming the credential", async () => {
    const cloud = h.cloud({ credentials: oauthToken("y0_unknown-oauth") });
    const e = await rejection(cloud.client(JobService).list({ clusterId: h.cluster }));
    expect(e.code).toBe(Code.Unauthenticated);
    expect(e.rawMessage).toMatch(/^no IAM token from OAuth token: IAM answered UNAUTHENTICATED/);
    expect(h.emulator.callsTo("IamTokenService/Create")).toHaveLength(1);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(0);
    expect(e.message).not.toContain("y0_unknown-oauth");
  });
});

describe("details and JSON", () => {
  it("JSON.stringify gives a clean object with details decoded as proto JSON", async () => {
    const cloud = h.cloud();
    const e = await rejection(cloud.client(JobService).get({ clusterId: h.cluster, jobId: "c9qnosuchjob00000000" }));
    const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(["attempts", "code", "details", "endpoint", "error", "ids", "message", "method"]);
    expect(json).toMatchObject({
      error: "YandexCloudError",
      code: "NOT_FOUND",
      method: "/yandex.cloud.dataproc.v1.JobService/Get",
      endpoint: h.emulator.url,
      attempts: 1,
      ids: { "x-request-id": e.requestId, "x-server-trace-id": e.serverTraceId, "x-client-trace-id": e.clientTraceId },
    });
    expect(json.message).toBe(e.rawMessage);
    expect(json.details).toEqual([{ "@type": `type.googleapis.com/${RequestInfoSchema.typeName}`, requestId: e.requestId, servingData: expect.any(String) }]);
  });

  it("details are decoded with the registry given to createYandexCloud, not a built-in one", async () => {
    const withoutDetails = createRegistry(...apiFiles.filter((f) => f !== file_google_rpc_error_details));
    const cloud = h.cloud({ registry: withoutDetails });
    const e = await rejection(cloud.client(JobService).get({ clusterId: h.cluster, jobId: "c9qnosuchjob00000000" }));
    expect(e.details).toHaveLength(1);
    expect(e.statusDetails).toEqual([]);
    expect(JSON.parse(JSON.stringify(e)).details).toEqual([{ "@type": `type.googleapis.com/${RequestInfoSchema.typeName}` }]);
    const full = await rejection(h.cloud().client(JobService).get({ clusterId: h.cluster, jobId: "c9qnosuchjob00000000" }));
    expect(full.statusDetails.map((d) => d.$typeName)).toEqual([RequestInfoSchema.typeName]);
  });
});

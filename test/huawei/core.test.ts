/** Huawei on the shared core: one error type, close(), rejected metadata keys forgotten. */
import { createServer } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HuaweiCloudError, huaweiMetadataCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloudOptions } from "../../src/huawei/index.js";
import { JobExecutionService as V2, submitMrsJob } from "../../src/huawei/mrs/v2/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";
import type { Emulator } from "../../src/testing/server.js";

let clock: ManualClock;
let emulator: Emulator<ManualClock>;
let metadataServer: Server | undefined;
const cloudFor = (extra: Partial<HuaweiCloudOptions> = {}) => huaweiCloudOn(emulator, extra);

beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startEmulator({ clock });
});
afterEach(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => (metadataServer ? metadataServer.close(() => resolve()) : resolve()));
  metadataServer = undefined;
});

function rejection(p: Promise<unknown>): Promise<HuaweiCloudError> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(HuaweiCloudError);
      return error as HuaweiCloudError;
    },
  );
}

describe("HuaweiCloudError on CloudError", () => {
  it("names method, endpoint, attempts and X-Request-Id; local failures (abort, wait timeout) are HuaweiCloudErrors too", async () => {
    const cloud = cloudFor();
    const cluster = emulator.clusters[0]!;
    const missing = await rejection(cloud.client(V2).showSingleJobExe({ clusterId: cluster, jobExecutionId: "nope" }));
    expect(missing).toMatchObject({ code: Code.NotFound, errorCode: "0162", method: "/huawei.mrs.v2.JobExecutionService/ShowSingleJobExe", endpoint: emulator.restUrl, attempts: 1 });
    expect(missing.ids["x-request-id"]).toBe(missing.requestId);
    const controller = new AbortController();
    controller.abort();
    const aborted = await rejection(cloud.client(V2).showJobExeListNew({ clusterId: cluster }, { signal: controller.signal }));
    expect(aborted).toMatchObject({ code: Code.Canceled, attempts: 0, httpStatus: 0 });
    const job = await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: "slow", properties: { "emulator.duration_ms": "600000" } });
    const timeout = await rejection(job.wait({ initialDelayMs: 1_000, maxDelayMs: 1_000, timeoutMs: 3_000 }));
    expect(timeout.code).toBe(Code.DeadlineExceeded);
  });
});

describe("close()", () => {
  it("ends an in-flight call and a wait at once; later calls reject unsent", async () => {
    const cloud = cloudFor();
    const cluster = emulator.clusters[0]!;
    const job = await submitMrsJob(cloud, { clusterId: cluster, jobType: "MapReduce", jobName: "long", properties: { "emulator.duration_ms": "600000" } });
    const waiting = rejection(job.wait({ initialDelayMs: 60_000, maxDelayMs: 60_000 }));
    const hold = emulator.faults.hold({ methods: ["JobExecutionService/ShowJobExeListNew"] });
    const inFlight = rejection(cloud.client(V2).showJobExeListNew({ clusterId: cluster }));
    await hold.arrived;
    cloud.close();
    const errors = await Promise.all([inFlight, waiting]);
    hold.release();
    for (const error of errors) {
      expect(error.code).toBe(Code.Canceled);
      expect(error.rawMessage).toMatch(/client closed/);
    }
    const before = emulator.callsTo("JobExecutionService/ShowSingleJobExe").length;
    expect((await rejection(job.get())).code).toBe(Code.Canceled);
    expect(emulator.callsTo("JobExecutionService/ShowSingleJobExe")).toHaveLength(before);
  });
});

describe("metadata-service keys", () => {
  it("are dropped after APIGW.0301, so the next call fetches fresh ones", async () => {
    let issued = 0;
    metadataServer = createServer((req, res) => {
      if (req.url === "/meta-data/latest/api/token") return void res.writeHead(200).end("session");
      issued++;
      // The first keys are unknown to the gateway (revoked); the second are good.
      const access = issued === 1 ? "REVOKED0000000000000" : emulator.huawei.accessKey;
      const expires = new Date(clock.now() + 24 * 3600_000).toISOString();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ credential: { access, secret: emulator.huawei.secretKey, securitytoken: "tok", expires_at: expires } }));
    });
    await new Promise<void>((resolve) => metadataServer!.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
    const cloud = cloudFor({ credentials: huaweiMetadataCredentials({ endpoint, clock }) });
    const cluster = emulator.clusters[0]!;
    const rejected = await rejection(cloud.client(V2).showJobExeListNew({ clusterId: cluster }));
    expect(rejected.errorCode).toBe("APIGW.0301");
    expect(issued).toBe(1);
    const list = await cloud.client(V2).showJobExeListNew({ clusterId: cluster });
    expect(list.totalRecord).toBe(0);
    expect(issued).toBe(2);
  });
});

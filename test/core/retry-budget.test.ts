// The per-client retry budget (src/core/retry-budget.ts, used by the one
// retry layer of src/core/retry.ts) against outage servers on 127.0.0.1:
// once the bucket is empty the attempts stop multiplying, and successes
// refill it. Sleeps and clocks are injected: nothing waits for real.
import { afterEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { createYandexCloud, defaultRetryBudget, iamToken } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerlessService } from "../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService } from "../../src/huawei/mrs/v2/index.js";
import { RetryBudget } from "../../src/core/retry-budget.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import { startBrokenServer } from "../support/broken-server.js";
import { startJsonServer } from "../support/json-server.js";
import type { JsonServer } from "../support/json-server.js";

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const noWait = async (): Promise<void> => {};

/** Runs `n` calls at once and waits for all; returns how many failed with `code`. */
async function burst(n: number, call: () => Promise<unknown>, code: Code): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: n }, call));
  for (const r of results) if (r.status === "rejected") expect((r.reason as { code?: Code }).code).toBe(code);
  return results.filter((r) => r.status === "rejected").length;
}

describe("RetryBudget", () => {
  it("takes 5 per retry and 10 after a timeout, refuses when short, returns 1 per first-attempt success or what the retry took", () => {
    const budget = new RetryBudget({ ...defaultRetryBudget, capacity: 17 });
    expect(budget.take("timeout")).toBe(10);
    expect(budget.take("other")).toBe(5);
    expect(budget.available).toBe(2);
    expect(budget.take("other")).toBeUndefined();
    expect(budget.available).toBe(2);
    budget.succeeded();
    expect(budget.available).toBe(3);
    budget.succeeded(10);
    expect(budget.available).toBe(13);
    budget.succeeded(10);
    expect(budget.available).toBe(17); // never above the capacity
  });

  it("refuses a bad setting, naming the field", () => {
    expect(() => new RetryBudget({ ...defaultRetryBudget, retryCost: -1 })).toThrow(/retry\.budget\.retryCost must be a finite number ≥ 0 \(got -1\)/);
    expect(() => createYandexCloud({ credentials: iamToken("t1.x"), retry: { budget: { capacity: Number.NaN } } })).toThrow(/retry\.budget\.capacity/);
  });
});

describe("Yandex over gRPC, the emulator answering UNAVAILABLE to every List", () => {
  let h: ClientHarness;
  const setup = async (budget: { capacity: number } | false): Promise<YandexCloud> => {
    h = await startClientHarness();
    cleanup.push(() => h.close());
    return h.cloud({ retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5, budget } });
  };
  const attempts = () => h.emulator.callsTo("JobService/List").length;

  it("retries until the budget is empty, then sends one attempt per call; successes refill it", async () => {
    const cloud = await setup({ capacity: 20 }); // 4 retries at 5 tokens
    const list = () => cloud.client(JobService).list({ clusterId: h.cluster });
    h.emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobService/List"] });
    expect(await burst(10, list, Code.Unavailable)).toBe(10);
    expect(attempts()).toBe(10 + 4);
    // The bucket is empty: another burst adds its first attempts only.
    expect(await burst(10, list, Code.Unavailable)).toBe(10);
    expect(attempts()).toBe(24);
    // The service is back: 10 successes return 10 tokens, two retries' worth.
    h.emulator.faults.clear();
    for (let i = 0; i < 10; i++) await list();
    expect(attempts()).toBe(34);
    h.emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobService/List"] });
    expect(await burst(5, list, Code.Unavailable)).toBe(5);
    expect(attempts()).toBe(34 + 5 + 2);
  });

  it("budget: false lets every call retry on its own", async () => {
    const cloud = await setup(false);
    h.emulator.faults.set({ rate: 1, codes: ["UNAVAILABLE"], methods: ["JobService/List"] });
    expect(await burst(10, () => cloud.client(JobService).list({ clusterId: h.cluster }), Code.Unavailable)).toBe(10);
    expect(attempts()).toBe(10 * 5);
  });
});

describe("a broken connection costs 10 tokens", () => {
  it("Yandex gRPC against a server that resets every stream before answering: 20 tokens pay for two retries", async () => {
    const server = await startBrokenServer("rst-no-error");
    cleanup.push(() => server.close());
    const cloud = createYandexCloud({ endpoint: server.url, credentials: iamToken("t1.x"), sleep: noWait, retry: { maxAttempts: 5, budget: { capacity: 20 } } });
    cleanup.push(() => cloud.close());
    expect(await burst(5, () => cloud.client(JobService).list({ clusterId: "c1" }), Code.Unavailable)).toBe(5);
    expect(server.requests()).toBe(5 + 2);
  });
});

describe("AWS with the default budget (500 tokens, 5 per retry)", () => {
  it("60 calls in an outage send 60 first attempts and 100 retries, not 120; then first attempts only; successes refill", async () => {
    let down = true;
    const server: JsonServer = await startJsonServer(() =>
      down
        ? { status: 500, headers: { "x-amzn-errortype": "InternalServerException" }, body: { message: "down" } }
        : { body: { jobRun: { applicationId: "app1", jobRunId: "r1" } } },
    );
    cleanup.push(() => server.close());
    const aws = createAwsCloud({
      region: "us-east-1",
      endpoint: server.url,
      credentials: awsCredentials({ accessKeyId: "AKIDBUDGET", secretAccessKey: "budget-secret" }),
      sleep: noWait,
      clock: { now: () => Date.UTC(2026, 11, 1) },
    });
    cleanup.push(() => aws.close());
    const get = () => aws.client(EmrServerlessService).getJobRun({ applicationId: "app1", jobRunId: "r1" });
    expect(await burst(60, get, Code.Internal)).toBe(60);
    expect(server.requests).toHaveLength(60 + 100);
    expect(await burst(20, get, Code.Internal)).toBe(20);
    expect(server.requests).toHaveLength(180);
    down = false;
    for (let i = 0; i < 10; i++) await get();
    down = true;
    expect(await burst(5, get, Code.Internal)).toBe(5);
    expect(server.requests).toHaveLength(180 + 10 + 5 + 2);
  });
});

describe("Huawei", () => {
  it("an outage of 503s: 30 tokens at 10 per retry pay for three retries", async () => {
    const server = await startJsonServer(() => ({ status: 503, body: { error_code: "MRS.0001", error_msg: "busy" } }));
    cleanup.push(() => server.close());
    const huawei = createHuaweiCloud({
      region: "cn-north-4",
      projectId: "37caa80116e1403ab603e5eeb48a2f74",
      endpoint: server.url,
      credentials: huaweiCredentials({ accessKey: "BUDGETAK", secretKey: "budget-sk" }),
      sleep: noWait,
      clock: { now: () => Date.UTC(2026, 11, 1) },
      retry: { budget: { capacity: 30, retryCost: 10 } },
    });
    cleanup.push(() => huawei.close());
    const show = () => huawei.client(JobExecutionService).showSingleJobExe({ clusterId: "c1", jobExecutionId: "j1" });
    expect(await burst(8, show, Code.Unavailable)).toBe(8);
    expect(server.requests).toHaveLength(8 + 3);
  });
});

// Server gone: the emulator stops while a client waits on it. The wait must
// end with a clear UNAVAILABLE once the retry budget is spent, not hang, and
// once a server is back on the same address the same client must work again
// (its HTTP/2 session manager reconnects; its cached token is renewed).
import type { Interceptor } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { YandexCloudError, createYandexCloud, dataprocJobs, oauthToken, submitJob, waitForJob } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { SecretScan } from "../support/secret-scan.js";

const OAUTH = "y0_server-gone-oauth-token-0123456789abcdef";
const scan = new SecretScan();
scan.secret(OAUTH);
scan.captureConsole();

let clock: ManualClock;
let emulator: Emulator<ManualClock>;
let cloud: YandexCloud;
let attempts: Array<{ method: string; outcome: string }>;
let onSleep: (() => Promise<void> | void) | undefined;
const emulators: Emulator<ManualClock>[] = [];

const recordAttempts: Interceptor = (next) => async (req) => {
  try {
    const res = await next(req);
    attempts.push({ method: req.method.name, outcome: "ok" });
    return res;
  } catch (error) {
    attempts.push({ method: req.method.name, outcome: Code[(error as { code: Code }).code] ?? String(error) });
    throw error;
  }
};

async function start(port = 0): Promise<Emulator<ManualClock>> {
  const e = await startEmulator({ clock, port, oauthTokens: [OAUTH], pollIntervalSeconds: 1 });
  emulators.push(e);
  return e;
}

beforeEach(async () => {
  clock = new ManualClock();
  attempts = [];
  onSleep = undefined;
  emulator = await start();
  cloud = createYandexCloud({
    endpoint: emulator.url,
    credentials: oauthToken(OAUTH),
    clock,
    // Moves the manual clock (whole ms), and lets a test act between polls.
    sleep: async (ms, signal) => {
      await onSleep?.();
      return clock.sleep(Math.ceil(ms), signal);
    },
    retry: { initialDelayMs: 1, maxDelayMs: 5 }, // the default 5 attempts
    interceptors: [scan.interceptor, recordAttempts],
  });
});
afterEach(async () => {
  cloud.close();
  for (const e of emulators.splice(0)) {
    scan.text("call log", JSON.stringify(e.calls));
    await e.close();
  }
});

const longJob = () => dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: { "emulator.duration_ms": "600000" } });

/** Closes the emulator at the `n`-th sleep of the client (a poll interval or a retry backoff). */
function stopAtSleep(n: number): void {
  let sleeps = 0;
  onSleep = async () => {
    if (++sleeps === n) await emulator.close();
  };
}

function expectClearUnavailable(error: unknown, method: string): void {
  scan.value("server gone", error);
  expect(error).toBeInstanceOf(YandexCloudError);
  const e = error as YandexCloudError;
  expect(e.code).toBe(Code.Unavailable);
  expect(e.method).toBe(method);
  expect(e.message).toMatch(/^\[unavailable\] connect ECONNREFUSED 127\.0\.0\.1:\d+ \(method \/yandex\.cloud\.[\w.]+\/Get, endpoint http:\/\/127\.0\.0\.1:\d+(, \d+ attempts)?\)$/);
}

describe("the emulator stops mid-wait", () => {
  it("waitForJob rejects with UNAVAILABLE after the 5 attempts of the retry budget, in bounded time", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: emulator.clusters[0]!, jobSpec: longJob() });
    stopAtSleep(3);
    // Bounded by the retry budget on the manual clock: a hang would hit the test timeout.
    const error = await waitForJob(cloud, JobService, job).catch((e: unknown) => e);
    expectClearUnavailable(error, "/yandex.cloud.dataproc.v1.JobService/Get");
    const gets = attempts.filter((a) => a.method === "Get").map((a) => a.outcome);
    // Three polls, then the five attempts of the budget: the first dies with
    // the old connection (a transport failure), the rest are refused.
    expect(gets.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    expect(gets.slice(3)).toHaveLength(5);
    expect(gets.slice(4)).toEqual(["Unavailable", "Unavailable", "Unavailable", "Unavailable"]);
  });

  it("operation.wait rejects the same way", async () => {
    const op = await cloud.client(JobService).create({ clusterId: emulator.clusters[0]!, jobSpec: longJob() });
    stopAtSleep(2);
    const error = await op.wait().catch((e: unknown) => e);
    expectClearUnavailable(error, "/yandex.cloud.operation.OperationService/Get");
    const gets = attempts.filter((a) => a.method === "Get").map((a) => a.outcome);
    expect(gets.slice(0, 1)).toEqual(["ok"]);
    expect(gets.slice(1)).toHaveLength(5);
    expect(gets.at(-1)).toBe("Unavailable");
  });

  it("a call in flight when the server goes away fails over to the retries, then UNAVAILABLE", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: emulator.clusters[0]!, jobSpec: longJob() });
    const hold = emulator.faults.hold({ methods: ["JobService/Get"] });
    const pending = cloud.client(JobService).get(job).catch((e: unknown) => e);
    await hold.arrived; // the Get is in the server's hands
    await emulator.close();
    const error = await pending;
    expectClearUnavailable(error, "/yandex.cloud.dataproc.v1.JobService/Get");
    const gets = attempts.filter((a) => a.method === "Get").map((a) => a.outcome);
    expect(gets).toHaveLength(5);
    expect(gets[0]).not.toBe("ok"); // the connection died under it
  });

  it("after a restart on the same port, the same client works again (reconnect + re-auth)", async () => {
    const port = emulator.port;
    const job = await submitJob(cloud, JobService, { clusterId: emulator.clusters[0]!, jobSpec: longJob() });
    stopAtSleep(1);
    expectClearUnavailable(await waitForJob(cloud, JobService, job).catch((e: unknown) => e), "/yandex.cloud.dataproc.v1.JobService/Get");

    const restarted = await start(port);
    expect(restarted.url).toBe(emulator.url);
    const page = await cloud.client(JobService).list({ clusterId: restarted.clusters[0]! });
    expect(page.jobs).toEqual([]); // a new emulator: the old job is gone
    // The token of the old emulator is unknown here: one UNAUTHENTICATED,
    // one re-auth through IamTokenService.Create, and the call goes through.
    expect(restarted.calls.map((c) => `${c.method.split("/")[2]} ${c.outcome}`)).toEqual(["List UNAUTHENTICATED", "Create ok", "List ok"]);
    const again = await submitJob(cloud, JobService, { clusterId: restarted.clusters[0]!, jobSpec: longJob() });
    expect(again.jobId).toMatch(/^c9q/);
  });

  it("a server that never comes back: every call fails fast with the same clear error, nothing hangs", async () => {
    await cloud.client(JobService).list({ clusterId: emulator.clusters[0]! }); // a token and a connection
    const timers = (): number => (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const baseline = timers();
    await emulator.close();
    const errors = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cloud.client(JobService).get({ clusterId: "c9qcluster", jobId: `c9qjob${i}` }).catch((e: unknown) => e)),
    );
    for (const e of errors) expectClearUnavailable(e, "/yandex.cloud.dataproc.v1.JobService/Get");
    expect(timers()).toBeLessThanOrEqual(baseline); // no retry or reconnect timer left behind
  });
});

// The suite-wide audit runs after every test, whatever their order: no token appears in any error, log line or call log entry of this suite.
afterAll(() => {
  expect(scan.leaks()).toEqual([]);
});

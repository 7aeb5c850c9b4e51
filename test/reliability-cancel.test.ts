// Cancellation: aborting any wait, log follow or listing stops all network
// activity at once (the emulator's call log proves it: no call after the
// abort, and a call in flight is seen CANCELLED by the server) and leaves no
// timer behind that would keep the process alive.
//
// These tests use real timers (the client's default sleep), so there is a
// pending timer or request to cancel; the emulator's clock stands still, so
// jobs never finish on their own.
import { ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobService } from "../src/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../src/spark/v1/index.js";
import { dataprocJobs, jobLogs, listJobs, managedSparkJobs, oauthToken, submitJob, waitForJob } from "../src/index.js";
import type { YandexCloud } from "../src/index.js";
import { startClientHarness } from "./client-harness.js";
import type { ClientHarness } from "./client-harness.js";
import { SecretScan } from "./support/secret-scan.js";

/** Runs a FINDING test only on request; skipped in CI until the bug is fixed. */
const finding = process.env.RELIABILITY_FINDINGS ? it : it.skip;

const scan = new SecretScan();
scan.captureConsole();

let h: ClientHarness;
let cloud: YandexCloud;
beforeEach(async () => {
  h = await startClientHarness({ oauthTokens: ["y0_cancel-suite-oauth-token-0123456789"], pollIntervalSeconds: 0.03 });
  scan.secret(h.emulator.iamToken, "y0_cancel-suite-oauth-token-0123456789");
  cloud = h.cloud({ sleep: undefined, interceptors: [scan.interceptor] }); // real timers
});
afterEach(async () => {
  scan.text("call log", JSON.stringify(h.emulator.calls));
  await h.close();
});

const timeouts = (): number =>
  (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((r) => r === "Timeout").length;
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the emulator has logged `n` calls to `method` (real time, bounded). */
async function callsReach(method: string, n: number): Promise<void> {
  for (let i = 0; i < 400 && h.emulator.callsTo(method).length < n; i++) await tick(5);
  expect(h.emulator.callsTo(method).length).toBeGreaterThanOrEqual(n);
}

/**
 * Aborts `controller` and checks what is running under it: every promise
 * rejects with a ConnectError at once, no call reaches the server
 * afterwards, and no timer is left.
 */
async function abortAndCheck(controller: AbortController, running: Array<Promise<unknown>>, baselineTimers: number): Promise<void> {
  const before = new Set(h.emulator.calls.map((c) => c.requestId));
  const t0 = performance.now();
  controller.abort();
  const errors = await Promise.all(
    running.map((p) =>
      p.then(
        () => new Error("expected the aborted operation to reject"),
        (e: unknown) => e,
      ),
    ),
  );
  const ms = performance.now() - t0;
  for (const error of errors) {
    scan.value("aborted", error);
    expect(error).toBeInstanceOf(ConnectError);
  }
  expect(ms).toBeLessThan(250); // far below the 2 s a server holds a call; timers are checked below
  await tick(20); // a call cancelled in flight is logged once the server sees the cancel
  const settled = h.emulator.calls.length;
  // At most the call that was in flight shows up, as CANCELLED by the client.
  const late = h.emulator.calls.filter((c) => !before.has(c.requestId));
  expect(new Set(late.map((c) => c.requestId)).size).toBeLessThanOrEqual(1);
  expect(late.filter((c) => c.outcome !== "CANCELLED" && c.outcome !== "ok")).toEqual([]);
  await tick(120); // four poll intervals: nothing more may arrive
  expect(h.emulator.calls.length).toBe(settled);
  expect(timeouts()).toBeLessThanOrEqual(baselineTimers);
}

/** The outcomes of calls to `method`, one per request (the emulator may log a cancelled call twice, see FINDING). */
function outcomesByRequest(method: string): string[] {
  const byId = new Map<string, string[]>();
  for (const c of h.emulator.callsTo(method)) byId.set(c.requestId, [...(byId.get(c.requestId) ?? []), c.outcome]);
  return [...byId.values()].map((outcomes) => (outcomes.includes("CANCELLED") ? "CANCELLED" : outcomes.join("+")));
}

const longSpec = () => dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: { "emulator.duration_ms": "600000" } });

describe("aborting a wait", () => {
  it("operation.wait, during the poll interval", async () => {
    const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longSpec() });
    const baseline = timeouts();
    const controller = new AbortController();
    const waiting = op.wait({ signal: controller.signal, initialDelayMs: 30, maxDelayMs: 30 });
    await callsReach("OperationService/Get", 2);
    await abortAndCheck(controller, [waiting], baseline);
  });

  it("operation.wait, while a poll is in flight: the server sees it CANCELLED", async () => {
    const op = await cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: longSpec() });
    h.emulator.faults.set({ latencyMs: 2_000, methods: ["OperationService/Get"] });
    const baseline = timeouts();
    const controller = new AbortController();
    const waiting = op.wait({ signal: controller.signal, initialDelayMs: 1 });
    await tick(80); // the first poll is now held by the server
    expect(h.emulator.callsTo("OperationService/Get")).toHaveLength(0);
    await abortAndCheck(controller, [waiting], baseline);
    expect(outcomesByRequest("OperationService/Get")).toEqual(["CANCELLED"]);
  });

  it("waitForJob (and the submitJob handle's wait), during the poll interval", async () => {
    const job = await submitJob(cloud, SparkJobService, {
      clusterId: h.cluster,
      jobSpec: managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://b/m.py", properties: { "emulator.duration_ms": "600000" } }),
    });
    const baseline = timeouts();
    const controller = new AbortController();
    const waits = [
      waitForJob(cloud, SparkJobService, job, { signal: controller.signal, initialIntervalMs: 30, maxIntervalMs: 30 }),
      job.wait({ signal: controller.signal, initialIntervalMs: 30, maxIntervalMs: 30 }),
    ];
    await callsReach("JobService/Get", 4);
    await abortAndCheck(controller, waits, baseline);
  });

  it("waitForJob, while a Get is in flight", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longSpec() });
    h.emulator.faults.set({ latencyMs: 2_000, methods: ["JobService/Get"] });
    const baseline = timeouts();
    const controller = new AbortController();
    const waiting = waitForJob(cloud, JobService, job, { signal: controller.signal });
    await tick(80);
    await abortAndCheck(controller, [waiting], baseline);
    expect(outcomesByRequest("JobService/Get")).toEqual(["CANCELLED"]);
  });

  it("a wait whose credentials are still being fetched (IAM slow): the wait ends at once, the shared exchange finishes alone", async () => {
    const c = h.cloud({ sleep: undefined, credentials: oauthToken("y0_cancel-suite-oauth-token-0123456789"), interceptors: [scan.interceptor] });
    h.emulator.faults.set({ latencyMs: 300, methods: ["IamTokenService/Create"] });
    const baseline = timeouts();
    const controller = new AbortController();
    const waiting = waitForJob(c, JobService, { clusterId: h.cluster, jobId: "c9qjob" }, { signal: controller.signal });
    await tick(80);
    const t0 = performance.now();
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(ConnectError);
    expect(performance.now() - t0).toBeLessThan(250);
    // By design (src/credentials/abortable.ts) the token exchange other
    // callers may share is not cancelled: it completes, caches the token, and
    // nothing else is sent.
    await tick(400);
    expect(h.emulator.calls.map((call) => `${call.method.split("/")[2]} ${call.outcome}`)).toEqual(["Create ok"]);
    expect(timeouts()).toBeLessThanOrEqual(baseline);
  });
});

describe("aborting a log follow", () => {
  it("while it waits for more output", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longSpec() });
    h.clock.advance(60_000); // running, with some log
    const baseline = timeouts();
    const controller = new AbortController();
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const text of jobLogs(cloud, JobService, job, { follow: true, signal: controller.signal, pollIntervalMs: 30 })) chunks.push(text);
    })();
    await callsReach("JobService/ListLog", 3);
    await abortAndCheck(controller, [reading], baseline);
    expect(chunks.join("").length).toBeGreaterThan(0);
  });

  it("while a ListLog page is in flight", async () => {
    const job = await submitJob(cloud, JobService, { clusterId: h.cluster, jobSpec: longSpec() });
    h.clock.advance(60_000);
    h.emulator.faults.set({ latencyMs: 2_000, methods: ["JobService/ListLog"] });
    const baseline = timeouts();
    const controller = new AbortController();
    const reading = (async () => {
      for await (const _ of jobLogs(cloud, JobService, job, { follow: true, signal: controller.signal })) void _;
    })();
    await tick(80);
    await abortAndCheck(controller, [reading], baseline);
    expect(outcomesByRequest("JobService/ListLog")).toEqual(["CANCELLED"]);
  });
});

describe("aborting a listing", () => {
  async function createJobs(n: number): Promise<void> {
    const jobs = cloud.client(JobService);
    await Promise.all(Array.from({ length: n }, () => jobs.create({ clusterId: h.cluster, jobSpec: dataprocJobs.hive({ queryFileUri: "s3a://b/q.sql" }) })));
  }

  it("while a page is in flight", async () => {
    await createJobs(30);
    h.emulator.clearCalls();
    h.emulator.faults.set({ latencyMs: 2_000, methods: ["JobService/List"] });
    const baseline = timeouts();
    const controller = new AbortController();
    const seen: string[] = [];
    const listing = (async () => {
      for await (const job of listJobs(cloud, JobService, h.cluster, { pageSize: 10, signal: controller.signal })) seen.push(job.id);
    })();
    await tick(80);
    await abortAndCheck(controller, [listing], baseline);
    expect(seen).toEqual([]);
    expect(outcomesByRequest("JobService/List")).toEqual(["CANCELLED"]);
  });

  // FIXED FINDING: a call made with an already-aborted signal still went on the
  // wire: connect-node opens the HTTP/2 stream and sends its HEADERS (with
  // the bearer token) before resetting it. listJobs (and jobLogs, waitForJob)
  // start their next call without checking the signal, so a consumer that
  // aborts mid-page still causes one more List request (the emulator logs it
  // as UNIMPLEMENTED, see the call-log FINDING below). Fix: in the outermost
  // interceptor (src/client/interceptors/errors.ts) or retry.ts, throw
  // ConnectError.from(req.signal.reason, Code.Canceled) without calling next()
  // when req.signal is already aborted; and `options.signal?.throwIfAborted()`
  // before each page in list-jobs.ts / job-logs.ts.
  it("between pages: the next page is never requested", async () => {
    await createJobs(30);
    h.emulator.clearCalls();
    const baseline = timeouts();
    const controller = new AbortController();
    const seen: string[] = [];
    const listing = (async () => {
      for await (const job of listJobs(cloud, JobService, h.cluster, { pageSize: 10, signal: controller.signal })) {
        seen.push(job.id);
        if (seen.length === 15) {
          controller.abort(); // the consumer stops mid-page 2
          await tick(0);
        }
      }
    })();
    const error = await listing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(seen).toHaveLength(20); // page 2 is drained from memory; page 3 is never asked for
    await tick(100);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(2);
    expect(timeouts()).toBeLessThanOrEqual(baseline);
  });
});

describe("the emulator's call log under cancellation", () => {
  // FINDING: the emulator logs a call that the client cancels while its
  // handler runs twice, with the same requestId: first "ok" (the HTTP/2
  // layer's res "close" handler in src/testing/http.ts runs before the
  // pipeline has set state.logged, and outcomeOf() reads the closed response
  // as finished), then "CANCELLED" (the pipeline). A call whose stream is
  // reset before its body arrives is logged as UNIMPLEMENTED. Fix: set a
  // "dispatched" flag before adapter(req, res) and let the pipeline alone log
  // dispatched calls; log an undispatched RST_STREAM(CANCEL) as CANCELLED.
  finding("a call cancelled by the client is logged once, as CANCELLED", async () => {
    h.emulator.faults.set({ latencyMs: 2_000, methods: ["JobService/List"] });
    const controller = new AbortController();
    const call = cloud.client(JobService).list({ clusterId: h.cluster }, { signal: controller.signal }).catch((e: unknown) => e);
    await tick(80);
    controller.abort();
    await call;
    await tick(50);
    expect(h.emulator.callsTo("JobService/List").map((c) => c.outcome)).toEqual(["CANCELLED"]);
  });
});

describe("secrets", () => {
  it("no token appears in any error, log line or call log entry of this suite", () => {
    expect(scan.secretCount).toBeGreaterThan(1);
    expect(scan.leaks()).toEqual([]);
  });
});

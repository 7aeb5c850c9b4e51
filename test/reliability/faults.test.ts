// Reliability under faults: 250 job submissions over both job services while
// about 20 % of all attempts fail (UNAVAILABLE, RESOURCE_EXHAUSTED, reset
// streams, streams reset after the server handled the call, and connections
// killed under the calls in flight), and the first polls of every new
// operation answer NOT_FOUND. Exactly 250 jobs must exist afterwards, each
// waited to its terminal status, with no duplicate, no lost submission and no
// unhandled rejection, in bounded time. bench/soak.mjs runs the same
// campaign (bench/lib/fault-campaign.mjs) with 5 000 submissions.
//
// FIXED FINDING comments record the library or emulator bugs this suite
// found, and the test that keeps each one fixed. Every test owns its
// emulator (or broken server) and asserts on its own results only.
import { describe, expect, it, onTestFailed } from "vitest";
import { Code } from "@connectrpc/connect";
import { emulatorConnectionResetMix, runFaultCampaign } from "../../bench/lib/fault-campaign.mjs";
import type { CampaignResult } from "../../bench/lib/fault-campaign.mjs";
import { JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import {
  OperationError,
  YandexCloudError,
  createYandexCloud,
  dataprocJobs,
  iamToken,
  isTerminal,
  listJobs,
  managedSparkJobs,
  statusName,
  submitJob,
  waitForJob,
} from "../../src/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import { startBrokenServer } from "../support/broken-server.js";
import type { BreakMode } from "../support/broken-server.js";
import { SecretScan } from "../support/secret-scan.js";

const lib = {
  startEmulator,
  ManualClock,
  createYandexCloud,
  iamToken,
  submitJob,
  waitForJob,
  listJobs,
  dataprocJobs,
  managedSparkJobs,
  isTerminal,
  statusName,
  OperationError,
  DataprocJobService,
  SparkJobService,
};

const spark = () => dataprocJobs.spark({ mainJarFileUri: "s3a://bucket/app.jar" });

describe("250 submissions under 20 % injected faults", () => {
  it("every submission creates exactly one job, waited to its terminal status, with every fault kind injected and no secret leaked", async () => {
    const scan = new SecretScan();
    scan.captureConsole();
    const result: CampaignResult = await runFaultCampaign(lib, {
      // 250 keeps the suite under its 60 s budget; every fault kind still shows up many times.
      submissions: 250,
      concurrency: 50,
      interceptors: [scan.interceptor, scan.errorTap],
      onError: (source, error) => scan.value(source, error),
    });
    const f = result.figures;
    // The campaign's figures explain a failure; on a pass they are noise in `npm test`.
    onTestFailed(() => console.info(`reliability-faults figures: ${JSON.stringify({ ...f, attemptErrors: undefined })}`));
    expect(result.violations).toEqual([]);
    expect(f.lost).toBe(0);
    expect(f.submitted).toBe(250);
    expect(f.waited).toBe(250);
    expect(f.jobsListed).toBe(250);
    expect(f.perService).toEqual({ dataproc: 125, spark: 125 });
    expect(f.duplicates).toBe(0);
    expect(f.orphans).toBe(0);
    expect(f.idempotencyKeys).toBe(250);
    expect(f.unhandledRejections).toBe(0);
    expect(f.statuses).toEqual({ DONE: 215, ERROR: 25, CANCELLED: 10 });
    // No wall-clock bound: a hang hits the test timeout; timings are bench/soak.mjs's business.

    // It really injected every fault kind, at about 20 % of all attempts.
    for (const kind of ["UNAVAILABLE", "RESOURCE_EXHAUSTED", "reset-stream", "reset-after-handling", "not-found-poll", "connection-reset (proxy fin)"]) {
      expect(f.faultsByKind[kind], kind).toBeGreaterThan(0);
    }
    expect(f.transientFaultFraction).toBeGreaterThan(0.15);
    expect(f.transientFaultFraction).toBeLessThan(0.35);
    // Creates the server handled but whose answer was lost were retried with
    // the same key: more handled Creates than jobs, and still 250 jobs.
    expect(f.createsHandledByServer).toBeGreaterThan(250);
    expect(f.createCalls).toBeGreaterThan(f.createsHandledByServer);
    // The call log agrees: every injected fault shows as a failed outcome.
    const sum = (entries: Array<[string, number]>): number => entries.reduce((n, [, c]) => n + c, 0);
    const failedInLog = sum(Object.entries(f.outcomes).filter(([o]) => o !== "ok"));
    const emulatorFaults = sum(Object.entries(f.faultsByKind).filter(([k]) => !k.startsWith("connection-reset")));
    expect(failedInLog).toBe(emulatorFaults);

    // No token appears in any error, log line or call log entry.
    scan.text("call log", JSON.stringify(result.calls));
    expect(scan.secretCount).toBeGreaterThan(0);
    expect(scan.textCount).toBeGreaterThan(100);
    expect(scan.leaks()).toEqual([]);
  }, 120_000);

  // FIXED FINDING: the emulator's own `resetConnection` fault crashed the process
  // that hosts it. src/testing/http.ts resets with `stream.session.destroy()`
  // from inside a request; with other streams in flight on that session,
  // Node 20.20's http2 (nghttp2 teardown: "frame type 3 was not sent, code
  // -530" then "make done session callback") corrupts the heap: the process
  // dies with "corrupted size vs. prev_size" / "malloc(): mismatching
  // next->prev_size" / SIGSEGV, 2 runs in 3 at 1 % of 500 submissions. The
  // clients that survive also hang (see the rst-no-error FINDING below).
  // Destroying the raw TCP socket instead (kept from the server's
  // "connection" event, keyed by remote port; session.socket is a proxy that
  // forbids destroy()) survived 5/5 runs and gives clients ECONNRESET/CANCEL.
  it("with the emulator's own resetConnection fault in the mix, 150 submissions still make 150 jobs", async () => {
    const r = await runFaultCampaign(lib, { submissions: 150, faults: emulatorConnectionResetMix, proxy: null });
    expect(r.violations).toEqual([]);
  });
});

describe("transport failures are classified as retryable", () => {
  /** Create through `createYandexCloud` against a server that breaks every request the same way. */
  async function createAgainst(mode: BreakMode): Promise<{ error: unknown; attempts: number }> {
    const scan = new SecretScan();
    const server = await startBrokenServer(mode);
    const cloud = createYandexCloud({
      endpoint: server.url,
      credentials: iamToken("t1.broken-server-test-token-000000000000"),
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
      // No deadline: a call that only a deadline would end hangs until the test timeout.
      timeoutMs: 0,
    });
    try {
      const error = await cloud.client(DataprocJobService).create({ clusterId: "c9qcluster", jobSpec: spark() }).catch((e: unknown) => e);
      scan.secret("t1.broken-server-test-token-000000000000");
      scan.value(`broken server ${mode}`, error);
      expect(scan.leaks()).toEqual([]);
      return { error, attempts: server.requests() };
    } finally {
      cloud.close();
      await server.close();
    }
  }

  it("a stream reset with INTERNAL_ERROR is retried (baseline)", async () => {
    // The emulator's reset-stream, seen from the client: retried as UNAVAILABLE would be.
    const clock = new ManualClock();
    const emulator = await startEmulator({ clock });
    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, retry: { initialDelayMs: 1, maxDelayMs: 2 } });
    try {
      emulator.faults.script(["reset-stream", "reset-stream"], { methods: ["JobService/Create"] });
      const op = await cloud.client(DataprocJobService).create({ clusterId: emulator.clusters[0]!, jobSpec: spark() });
      expect(op.decodedMetadata?.jobId).toMatch(/^c9q/);
      expect(emulator.callsTo("JobService/Create").map((c) => c.outcome)).toEqual(["RESET", "RESET", "ok"]);
    } finally {
      cloud.close();
      await emulator.close();
    }
  });

  // FIXED FINDING: a TCP RST under a call (ECONNRESET) was never retried, not even
  // for reads. connect-node maps ECONNRESET (and ERR_STREAM_DESTROYED,
  // ERR_HTTP2_INVALID_STREAM) to Code.Aborted ("[aborted] read ECONNRESET"),
  // and isTransportFailure() in src/client/interceptors/retry.ts only
  // considers INTERNAL/UNKNOWN/CANCELED. In the 500-submission campaign with
  // RST instead of FIN connection kills, 9 of 500 submissions were lost this
  // way (their waits failed). Fix: accept Code.Aborted too when there is no
  // grpc-status (the server never said ABORTED), e.g.
  // `[Internal, Unknown, Canceled, Aborted].includes(code)`.
  it("a TCP reset (ECONNRESET) under a Create is retried", async () => {
    const { error, attempts } = await createAgainst("tcp-rst");
    expect(error).toBeInstanceOf(YandexCloudError);
    expect(attempts).toBe(3);
  });

  // FIXED FINDING: a stream that ends after the response headers without trailers
  // ("protocol error: missing status", INTERNAL, no grpc-status) is not
  // retried for a Create: the regex in isTransportFailure() does not match
  // that message. Seen 47-68 times per 5 000 calls when the emulator resets
  // connections. Fix: classify by the missing grpc-status alone, not by the
  // wording of the message.
  it("a stream that ends without a gRPC status is retried for a Create", async () => {
    const { error, attempts } = await createAgainst("headers-then-close");
    expect((error as YandexCloudError).code).toBe(Code.Internal);
    expect(attempts).toBe(3);
  });

  // FIXED FINDING (upstream, connect-node 2.1.1, connectrpc/connect-es#1678):
  // when a stream is closed with NO_ERROR before any response, the unary
  // call never settled; only the deadline ended it (createYandexCloud's
  // default is 60 s, and then DEADLINE_EXCEEDED is not retried for a
  // Create). 49 of 5 000 calls hung this way when the emulator reset
  // connections. src/client/grpc-session.ts fails such a stream at once with
  // UNAVAILABLE, marked as a connection failure, so it is retried. This test
  // runs with no deadline at all: without the fix it hangs to the test timeout.
  it("a stream closed with NO_ERROR before the response fails at once and is retried", async () => {
    const { error, attempts } = await createAgainst("rst-no-error");
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Unavailable);
    expect(attempts).toBe(3);
  });

  it("a read on such a stream is retried the same way, and the client works afterwards", async () => {
    const server = await startBrokenServer("rst-no-error");
    const cloud = createYandexCloud({ endpoint: server.url, credentials: iamToken("t1.broken-server-test-token-000000000000"), timeoutMs: 0, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 } });
    try {
      const jobs = cloud.client(DataprocJobService);
      for (const expected of [2, 4]) {
        const error = await jobs.get({ clusterId: "c9qcluster", jobId: "c9qjob" }).catch((e: unknown) => e);
        expect((error as YandexCloudError).code).toBe(Code.Unavailable);
        expect(server.requests()).toBe(expected);
      }
    } finally {
      cloud.close();
      await server.close();
    }
  });
});

describe("the emulator's manual clock", () => {
  // FIXED FINDING: ManualClock.sleep(ms) advanced by fractional ms, and the retry
  // interceptor's jittered delays are fractional (Math.random() * …). After
  // one retry through `sleep: clock.sleep` (what the docs recommend), the
  // emulator clock is fractional and every response holding a timestamp
  // taken from it fails to encode: "[internal] serialize binary: cannot
  // encode field google.protobuf.Timestamp.nanos to binary: invalid int32:
  // 5190429.6875". In the campaign, List of all jobs then fails. Fix either
  // side: floor in the emulator (timestampFromMs(Math.floor(ms)) in
  // src/testing/services/jobs.ts render()/create and operations.ts
  // toMessage), or make ManualClock.advance/sleep keep whole milliseconds.
  // The campaign rounds its sleeps up meanwhile (roundSleeps).
  it("a retried call through clock.sleep leaves the emulator able to encode timestamps", async () => {
    const clock = new ManualClock();
    const emulator = await startEmulator({ clock });
    const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
    try {
      emulator.faults.failNext(1, "UNAVAILABLE", { methods: ["JobService/List"] });
      await cloud.client(DataprocJobService).list({ clusterId: emulator.clusters[0]! });
      expect(Number.isInteger(clock.now())).toBe(true); // the jittered retry delay is slept in whole milliseconds
      const op = await cloud.client(DataprocJobService).create({ clusterId: emulator.clusters[0]!, jobSpec: spark() });
      expect(op.decodedMetadata?.jobId).toMatch(/^c9q/);
    } finally {
      cloud.close();
      await emulator.close();
    }
  });
});

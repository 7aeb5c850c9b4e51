// Token storms: IAM tokens that expire (early, or on the clock) while 200
// calls are in flight, injected UNAUTHENTICATED answers, and an IAM endpoint
// that goes away while the cached token is still good.
import type { Interceptor } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startChaosProxy } from "../../bench/lib/chaos-proxy.mjs";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { YandexCloudError, dataprocJobs, iamToken, metadataService, oauthToken, serviceAccountKey } from "../../src/index.js";
import type { Credentials } from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import { SecretScan } from "../support/secret-scan.js";

const OAUTH = "y0_reliability-oauth-token-0123456789abcdef";
const HOUR = 3_600_000;
const scan = new SecretScan();
scan.secret(OAUTH);
scan.captureConsole();

let h: ClientHarness;
let unhandled: unknown[];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(async () => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
  h = await startClientHarness({ oauthTokens: [OAUTH], tokenLifetimeMs: HOUR });
  scan.secret(h.emulator.iamToken);
});
afterEach(async () => {
  await new Promise((r) => setImmediate(r));
  process.off("unhandledRejection", onUnhandled);
  scan.text("call log", JSON.stringify(h.emulator.calls));
  await h.close();
  expect(unhandled).toEqual([]);
});

const iamCreates = () => h.emulator.callsTo("IamTokenService/Create");
/** Whole-millisecond sleeps (see the fractional-clock FINDING in reliability-faults.test.ts). */
const sleep = (ms: number, signal?: AbortSignal) => h.clock.sleep(Math.ceil(ms), signal);

describe("tokens expiring under 100 concurrent calls", () => {
  it("one IamTokenService.Create per expiry, early or on the clock, and every call succeeds", async () => {
    const key = await h.emulator.createServiceAccountKey();
    scan.key(key);
    let completed = 0;
    let trigger: (() => void) | undefined;
    const midRun: Interceptor = (next) => async (req) => {
      const res = await next(req);
      if (req.method.name === "List" && ++completed === 50) trigger?.();
      return res;
    };
    const cloud = h.cloud({ credentials: serviceAccountKey(key), sleep, interceptors: [scan.interceptor, midRun] });
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: h.cluster }); // first token
    expect(iamCreates()).toHaveLength(1);

    // Early expiry: the service revokes every token while 100 callers are
    // busy (2 calls each; the revocation lands after the 50th answer).
    completed = 0;
    trigger = () => h.emulator.expireTokens();
    const failed: unknown[] = [];
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        for (let i = 0; i < 2; i++) await jobs.list({ clusterId: h.cluster }).catch((e: unknown) => failed.push(e));
      }),
    );
    trigger = undefined;
    for (const f of failed) scan.value("early expiry", f);
    expect(failed).toEqual([]);
    expect(iamCreates(), "after the early expiry").toHaveLength(2);

    // Expiry on the clock: the token is past expires_at when 100 concurrent
    // calls ask for it; they all wait for the same single refresh.
    h.clock.advance(HOUR);
    await Promise.all(Array.from({ length: 100 }, () => jobs.list({ clusterId: h.cluster })));
    expect(iamCreates(), "after the expiry on the clock").toHaveLength(3);
    expect(iamCreates().every((c) => c.outcome === "ok")).toBe(true);
    const lists = h.emulator.callsTo("JobService/List");
    // Calls caught with a revoked token were answered UNAUTHENTICATED once and re-sent once.
    const unauthenticated = lists.filter((c) => c.outcome === "UNAUTHENTICATED").length;
    expect(unauthenticated).toBeGreaterThan(0);
    expect(lists.filter((c) => c.outcome === "ok")).toHaveLength(1 + 200 + 100);
    expect(lists.length).toBe(1 + 200 + 100 + unauthenticated);
    expect(unauthenticated).toBeLessThanOrEqual(200); // at most one re-send per call
  });
});

describe("UNAUTHENTICATED from the service", () => {
  it("one re-auth and a successful retry, for a read and for a Create (same Idempotency-Key)", async () => {
    const cloud = h.cloud({ credentials: oauthToken(OAUTH), sleep, interceptors: [scan.interceptor] });
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: h.cluster });
    expect(iamCreates()).toHaveLength(1);

    h.emulator.faults.failNext(1, "UNAUTHENTICATED", { methods: ["JobService/Get", "JobService/Create"] });
    const op = await jobs.create({ clusterId: h.cluster, jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar" }) });
    expect(iamCreates()).toHaveLength(2);
    const creates = h.emulator.callsTo("JobService/Create");
    expect(creates.map((c) => c.outcome)).toEqual(["UNAUTHENTICATED", "ok"]);
    expect(creates[0]!.idempotencyKey).toBe(creates[1]!.idempotencyKey);

    h.emulator.faults.failNext(1, "UNAUTHENTICATED", { methods: ["JobService/Get"] });
    const job = await jobs.get({ clusterId: h.cluster, jobId: op.decodedMetadata!.jobId });
    expect(job.id).toBe(op.decodedMetadata!.jobId);
    expect(h.emulator.callsTo("JobService/Get").map((c) => c.outcome)).toEqual(["UNAUTHENTICATED", "ok"]);
    expect(iamCreates()).toHaveLength(3);
    expect((await jobs.list({ clusterId: h.cluster })).jobs).toHaveLength(1);
  });

  it("a second UNAUTHENTICATED is final: one re-auth only, no loop", async () => {
    const cloud = h.cloud({ credentials: oauthToken(OAUTH), sleep });
    const jobs = cloud.client(JobService);
    h.emulator.faults.failNext(5, "UNAUTHENTICATED", { methods: ["JobService/List"] });
    const error = await jobs.list({ clusterId: h.cluster }).catch((e: unknown) => e);
    scan.value("double unauthenticated", error);
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Unauthenticated);
    expect(h.emulator.callsTo("JobService/List").map((c) => c.outcome)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED"]);
    expect(iamCreates()).toHaveLength(2);
  });

  it("a fixed IAM token cannot be renewed: the error surfaces at once, IAM is never called", async () => {
    const cloud = h.cloud({ credentials: iamToken(h.emulator.iamToken), sleep });
    h.emulator.expireTokens();
    const error = await cloud.client(JobService).list({ clusterId: h.cluster }).catch((e: unknown) => e);
    scan.value("fixed token expired", error);
    expect((error as YandexCloudError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/^\[unauthenticated\] the IAM token has expired \(method \/yandex\.cloud\.dataproc\.v1\.JobService\/List/);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(1);
    expect(iamCreates()).toHaveLength(0);
  });
});

describe("IAM endpoint down", () => {
  it("calls keep working on the cached token; once it is too old, a clear error; when IAM is back, calls work again", async () => {
    let iam = await startChaosProxy(h.emulator.port);
    const port = iam.port;
    const iamAttempts: string[] = [];
    const countIam: Interceptor = (next) => async (req) => {
      if (req.service.typeName !== "yandex.cloud.iam.v1.IamTokenService") return next(req);
      try {
        const res = await next(req);
        iamAttempts.push("ok");
        return res;
      } catch (error) {
        // ECONNREFUSED (UNAVAILABLE), or CANCEL for the connection that was open when IAM went away.
        const code = (error as { code?: number }).code;
        iamAttempts.push(code === Code.Unavailable || code === Code.Canceled ? "unavailable" : String(error));
        throw error;
      }
    };
    // Every token exchange the credentials start, including background
    // refreshes the calls do not wait for: the test waits on these.
    const exchanges = new Set<Promise<unknown>>();
    const oauth = oauthToken(OAUTH);
    const tracked: Credentials = {
      kind: oauth.kind,
      invalidate: (token) => oauth.invalidate(token),
      token: (context) =>
        oauth.token({
          ...context,
          exchange: (identity, signal) => {
            const exchange = context.exchange(identity, signal);
            const settled: Promise<boolean> = exchange.then(
              () => exchanges.delete(settled),
              () => exchanges.delete(settled),
            );
            exchanges.add(settled);
            return exchange;
          },
        }),
    };
    /** Resolves once no exchange is running (a failed background refresh has ended). */
    const exchangesSettled = async (): Promise<void> => {
      while (exchanges.size > 0) await Promise.all(exchanges);
    };
    const cloud = h.cloud({
      credentials: tracked,
      endpoints: { "yandex.cloud.iam": iam.url },
      sleep,
      retry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
      interceptors: [scan.interceptor, countIam],
    });
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: h.cluster });
    expect(iamAttempts).toEqual(["ok"]);

    await iam.close(); // IAM is gone: connections to it are refused
    // 40 min: past half the 1 h lifetime, so each call may try a background
    // refresh; those fail, and the cached token keeps being used.
    h.clock.advance(40 * 60_000);
    for (let i = 0; i < 5; i++) {
      await Promise.all(Array.from({ length: 20 }, () => jobs.list({ clusterId: h.cluster })));
      await exchangesSettled(); // the background refresh has failed
      h.clock.advance(60_000);
    }
    expect(h.emulator.callsTo("JobService/List").filter((c) => c.outcome !== "ok")).toEqual([]);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(101);
    expect(iamAttempts.filter((a) => a !== "ok").length).toBeGreaterThan(0);
    expect(iamAttempts.filter((a) => a !== "ok" && a !== "unavailable")).toEqual([]);
    // A failed background refresh waits 10 s before the next try: not one per call.
    expect(iamAttempts.length).toBeLessThanOrEqual(1 + 5 * 3);

    // 59.5 min after issue the token is inside the safety margin: a call now
    // needs a new one and fails, clearly and promptly, after the retry budget.
    h.clock.advance(14 * 60_000 + 30_000);
    // Promptly: the retries sleep on the manual clock, so nothing here waits
    // for real time; a hang would hit the test timeout.
    const error = await jobs.list({ clusterId: h.cluster }).catch((e: unknown) => e);
    scan.value("iam down", error);
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Unavailable);
    // The call that failed is List; the message says it was the token exchange.
    expect((error as YandexCloudError).method).toBe("/yandex.cloud.dataproc.v1.JobService/List");
    expect((error as Error).message).toMatch(/no IAM token from OAuth token: IAM answered UNAVAILABLE: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain("\n");

    iam = await startChaosProxy(h.emulator.port, { port }); // IAM is back on the same address
    try {
      const page = await jobs.list({ clusterId: h.cluster });
      expect(page.jobs).toEqual([]);
      expect(iamAttempts.at(-1)).toBe("ok");
    } finally {
      await iam.close();
    }
  });
});

describe("credentials that cannot be obtained", () => {
  // A credential failure is local: it fails once, names its source, sends nothing.
  it("a metadata service that is not there: one attempt, UNAUTHENTICATED, the source named", async () => {
    const cloud = h.cloud({ credentials: metadataService({ address: "127.0.0.1:1" }), sleep });
    const error = await cloud.client(JobService).list({ clusterId: h.cluster }).catch((e: unknown) => e);
    scan.value("no credentials", error);
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/metadata/i);
    expect(h.emulator.callsTo("JobService/List")).toEqual([]); // nothing sent without a token
  });

  it("an IAM that refuses the OAuth token: one exchange, UNAUTHENTICATED, the job call never sent", async () => {
    const cloud = h.cloud({ credentials: oauthToken("y0_not-a-known-oauth-token-0000000000"), sleep });
    const error = await cloud.client(JobService).list({ clusterId: h.cluster }).catch((e: unknown) => e);
    scan.value("iam refuses", error);
    expect((error as YandexCloudError).code).toBe(Code.Unauthenticated);
    expect(h.emulator.calls.map((c) => `${c.method.split("/")[2]} ${c.outcome}`)).toEqual(["Create UNAUTHENTICATED"]);
  });
});

describe("secrets", () => {
  it("the scanner finds a planted secret (so a clean scan means something)", () => {
    const probe = new SecretScan();
    probe.secret("t1.canary-0123456789abcdef");
    probe.value("planted", new Error("failed with token t1.canary-0123456789abcdef"));
    const leaks = probe.leaks();
    expect(leaks).toEqual([{ secret: "secret #1 (26 chars)", source: "planted", excerpt: expect.stringContaining("failed with token") }]);
    expect(JSON.stringify(leaks)).not.toContain("canary");
  });

  it("credentials, clients and the emulator print only summaries (inspect, JSON, String)", async () => {
    const key = await h.emulator.createServiceAccountKey();
    scan.key(key);
    const credentials = [oauthToken(OAUTH), serviceAccountKey(key), iamToken(h.emulator.iamToken)];
    for (const c of credentials) scan.value(`credentials ${c.kind}`, c);
    const cloud = h.cloud({ credentials: credentials[1], interceptors: [scan.interceptor] });
    await cloud.client(JobService).list({ clusterId: h.cluster });
    scan.value("cloud", cloud);
    scan.value("client", cloud.client(JobService));
    scan.value("emulator", h.emulator);
    scan.text("key inspect", (await import("node:util")).inspect(key, { depth: 5 }));
    expect(JSON.stringify(credentials[1])).toBe(JSON.stringify({ kind: "service account key", keyId: key.id, serviceAccountId: key.service_account_id }));
  });

  it("no token, JWT or key line appears in any error, log line or call log entry of this suite", () => {
    expect(scan.secretCount).toBeGreaterThan(5);
    expect(scan.leaks()).toEqual([]);
  });
});

// Retries by meaning on the injected clock (§3), and the library bits of §5:
// YC_ENDPOINT, insecurePlaintextHosts, user-agent, per-attempt debug log.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { YandexCloudError, createYandexCloud, iamToken, isAllowedPlaintext, version } from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import { catchNextWarning } from "../support/warnings.js";
import type { ClientHarness } from "../support/client-harness.js";

let h: ClientHarness;
beforeEach(async () => {
  h = await startClientHarness();
});
afterEach(async () => {
  await h.close();
});

describe("retry budget", () => {
  it("maxElapsedMs is measured on the injected clock", async () => {
    h.emulator.faults.failNext(10, "UNAVAILABLE", { methods: ["JobService/List"] });
    // Each backoff moves the emulator clock by 10 s: the third failure is 20 s
    // after the first, past the 15 s budget, although hardly any real time passed.
    const cloud = h.cloud({
      sleep: (_ms, signal) => h.clock.sleep(10_000, signal),
      retry: { maxAttempts: 10, initialDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 15_000 },
    });
    const e = (await cloud.client(JobService).list({ clusterId: h.cluster }).then(
      () => undefined,
      (error: unknown) => error,
    )) as YandexCloudError;
    expect(e).toBeInstanceOf(YandexCloudError);
    expect(e.code).toBe(Code.Unavailable);
    expect(e.attempts).toBe(3);
    expect(h.emulator.callsTo("JobService/List")).toHaveLength(3);
  });

  it("an error marked local by an interceptor is never retried, whatever its code", async () => {
    const { markFailure } = await import("../../src/core/failure.js");
    let attempts = 0;
    const cloud = h.cloud({
      interceptors: [
        () => async () => {
          attempts++;
          throw markFailure(new ConnectError("request too large", Code.Unavailable), { origin: "local" });
        },
      ],
    });
    const e = (await cloud.client(JobService).list({ clusterId: h.cluster }).then(
      () => undefined,
      (error: unknown) => error,
    )) as YandexCloudError;
    expect(e.code).toBe(Code.Unavailable);
    expect(attempts).toBe(1);
    expect(e.attempts).toBe(1);
  });
});

describe("endpoint from the environment", () => {
  it("YC_ENDPOINT is the default endpoint; the option wins", async () => {
    const fromEnv = createYandexCloud({ credentials: iamToken(h.emulator.iamToken), env: { YC_ENDPOINT: h.emulator.url } });
    try {
      expect(fromEnv.endpointOf(JobService)).toBe(h.emulator.url);
      expect((await fromEnv.client(JobService).list({ clusterId: h.cluster })).jobs).toEqual([]);
    } finally {
      fromEnv.close();
    }
    const option = createYandexCloud({
      credentials: iamToken(h.emulator.iamToken),
      endpoint: h.emulator.url,
      env: { YC_ENDPOINT: "https://elsewhere.example" },
    });
    expect(option.endpointOf(JobService)).toBe(h.emulator.url);
    option.close();
    const none = createYandexCloud({ credentials: iamToken("t"), env: {} });
    expect(none.endpointOf(JobService)).toBe("https://dataproc.api.cloud.yandex.net");
    none.close();
  });
});

describe("insecurePlaintextHosts", () => {
  it("matches host or host:port entries", () => {
    expect(isAllowedPlaintext("http://10.0.0.5:4000", ["10.0.0.5:4000"])).toBe(true);
    expect(isAllowedPlaintext("http://10.0.0.5:4000", ["10.0.0.5"])).toBe(true);
    expect(isAllowedPlaintext("http://10.0.0.5:4001", ["10.0.0.5:4000"])).toBe(false);
    expect(isAllowedPlaintext("http://emu.lan", ["emu.lan:80"])).toBe(true);
    expect(isAllowedPlaintext("http://other.lan", ["emu.lan"])).toBe(false);
  });

  it("allows a named host over plaintext, with a loud warning naming it", async () => {
    const caught = catchNextWarning();
    const cloud = createYandexCloud({
      credentials: iamToken("t1.x"),
      endpoint: "http://emulator-a.example:4000",
      insecurePlaintextHosts: ["emulator-a.example:4000"],
      env: {},
    });
    try {
      expect(() => cloud.client(JobService)).not.toThrow();
      const emitted = await caught.warning;
      expect(emitted.code).toBe("DATAPROC_CONNECT_INSECURE_PLAINTEXT");
      expect(emitted.message).toContain("emulator-a.example:4000");
    } finally {
      caught.restore();
      cloud.close();
    }
  });

  it("reads DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS; other hosts are still refused", async () => {
    const caught = catchNextWarning();
    const env = { DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS: " emulator-b.example , 10.1.2.3:9" };
    const allowed = createYandexCloud({ credentials: iamToken("t1.x"), endpoint: "http://emulator-b.example:4000", env });
    try {
      expect(() => allowed.client(JobService)).not.toThrow();
      expect((await caught.warning).message).toContain("emulator-b.example:4000");
    } finally {
      caught.restore();
    }
    const refused = createYandexCloud({ credentials: iamToken("t1.x"), endpoint: "http://10.1.2.3:10", env });
    expect(() => refused.client(JobService)).toThrow(YandexCloudError);
    allowed.close();
    refused.close();
  });
});

describe("user-agent and debug log", () => {
  it("sends user-agent dataproc-connect/<version>, the version being package.json's", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(version).toBe(pkg.version);
    await h.cloud().client(JobService).list({ clusterId: h.cluster });
    expect(h.emulator.callsTo("JobService/List")[0]!.headers["user-agent"]).toMatch(new RegExp(`^dataproc-connect/${pkg.version.replace(/\./g, "\\.")} connect-es/`));
  });

  it("logs one line per attempt with method, endpoint, attempt, code, ids and time — never the token", async () => {
    h.emulator.faults.failNext(1, "UNAVAILABLE", { methods: ["JobService/Get"] });
    const lines: string[] = [];
    const cloud = h.cloud({ debug: (line) => lines.push(line) });
    await cloud.client(JobService).get({ clusterId: h.cluster, jobId: "c9qnosuchjob00000000" }).catch(() => undefined);
    const calls = h.emulator.callsTo("JobService/Get");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^dataproc-connect: /yandex\\.cloud\\.dataproc\\.v1\\.JobService/Get ${h.emulator.url} attempt 1 UNAVAILABLE \\d+\\.\\dms `),
    );
    expect(lines[1]).toMatch(/ attempt 2 NOT_FOUND \d+\.\dms /);
    expect(lines[0]).toContain(`x-client-request-id=${calls[0]!.headers["x-client-request-id"]}`);
    expect(lines[1]).toContain(`x-client-trace-id=${calls[1]!.headers["x-client-trace-id"]}`);
    expect(lines[1]).toContain(`x-request-id=${calls[1]!.requestId}`);
    for (const line of lines) expect(line).not.toContain(h.emulator.iamToken);
  });

  it("DATAPROC_CONNECT_DEBUG=1 prints the lines to stderr", async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      await h.cloud({ env: { DATAPROC_CONNECT_DEBUG: "1" } }).client(JobService).list({ clusterId: h.cluster });
      await h.cloud({ env: {} }).client(JobService).list({ clusterId: h.cluster });
    } finally {
      spy.mockRestore();
    }
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/JobService\/List .* attempt 1 OK /);
  });
});

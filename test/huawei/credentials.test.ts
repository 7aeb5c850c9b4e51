import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  huaweiEnv,
  HuaweiCredentialsError,
  huaweiCredentials,
  huaweiEnvironmentCredentials,
  huaweiMetadataCredentials,
} from "../../src/huawei/index.js";
import { ManualClock } from "../../src/testing/index.js";

const SECRET = "super-secret-key-0123456789abcdefghijkl";
const TOKEN = "security-token-value-XYZ";

const leaks = (value: unknown): boolean => {
  const text = `${inspect(value, { depth: 5, showHidden: true })} ${JSON.stringify(value)} ${String(value)}`;
  return text.includes(SECRET) || text.includes(TOKEN);
};

describe("huaweiCredentials", () => {
  it("holds AK/SK (+ token) and never shows the secrets", async () => {
    const credentials = huaweiCredentials({ accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: SECRET, securityToken: TOKEN });
    const key = await credentials.accessKey();
    expect([key.accessKey, key.secretKey, key.securityToken]).toEqual(["QTWAOYTTINDUT2QVKYUC", SECRET, TOKEN]);
    expect(leaks(credentials)).toBe(false);
    expect(leaks(key)).toBe(false);
    expect(JSON.stringify(key)).toBe('{"accessKey":"QTWA…","securityToken":"<redacted>","secretKey":"<redacted>"}');
  });

  it("names the bad field", () => {
    expect(() => huaweiCredentials({ accessKey: "", secretKey: SECRET })).toThrow(/accessKey must be a non-empty string/);
    expect(() => huaweiCredentials({ accessKey: "AK", secretKey: undefined as unknown as string })).toThrow(/secretKey must be a non-empty string/);
  });
});

describe("huaweiEnvironmentCredentials", () => {
  it("reads the names the Huawei SDKs use", async () => {
    expect(huaweiEnv).toEqual({ accessKey: "HUAWEICLOUD_SDK_AK", secretKey: "HUAWEICLOUD_SDK_SK", projectId: "HUAWEICLOUD_SDK_PROJECT_ID", securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN" });
    const credentials = huaweiEnvironmentCredentials({ HUAWEICLOUD_SDK_AK: "AK1", HUAWEICLOUD_SDK_SK: SECRET, HUAWEICLOUD_SDK_PROJECT_ID: "p1", HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN });
    expect(credentials.projectId).toBe("p1");
    const key = await credentials.accessKey();
    expect([key.accessKey, key.secretKey, key.securityToken]).toEqual(["AK1", SECRET, TOKEN]);
    expect(leaks(credentials)).toBe(false);
  });

  it("says which variables are missing", () => {
    expect(() => huaweiEnvironmentCredentials({ HUAWEICLOUD_SDK_SK: SECRET })).toThrow(/HUAWEICLOUD_SDK_AK not set/);
    expect(() => huaweiEnvironmentCredentials({})).toThrow(/HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK not set/);
  });
});

describe("huaweiMetadataCredentials (ECS metadata service)", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A metadata service on 127.0.0.1 speaking the Go SDK's protocol. */
  async function metadata(handle: (method: string, path: string, headers: Record<string, unknown>) => { status: number; body: string }): Promise<string> {
    server = createServer((req, res) => {
      const { status, body } = handle(req.method ?? "", req.url ?? "", req.headers);
      res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const securityKey = (expiresAt: number, n: number) =>
    JSON.stringify({ credential: { access: `TEMPAK${n}`, secret: SECRET, securitytoken: TOKEN, expires_at: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, ".000000Z") } });

  it("gets a session token, then temporary keys; caches them until 40 min before expiry, one fetch in flight", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const calls: string[] = [];
    let issued = 0;
    const endpoint = await metadata((method, path, headers) => {
      calls.push(`${method} ${path} ${String(headers["x-metadata-token"] ?? headers["x-metadata-token-ttl-seconds"] ?? "")}`);
      if (path === "/meta-data/latest/api/token") return { status: 200, body: "session-1" };
      return { status: 200, body: securityKey(clock.now() + 24 * 3600_000, ++issued) };
    });
    const credentials = huaweiMetadataCredentials({ endpoint, clock });
    const [a, b] = await Promise.all([credentials.accessKey(), credentials.accessKey()]);
    expect(a).toBe(b);
    expect(a.accessKey).toBe("TEMPAK1");
    expect(a.securityToken).toBe(TOKEN);
    expect(calls).toEqual(["PUT /meta-data/latest/api/token 21600", "GET /openstack/latest/securitykey session-1"]);
    clock.advance(23 * 3600_000);
    expect((await credentials.accessKey()).accessKey).toBe("TEMPAK1");
    clock.advance(30 * 60_000); // 30 min left: renew
    expect((await credentials.accessKey()).accessKey).toBe("TEMPAK2");
    expect(calls).toHaveLength(3);
    expect(leaks(credentials)).toBe(false);
  });

  it("works without a session token (404) and renews it on a 401", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let tokenCalls = 0;
    let keyCalls = 0;
    const endpoint = await metadata((method, path, headers) => {
      if (path === "/meta-data/latest/api/token") return ++tokenCalls === 1 ? { status: 404, body: "" } : { status: 200, body: "session-2" };
      keyCalls++;
      if (headers["x-metadata-token"] !== "session-2") return { status: 401, body: "token required" };
      return { status: 200, body: securityKey(clock.now() + 3600_000, keyCalls) };
    });
    const key = await huaweiMetadataCredentials({ endpoint, clock }).accessKey();
    expect(key.accessKey).toBe("TEMPAK2");
    expect([tokenCalls, keyCalls]).toEqual([2, 2]);
  });

  it("explains a missing agency and never quotes the answer's secrets", async () => {
    const endpoint = await metadata((_m, path) =>
      path === "/meta-data/latest/api/token" ? { status: 200, body: "s" } : { status: 401, body: "Please configure Cloud Service Agency first" },
    );
    const error = await huaweiMetadataCredentials({ endpoint }).accessKey().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuaweiCredentialsError);
    expect((error as Error).message).toMatch(/HTTP 401: no agency is bound to this instance/);
  });

  it("rejects a malformed answer naming the missing fields", async () => {
    const endpoint = await metadata((_m, path) =>
      path === "/meta-data/latest/api/token" ? { status: 200, body: "s" } : { status: 200, body: JSON.stringify({ credential: { access: "A", secret: SECRET } }) },
    );
    const error = (await huaweiMetadataCredentials({ endpoint }).accessKey().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/lacks credential\.securitytoken, credential\.expires_at/);
    expect(error.message).not.toContain(SECRET);
  });

  it("reports an unreachable service as a credentials error", async () => {
    const endpoint = await metadata(() => ({ status: 200, body: "" }));
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(huaweiMetadataCredentials({ endpoint }).accessKey()).rejects.toThrow(/huaweiMetadataCredentials: .* failed/);
  });
});

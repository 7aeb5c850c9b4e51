import { constants, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  CredentialsError,
  iamTokenAudience,
  fromEnvironment,
  iamToken,
  metadataService,
  oauthToken,
  serviceAccountKey,
} from "../../src/index.js";
import type { CredentialContext, IamTokenExchange } from "../../src/index.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const keyFile = {
  id: "ajekey0000000000001",
  service_account_id: "ajesa00000000000001",
  created_at: "2026-01-01T00:00:00Z",
  key_algorithm: "RSA_2048",
  public_key: publicKey.export({ type: "spki", format: "pem" }).toString(),
  private_key: `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID ajekey0000000000001\n${pem}`,
};
const dir = mkdtempSync(join(tmpdir(), "dataproc-connect-creds-"));
const write = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function capture(now = 1_700_000_000_000): { context: CredentialContext; seen: Array<{ case: string; value: string }> } {
  const seen: Array<{ case: string; value: string }> = [];
  const exchange: IamTokenExchange = async (identity) => {
    seen.push(identity);
    return { token: `iam-${seen.length}`, expiresAt: now + 12 * 3_600_000 };
  };
  return { context: { exchange, clock: { now: () => now } }, seen };
}

const decode = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

describe("serviceAccountKey", () => {
  it("signs a PS256 JWT (salt length 32) with kid, iss, aud, iat and a one-hour exp", async () => {
    const { context, seen } = capture();
    const credentials = serviceAccountKey(write("key.json", JSON.stringify(keyFile)));
    expect(await credentials.token(context)).toBe("iam-1");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.case).toBe("jwt");
    const [header, payload, signature] = seen[0]!.value.split(".") as [string, string, string];
    expect(decode(header)).toEqual({ alg: "PS256", typ: "JWT", kid: keyFile.id });
    expect(decode(payload)).toEqual({ iss: keyFile.service_account_id, aud: iamTokenAudience, iat: 1_700_000_000, exp: 1_700_003_600 });
    const ok = verify("sha256", Buffer.from(`${header}.${payload}`), {
      key: createPublicKey(keyFile.public_key),
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }, Buffer.from(signature, "base64url"));
    expect(ok).toBe(true);
  });

  it("accepts a key object and a private key without the prefix line", async () => {
    const { context } = capture();
    await expect(serviceAccountKey({ ...keyFile, private_key: pem }).token(context)).resolves.toBe("iam-1");
  });

  it.each([
    ["a missing file", () => serviceAccountKey(join(dir, "nope.json")), /cannot read key file .*nope\.json \(ENOENT\)/],
    ["truncated JSON", () => serviceAccountKey(write("t.json", JSON.stringify(keyFile).slice(0, 120))), /is not valid JSON/],
    ["a JSON array", () => serviceAccountKey(write("a.json", "[]")), /is not a JSON object/],
    ["no id", () => serviceAccountKey({ ...keyFile, id: "" }), /has no "id" string/],
    ["no service_account_id", () => serviceAccountKey({ ...keyFile, service_account_id: undefined as unknown as string }), /has no "service_account_id" string/],
    ["no private_key", () => serviceAccountKey({ ...keyFile, private_key: undefined as unknown as string }), /has no "private_key" string/],
    ["a wrong algorithm", () => serviceAccountKey({ ...keyFile, key_algorithm: "ECDSA_P256" }), /only RSA keys/],
    ["a wrong prefix line", () => serviceAccountKey({ ...keyFile, private_key: `hello\n${pem}` }), /starts with neither a PEM header/],
    ["a prefix for another key", () => serviceAccountKey({ ...keyFile, private_key: keyFile.private_key.replace("0001\n", "0002\n") }), /marked for key ajekey0000000000002/],
    ["a bad PEM", () => serviceAccountKey({ ...keyFile, private_key: `${pem.slice(0, 100)}!!!!${pem.slice(104)}` }), /not a valid PEM private key/],
  ])("rejects %s with a clear error and no key material", (_, build, message) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("MII");
    expect((error as Error).message).not.toContain(pem.slice(40, 80));
  });

  it("never shows the key in inspect or JSON", () => {
    const credentials = serviceAccountKey(keyFile);
    const shown = inspect(credentials, { depth: 10, showHidden: true }) + JSON.stringify(credentials);
    expect(shown).toContain(keyFile.id);
    expect(shown).not.toContain("PRIVATE KEY");
    expect(shown).not.toContain(pem.slice(40, 80));
  });
});

describe("iamToken and oauthToken", () => {
  it("sends a fixed IAM token as is and never exchanges it", async () => {
    const { context, seen } = capture();
    expect(await iamToken(" t1.secret ").token(context)).toBe("t1.secret");
    expect(seen).toHaveLength(0);
  });

  it("exchanges an OAuth token once and caches the IAM token", async () => {
    const { context, seen } = capture();
    const credentials = oauthToken("y0_oauth-secret");
    expect(await credentials.token(context)).toBe("iam-1");
    expect(await credentials.token(context)).toBe("iam-1");
    expect(seen).toEqual([{ case: "yandexPassportOauthToken", value: "y0_oauth-secret" }]);
  });

  it("rejects empty tokens and hides tokens from inspect and JSON", () => {
    expect(() => iamToken("")).toThrow(CredentialsError);
    expect(() => oauthToken("  ")).toThrow(/empty/);
    for (const c of [iamToken("t1.secret-iam"), oauthToken("y0_secret-oauth")]) {
      const shown = inspect(c, { showHidden: true, depth: 10 }) + JSON.stringify(c);
      expect(shown).not.toMatch(/secret/);
    }
  });
});

describe("fromEnvironment", () => {
  it("prefers YC_IAM_TOKEN, then YC_SERVICE_ACCOUNT_KEY_FILE, then YC_TOKEN", () => {
    const path = write("env-key.json", JSON.stringify(keyFile));
    expect(fromEnvironment({ YC_IAM_TOKEN: "t", YC_SERVICE_ACCOUNT_KEY_FILE: path, YC_TOKEN: "o" }).kind).toBe("IAM token");
    expect(fromEnvironment({ YC_SERVICE_ACCOUNT_KEY_FILE: path, YC_TOKEN: "o" }).kind).toBe("service account key");
    expect(fromEnvironment({ YC_TOKEN: "o" }).kind).toBe("OAuth token");
    expect(fromEnvironment({}).kind).toMatch(/metadata service/);
  });

  it("lists what was tried when nothing works", async () => {
    const { context } = capture();
    // A loopback port nobody listens on stands in for "not on a VM".
    const credentials = fromEnvironment({ YC_METADATA_ADDR: "127.0.0.1:9" });
    await expect(credentials.token(context)).rejects.toThrow(
      /no Yandex Cloud credentials found: YC_IAM_TOKEN, YC_SERVICE_ACCOUNT_KEY_FILE and YC_TOKEN are not set, and metadataService: no token from 127\.0\.0\.1:9/,
    );
  });
});

describe("metadataService", () => {
  it("reads the VM's token with Metadata-Flavor: Google and renews it by expires_in", async () => {
    const { createServer } = await import("node:http");
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      expect(req.url).toBe("/computeMetadata/v1/instance/service-accounts/default/token");
      expect(req.headers["metadata-flavor"]).toBe("Google");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ access_token: `vm-token-${requests}`, expires_in: 3600, token_type: "Bearer" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      let now = 1_700_000_000_000;
      const context: CredentialContext = { exchange: () => Promise.reject(new Error("unused")), clock: { now: () => now } };
      const credentials = metadataService({ address: `127.0.0.1:${port}` });
      expect(await credentials.token(context)).toBe("vm-token-1");
      expect(await credentials.token(context)).toBe("vm-token-1");
      now += 3_600_000 - 30_000; // inside the safety margin: must wait for a new one
      expect(await credentials.token(context)).toBe("vm-token-2");
      expect(requests).toBe(2);
    } finally {
      server.close();
    }
  });
});

import { constants, createPrivateKey, sign } from "node:crypto";
import { inspect } from "node:util";
import { anyUnpack, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { SignJWT, importPKCS8 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { CreateJobMetadataSchema } from "../../src/yandex/dataproc/v1/index.js";
import { iamTokenAudience } from "../../src/testing/index.js";
import type { AuthorizedKey } from "../../src/testing/index.js";
import { startHarness, sparkJobRequest, rejection } from "../support/emulator-helpers.js";
import type { Harness } from "../support/emulator-helpers.js";

const oauthToken = "y0_AgAAAAemulatorOAuthToken0123456789";
let h: Harness;
let key: AuthorizedKey;
beforeAll(async () => {
  h = await startHarness({ oauthTokens: [oauthToken] });
  key = await h.emulator.createServiceAccountKey();
});
afterAll(async () => {
  await h.close();
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

function pem(k: AuthorizedKey): string {
  return k.private_key.slice(k.private_key.indexOf("-----BEGIN"));
}

async function signJwt(
  k: AuthorizedKey,
  claims: { iss?: string; aud?: string; iat?: number; exp?: number; kid?: string } = {},
): Promise<string> {
  const now = Math.floor(h.clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "PS256", typ: "JWT", kid: claims.kid ?? k.id })
    .setIssuer(claims.iss ?? k.service_account_id)
    .setAudience(claims.aud ?? iamTokenAudience)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 3600)
    .sign(await importPKCS8(pem(k), "PS256"));
}

describe("bearer tokens", () => {
  it("rejects calls without a valid bearer token with UNAUTHENTICATED (and RequestInfo), never echoing the token", async () => {
    const req = { clusterId: h.cluster, jobId: "c9qnosuchjob000000001" };
    const none = await rejection(h.dataproc.get(req));
    expect(none.code).toBe(Code.Unauthenticated);
    expect(none.findDetails(RequestInfoSchema)[0]?.requestId).toBe(none.metadata.get("x-request-id"));
    const basic = await rejection(h.dataproc.get(req, { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
    expect(basic.code).toBe(Code.Unauthenticated);
    const forged = "t1.forged-token-that-the-emulator-never-issued";
    const unknown = await rejection(h.dataproc.get(req, bearer(forged)));
    expect(unknown.code).toBe(Code.Unauthenticated);
    expect(unknown.message).not.toContain(forged);
    // every other service needs it too
    expect((await rejection(h.operations.get({ operationId: "x" }))).code).toBe(Code.Unauthenticated);
    expect((await rejection(h.spark.list({ clusterId: h.cluster }))).code).toBe(Code.Unauthenticated);
  });

  it("expires tokens after their lifetime on the emulator clock, and early with expireTokens()", async () => {
    const local = await startHarness({ tokenLifetimeMs: 60_000, oauthTokens: [oauthToken] });
    try {
      const issued = await local.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
      expect(timestampMs(issued.expiresAt!)).toBe(local.clock.now() + 60_000);
      await local.dataproc.list({ clusterId: local.cluster }, bearer(issued.iamToken));
      local.clock.advance(60_000);
      const expired = await rejection(local.dataproc.list({ clusterId: local.cluster }, bearer(issued.iamToken)));
      expect(expired.code).toBe(Code.Unauthenticated);
      expect(expired.rawMessage).toContain("expired");

      const fresh = await local.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
      await local.dataproc.list({ clusterId: local.cluster }, bearer(fresh.iamToken));
      local.emulator.expireTokens();
      expect((await rejection(local.dataproc.list({ clusterId: local.cluster }, bearer(fresh.iamToken)))).code).toBe(Code.Unauthenticated);
      expect((await rejection(local.dataproc.list({ clusterId: local.cluster }, local.auth))).code).toBe(Code.Unauthenticated);
      const again = await local.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
      await local.dataproc.list({ clusterId: local.cluster }, bearer(again.iamToken));
      await local.dataproc.list({ clusterId: local.cluster }, bearer(local.emulator.issueToken()));
    } finally {
      await local.close();
    }
  });

  it("issues 12-hour tokens by default", async () => {
    const issued = await h.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
    expect(timestampMs(issued.expiresAt!)).toBe(h.clock.now() + 12 * 3600 * 1000);
  });
});

describe("IamTokenService.Create", () => {
  it("exchanges a configured OAuth token without any authorization header", async () => {
    const issued = await h.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
    expect(issued.iamToken).toMatch(/^t1\./);
    const op = await h.dataproc.create(sparkJobRequest(h.cluster), bearer(issued.iamToken));
    expect(op.createdBy).toMatch(/^aje[0-9a-f]{17}$/);
    const wrong = await rejection(h.iam.create({ identity: { case: "yandexPassportOauthToken", value: "y0_not-configured" } }));
    expect(wrong.code).toBe(Code.Unauthenticated);
    expect(wrong.message).not.toContain("y0_not-configured");
  });

  it("validates the request: exactly one identity", async () => {
    const err = await rejection(h.iam.create({}));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain("identity");
  });

  it("mints authorized key files in the real format", () => {
    expect(Object.keys(key).sort()).toEqual(["created_at", "id", "key_algorithm", "private_key", "public_key", "service_account_id"]);
    expect(key.id).toMatch(/^aje[0-9a-v]{17}$/);
    expect(key.service_account_id).toMatch(/^aje[0-9a-v]{17}$/);
    expect(new Date(key.created_at).toISOString()).toBe(key.created_at);
    expect(key.key_algorithm).toBe("RSA_2048");
    expect(key.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(key.private_key.startsWith(`PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID ${key.id}\n-----BEGIN PRIVATE KEY-----\n`)).toBe(true);
    expect(createPrivateKey(pem(key)).asymmetricKeyDetails?.modulusLength).toBe(2048);
    // the file content is complete, but inspecting the object does not print the private key
    expect(JSON.parse(JSON.stringify(key)).private_key).toBe(key.private_key);
    expect(inspect(key)).not.toContain("PRIVATE KEY");
  });

  it("exchanges a PS256 JWT signed with a trusted key; the service account becomes created_by", async () => {
    const issued = await h.iam.create({ identity: { case: "jwt", value: await signJwt(key) } });
    const op = await h.dataproc.create(sparkJobRequest(h.cluster), bearer(issued.iamToken));
    expect(op.createdBy).toBe(key.service_account_id);
    const jobId = anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
    expect((await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth)).createdBy).toBe(key.service_account_id);
  });

  it("rejects JWTs with a bad kid, iss, aud, exp, iat, signature or algorithm", async () => {
    const other = await h.emulator.createServiceAccountKey({ serviceAccountId: "ajeothersa0000000001" });
    expect(other.service_account_id).toBe("ajeothersa0000000001");
    const now = Math.floor(h.clock.now() / 1000);
    const cases: Record<string, string> = {
      kid: await signJwt(key, { kid: "ajeunknownkey0000001" }),
      iss: await signJwt(key, { iss: other.service_account_id }),
      aud: await signJwt(key, { aud: "https://example.com/tokens" }),
      exp: await signJwt(key, { iat: now - 7200, exp: now - 3600 }),
      lifetime: await signJwt(key, { exp: now + 3601 }),
      iat: await signJwt(key, { iat: now + 3000, exp: now + 3500 }),
      signature: await signJwt(other, { kid: key.id, iss: key.service_account_id }),
      salt: pssJwt(key, 64),
      alg: rs256Jwt(key),
      garbage: "not-a-jwt",
    };
    for (const [name, jwt] of Object.entries(cases)) {
      const err = await rejection(h.iam.create({ identity: { case: "jwt", value: jwt } }));
      expect(err.code, name).toBe(Code.Unauthenticated);
      expect(err.rawMessage, name).toMatch(/^invalid JWT/);
      expect(err.message, name).not.toContain(jwt);
    }
    // the same construction with the right salt length (32) is accepted
    await h.iam.create({ identity: { case: "jwt", value: pssJwt(key, 32) } });
  });

  it("accepts JWTs until exp on the emulator clock", async () => {
    const jwt = await signJwt(key);
    h.clock.advance(3600 * 1000 + 61_000); // past exp + tolerated skew
    const err = await rejection(h.iam.create({ identity: { case: "jwt", value: jwt } }));
    expect(err.rawMessage).toContain("exp");
  });

  it("trusts existing keys passed as options", async () => {
    const local = await startHarness({ trustedKeys: [{ id: key.id, service_account_id: key.service_account_id, public_key: key.public_key }] });
    try {
      const now = Math.floor(local.clock.now() / 1000);
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: "PS256", kid: key.id })
        .setIssuer(key.service_account_id)
        .setAudience(iamTokenAudience)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(await importPKCS8(pem(key), "PS256"));
      expect((await local.iam.create({ identity: { case: "jwt", value: jwt } })).iamToken).toMatch(/^t1\./);
    } finally {
      await local.close();
    }
  });
});

describe("secrets", () => {
  it("never show in the call log, util.inspect or JSON of the emulator", async () => {
    const jwt = await signJwt(key);
    await h.iam.create({ identity: { case: "jwt", value: jwt } });
    await h.iam.create({ identity: { case: "yandexPassportOauthToken", value: oauthToken } });
    await h.dataproc.list({ clusterId: h.cluster }, h.auth);
    const logged = JSON.stringify(h.emulator.calls);
    expect(logged).toContain("Bearer [REDACTED]");
    for (const secret of [h.emulator.iamToken, oauthToken, jwt, pem(key)]) {
      expect(logged).not.toContain(secret);
      expect(inspect(h.emulator, { depth: 10, showHidden: true })).not.toContain(secret);
      expect(JSON.stringify(h.emulator)).not.toContain(secret);
    }
    expect(inspect(h.emulator)).toContain("127.0.0.1");
  });
});

function b64(json: object): string {
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

/** A PS256 JWT built by hand, to control the PSS salt length. */
function pssJwt(k: AuthorizedKey, saltLength: number): string {
  const now = Math.floor(h.clock.now() / 1000);
  const input = `${b64({ alg: "PS256", typ: "JWT", kid: k.id })}.${b64({ iss: k.service_account_id, aud: iamTokenAudience, iat: now, exp: now + 600 })}`;
  const sig = sign("sha256", Buffer.from(input), { key: pem(k), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
  return `${input}.${sig.toString("base64url")}`;
}

function rs256Jwt(k: AuthorizedKey): string {
  const now = Math.floor(h.clock.now() / 1000);
  const input = `${b64({ alg: "RS256", typ: "JWT", kid: k.id })}.${b64({ iss: k.service_account_id, aud: iamTokenAudience, iat: now, exp: now + 600 })}`;
  return `${input}.${sign("sha256", Buffer.from(input), pem(k)).toString("base64url")}`;
}

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  AwsCredentialsError,
  awsCredentials,
  cachedProvider,
  defaultAwsCredentials,
  fromAwsContainer,
  fromAwsEnvironment,
  fromAwsInstanceMetadata,
  fromAwsSharedFiles,
  resolveAwsRegion,
} from "../../src/aws/credentials/index.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY";
const TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aws-creds-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
}

/** A local metadata server: `routes` maps "METHOD path" to [status, body]. */
async function metadataServer(routes: Record<string, () => [number, string]>): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const route = routes[`${req.method} ${req.url}`];
    const [status, body] = route ? route() : [404, "not found"];
    res.writeHead(status, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function remoteJson(expiration: string): string {
  return JSON.stringify({ Code: "Success", AccessKeyId: "ASIAREMOTE", SecretAccessKey: SECRET, Token: TOKEN, Expiration: expiration });
}

function expectNoSecret(value: unknown): void {
  const texts = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? "", String(value)];
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  }
}

describe("static credentials", () => {
  it("resolves the given keys and never shows the secret", async () => {
    const provider = awsCredentials({ accessKeyId: "AKIDSTATIC", secretAccessKey: SECRET, sessionToken: TOKEN });
    const identity = await provider.resolve();
    expect(identity.accessKeyId).toBe("AKIDSTATIC");
    expect(identity.secretAccessKey).toBe(SECRET);
    expect(identity.sessionToken).toBe(TOKEN);
    expectNoSecret(provider);
    expectNoSecret(identity);
    expect(JSON.stringify(identity)).toContain("AKIDSTATIC");
  });

  it("rejects missing fields with the field name", () => {
    expect(() => awsCredentials({ accessKeyId: "", secretAccessKey: SECRET })).toThrow(/accessKeyId must be a non-empty string/);
    expect(() => awsCredentials({ accessKeyId: "A", secretAccessKey: undefined as unknown as string })).toThrow(
      /secretAccessKey must be a non-empty string/,
    );
  });
});

describe("environment credentials", () => {
  it("reads keys, session token and expiration", async () => {
    const env = {
      AWS_ACCESS_KEY_ID: "AKIDENV",
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: TOKEN,
      AWS_CREDENTIAL_EXPIRATION: "2030-01-01T00:00:00Z",
    };
    const identity = await fromAwsEnvironment({ env }).resolve();
    expect(identity).toMatchObject({ accessKeyId: "AKIDENV", expiresAt: Date.parse("2030-01-01T00:00:00Z") });
    expect(identity.sessionToken).toBe(TOKEN);
  });

  it("says which variables are missing and lets a chain go on", async () => {
    const error = await fromAwsEnvironment({ env: { AWS_ACCESS_KEY_ID: "A" } }).resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCredentialsError);
    expect((error as AwsCredentialsError).tryNext).toBe(true);
    expect((error as Error).message).toMatch(/AWS_SECRET_ACCESS_KEY/);
  });

  it("rejects a malformed AWS_CREDENTIAL_EXPIRATION without echoing the secret", async () => {
    const env = { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: SECRET, AWS_CREDENTIAL_EXPIRATION: "tomorrow" };
    const error = await fromAwsEnvironment({ env }).resolve().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/AWS_CREDENTIAL_EXPIRATION is not an RFC 3339/);
    expectNoSecret(error);
  });
});

describe("shared files", () => {
  it("reads the profile from both files, the credentials file winning, and the region from config", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "credentials"),
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = other\n\n[dev]\naws_access_key_id = AKIDDEV\n" +
        `aws_secret_access_key = ${SECRET}\naws_session_token=${TOKEN} ; comment\n`,
    );
    writeFileSync(join(dir, "config"), "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-3\n# note\naws_access_key_id = IGNORED\n");
    const env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_PROFILE: "dev" };
    const identity = await fromAwsSharedFiles({ env }).resolve();
    expect(identity.accessKeyId).toBe("AKIDDEV");
    expect(identity.secretAccessKey).toBe(SECRET);
    expect(identity.sessionToken).toBe(TOKEN);
    expect(await resolveAwsRegion({ env })).toBe("eu-west-3");
    expect(await resolveAwsRegion({ env: { ...env, AWS_REGION: "ap-south-1" } })).toBe("ap-south-1");
    expect(await resolveAwsRegion({ env, region: "us-west-2" })).toBe("us-west-2");
  });

  it("finds ~/.aws via HOME and says when a profile needs an unsupported source", async () => {
    const home = tempDir();
    const aws = join(home, ".aws");
    (await import("node:fs")).mkdirSync(aws);
    writeFileSync(join(aws, "config"), "[profile sso]\nsso_session = corp\nregion = us-east-2\n");
    const error = await fromAwsSharedFiles({ env: { HOME: home }, profile: "sso" }).resolve().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/profile "sso" uses sso_session/);
    expect((error as AwsCredentialsError).tryNext).toBe(false);
    expect(await resolveAwsRegion({ env: { HOME: home }, profile: "sso" })).toBe("us-east-2");
  });

  it("has no region: a clear error", async () => {
    await expect(resolveAwsRegion({ env: { HOME: tempDir() } })).rejects.toThrow(/set AWS_REGION/);
    await expect(resolveAwsRegion({ env: {}, region: "US East" })).rejects.toThrow(/not a region name/);
  });
});

describe("container endpoint", () => {
  it("GETs the full URI with the authorization token read from the token file", async () => {
    const server = await metadataServer({ "GET /creds": () => [200, remoteJson("2030-01-01T00:00:00Z")] });
    const dir = tempDir();
    writeFileSync(join(dir, "token"), "eks-pod-token\n");
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${server.url}/creds`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, "token"),
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "not-this-one",
    };
    const identity = await fromAwsContainer({ env }).resolve();
    expect(identity.accessKeyId).toBe("ASIAREMOTE");
    expect(identity.sessionToken).toBe(TOKEN);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.headers.authorization).toBe("eks-pod-token");
  });

  it("refuses a plaintext full URI to a non-local host", async () => {
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://metadata.example.com/creds" };
    await expect(fromAwsContainer({ env }).resolve()).rejects.toThrow(/must be https/);
  });

  it("puts the relative URI on 169.254.170.2", async () => {
    const urls: string[] = [];
    const fetchStub = async (input: string | URL): Promise<Response> => {
      urls.push(String(input));
      return new Response(remoteJson("2030-01-01T00:00:00Z"));
    };
    await fromAwsContainer({ env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/abc" }, fetch: fetchStub }).resolve();
    expect(urls).toEqual(["http://169.254.170.2/v2/credentials/abc"]);
  });
});

describe("EC2 instance metadata (IMDSv2)", () => {
  it("PUTs for a session token, then reads the role and its credentials with it", async () => {
    const server = await metadataServer({
      "PUT /latest/api/token": () => [200, "imds-session"],
      "GET /latest/meta-data/iam/security-credentials/": () => [200, "my-role\n"],
      "GET /latest/meta-data/iam/security-credentials/my-role": () => [200, remoteJson("2030-01-01T00:00:00Z")],
    });
    const identity = await fromAwsInstanceMetadata({ endpoint: server.url, env: {} }).resolve();
    expect(identity.accessKeyId).toBe("ASIAREMOTE");
    expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "PUT /latest/api/token",
      "GET /latest/meta-data/iam/security-credentials/",
      "GET /latest/meta-data/iam/security-credentials/my-role",
    ]);
    expect(server.seen[0]!.headers["x-aws-ec2-metadata-token-ttl-seconds"]).toBe("21600");
    expect(server.seen[1]!.headers["x-aws-ec2-metadata-token"]).toBe("imds-session");
    expect(server.seen[2]!.headers["x-aws-ec2-metadata-token"]).toBe("imds-session");
    expectNoSecret(identity);
  });

  it("is skipped when disabled", async () => {
    const error = await fromAwsInstanceMetadata({ env: { AWS_EC2_METADATA_DISABLED: "true" } }).resolve().catch((e: unknown) => e);
    expect((error as AwsCredentialsError).tryNext).toBe(true);
  });

  it("reports a broken answer without its body", async () => {
    const server = await metadataServer({
      "PUT /latest/api/token": () => [200, "t"],
      "GET /latest/meta-data/iam/security-credentials/": () => [200, "r"],
      "GET /latest/meta-data/iam/security-credentials/r": () => [200, `{"Code":"Failed","SecretAccessKey":"${SECRET}"}`],
    });
    const error = await fromAwsInstanceMetadata({ endpoint: server.url, env: {} }).resolve().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Code "Failed"/);
    expectNoSecret(error);
  });
});

describe("caching and the default chain", () => {
  it("looks up once for concurrent callers and again only 5 minutes before expiry", async () => {
    let now = 1_000_000;
    let lookups = 0;
    let release: () => void = () => {};
    const provider = cachedProvider(
      "counting",
      async () => {
        lookups++;
        await new Promise<void>((resolve) => (release = resolve));
        return { accessKeyId: `AKID${lookups}`, secretAccessKey: "s", expiresAt: now + 15 * 60_000 };
      },
      () => now,
    );
    const first = Promise.all([provider.resolve(), provider.resolve(), provider.resolve()]);
    await Promise.resolve();
    release();
    const ids = (await first).map((c) => c.accessKeyId);
    expect(ids).toEqual(["AKID1", "AKID1", "AKID1"]);
    now += 10 * 60_000 - 1; // 5 min + 1 ms before expiry: still fresh
    expect((await provider.resolve()).accessKeyId).toBe("AKID1");
    now += 1; // exactly 5 min before expiry: refresh
    const next = provider.resolve();
    await Promise.resolve();
    release();
    expect((await next).accessKeyId).toBe("AKID2");
    expect(lookups).toBe(2);
  });

  it("does not cache a failure", async () => {
    let calls = 0;
    const provider = cachedProvider("flaky", async () => {
      if (++calls === 1) throw new Error("first fails");
      return { accessKeyId: "AKID", secretAccessKey: "s" };
    });
    await expect(provider.resolve()).rejects.toThrow("first fails");
    expect((await provider.resolve()).accessKeyId).toBe("AKID");
  });

  it("prefers the environment, but skips it when AWS_PROFILE is set", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "credentials"), `[work]\naws_access_key_id = AKIDFILE\naws_secret_access_key = ${SECRET}\n`);
    const base = {
      AWS_ACCESS_KEY_ID: "AKIDENV",
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
    };
    expect((await defaultAwsCredentials({ env: base }).resolve()).accessKeyId).toBe("AKIDENV");
    expect((await defaultAwsCredentials({ env: { ...base, AWS_PROFILE: "work" } }).resolve()).accessKeyId).toBe("AKIDFILE");
  });

  it("falls through to instance metadata, and lists every source it tried when none has keys", async () => {
    const server = await metadataServer({
      "PUT /latest/api/token": () => [200, "t"],
      "GET /latest/meta-data/iam/security-credentials/": () => [200, "r"],
      "GET /latest/meta-data/iam/security-credentials/r": () => [200, remoteJson("2030-01-01T00:00:00Z")],
    });
    const env = { HOME: tempDir() };
    expect((await defaultAwsCredentials({ env, imdsEndpoint: server.url }).resolve()).accessKeyId).toBe("ASIAREMOTE");
    const error = await defaultAwsCredentials({ env: { ...env, AWS_EC2_METADATA_DISABLED: "true" } })
      .resolve()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no AWS credentials found/);
    expect((error as Error).message).toMatch(/environment.*\n.*shared files.*\n.*container.*\n.*instance metadata/s);
  });
});

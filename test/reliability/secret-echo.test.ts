// Servers that quote a credential back — in an error body, a grpc-message,
// a proxy's HTML page, a gateway's canonical-request echo, an x-request-id —
// on 127.0.0.1. The client knows every secret it sent and scrubs them
// (src/core/secret-scrubber.ts): none may reach the error's message,
// toJSON(), util.inspect or a debug line, while access key ids stay.
import { inspect } from "node:util";
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { OperationError, YandexCloudError, createYandexCloud, iamToken, oauthToken } from "../../src/index.js";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerlessService } from "../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService } from "../../src/huawei/mrs/v2/index.js";
import { SecretScrubber } from "../../src/core/secret-scrubber.js";
import { startJsonServer } from "../support/json-server.js";
import type { JsonReply } from "../support/json-server.js";

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The forms a server may quote a secret in. */
function formsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

/** Everything a user or a log may see of an error, plus the debug lines. */
function visible(error: unknown, lines: readonly string[]): Record<string, string> {
  return {
    message: (error as Error).message,
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 10 }),
    debug: lines.join("\n"),
  };
}

function expectNoSecret(texts: Record<string, string>, secrets: readonly string[]): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of secrets) for (const form of formsOf(secret)) expect(text.includes(form), `${where} holds ${form.slice(0, 6)}…`).toBe(false);
  }
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("SecretScrubber", () => {
  it("scrubs raw, percent-encoded, JSON-escaped and credential-header forms, and leaves short strings and key ids", () => {
    const s = new SecretScrubber();
    const secret = 'abc/def+ghi="jkl"é';
    s.remember(secret);
    s.remember("short"); // too short to scrub without wrecking text
    expect(s.text(`raw ${secret} end`)).toBe("raw [REDACTED] end");
    expect(s.text(`q=${encodeURIComponent(secret)}&x=1`)).toBe("q=[REDACTED]&x=1");
    expect(s.text(`q=${encodeURIComponent(secret).toLowerCase()}`)).toBe("q=[REDACTED]");
    expect(s.text(JSON.stringify({ m: `bad ${secret}` }))).toBe('{"m":"bad [REDACTED]"}');
    expect(s.text("short and sweet")).toBe("short and sweet");
    expect(s.text("GET|/v1|x-security-token:someoneElsesToken123|x-sdk-date:20261201T120000Z")).toBe("GET|/v1|x-security-token:[REDACTED]|x-sdk-date:20261201T120000Z");
    expect(s.text("x-security-token:<24 chars>")).toBe("x-security-token:<24 chars>");
    expect(s.text("Authorization: Bearer t1.notremembered")).toBe("Authorization: Bearer [REDACTED]");
    expect(s.text("the authorization header must be a Bearer token")).toBe("the authorization header must be a Bearer token");
    expect(s.text("Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1")).toBe("Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1");
  });
});

describe("Yandex", () => {
  const TOKEN = "t1.echoed-iam-token-0123456789abcdef";

  it("gRPC: a grpc-message and an x-request-id quoting the IAM token", async () => {
    const server = createServer();
    server.on("stream", (stream) => {
      stream.on("error", () => {});
      stream.resume();
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc+proto",
          "grpc-status": String(Code.Unauthenticated),
          "grpc-message": encodeURIComponent(`token "${TOKEN}" is revoked (authorization: Bearer ${TOKEN})`),
          "x-request-id": `req-${TOKEN}`,
        },
        { endStream: true },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const lines: string[] = [];
    const cloud = createYandexCloud({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: iamToken(TOKEN), retry: false, debug: (l) => lines.push(l) });
    cleanup.push(() => cloud.close());
    const error = await failure(cloud.client(JobService).get({ clusterId: "c1", jobId: "j1" }));
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Unauthenticated);
    expect((error as YandexCloudError).message).toMatch(/token "\[REDACTED\]" is revoked/);
    expect(lines.length).toBeGreaterThan(0);
    expectNoSecret(visible(error, lines), [TOKEN]);
  });

  it("REST: an error body, a proxy's HTML page, and the OAuth token the IAM exchange sent", async () => {
    const OAUTH = "y0_echoed-oauth-token-ABCDEFGHIJKLMNOP";
    const replies: JsonReply[] = [];
    const server = await startJsonServer((req) => {
      if (req.url.pathname === "/iam/v1/tokens") return { body: { iamToken: TOKEN, expiresAt: "2099-01-01T00:00:00Z" } };
      return replies.shift()!;
    });
    cleanup.push(() => server.close());
    const lines: string[] = [];
    const cloud = createYandexCloud({ transport: "rest", endpoint: server.url, credentials: oauthToken(OAUTH), retry: false, debug: (l) => lines.push(l) });
    cleanup.push(() => cloud.close());
    const jobs = cloud.client(JobService);
    replies.push({ status: 403, headers: { "x-request-id": TOKEN }, body: { code: 7, message: `token ${TOKEN} (from ${JSON.stringify(OAUTH)}) may not read c1`, details: [] } });
    const body = await failure(jobs.get({ clusterId: "c1", jobId: "j1" }));
    expect((body as YandexCloudError).code).toBe(Code.PermissionDenied);
    expect((body as YandexCloudError).message).toMatch(/token \[REDACTED\] \(from "\[REDACTED\]"\) may not read c1/);
    replies.push({
      status: 502,
      headers: { "content-type": "text/html" },
      body: `<html><body><h1>502 Bad Gateway</h1><pre>GET /dataproc/v1/clusters/c1/jobs/j1\nAuthorization: Bearer ${TOKEN}\n?t=${encodeURIComponent(OAUTH)}</pre></body></html>`,
    });
    const html = await failure(jobs.get({ clusterId: "c1", jobId: "j1" }));
    expect((html as YandexCloudError).code).toBe(Code.Unavailable);
    expectNoSecret(visible(body, lines), [TOKEN, OAUTH]);
    expectNoSecret(visible(html, lines), [TOKEN, OAUTH]);
  });

  it("REST: an operation that failed with a status message quoting the IAM token", async () => {
    const server = await startJsonServer(() => ({
      body: { id: "op1", done: true, error: { code: 7, message: `token ${TOKEN} may not create jobs in c1`, details: [] } },
    }));
    cleanup.push(() => server.close());
    const cloud = createYandexCloud({ transport: "rest", endpoint: server.url, credentials: iamToken(TOKEN), retry: false });
    cleanup.push(() => cloud.close());
    const op = await cloud.client(JobService).create({ clusterId: "c1", jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/a.jar" } } });
    expect(op.result.case === "error" && op.result.value.message).toContain(TOKEN); // the response itself is the caller's, as sent
    const error = await failure(op.wait());
    expect(error).toBeInstanceOf(OperationError);
    expect((error as OperationError).message).toMatch(/^\[permission_denied\] token \[REDACTED\] may not create jobs in c1/);
    expect((error as OperationError).status.message).toBe("token [REDACTED] may not create jobs in c1");
    expectNoSecret(visible(error, []), [TOKEN]);
  });
});

describe("AWS", () => {
  const KEY_ID = "AKIAECHOTEST00000001";
  const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const SESSION = "IQoJb3JpZ2luX2VjEchoedSessionToken/+=abc123";

  it("InvalidSignatureException quoting the canonical string with x-amz-security-token, and the token in x-amzn-requestid", async () => {
    const server = await startJsonServer((req) => ({
      status: 403,
      headers: { "x-amzn-errortype": "InvalidSignatureException", "x-amzn-requestid": `rid-${encodeURIComponent(SESSION)}` },
      body: {
        message:
          "The request signature we calculated does not match the signature you provided. The Canonical String for this request should have been\n" +
          `'GET\n${req.url.pathname}\n\nhost:${req.url.host}\nx-amz-date:20261201T000000Z\nx-amz-security-token:${SESSION}\n\nhost;x-amz-date;x-amz-security-token\ne3b0'\n` +
          `Authorization: ${String(req.headers.authorization)} (secret ${SECRET})`,
      },
    }));
    cleanup.push(() => server.close());
    const lines: string[] = [];
    const aws = createAwsCloud({
      region: "us-east-1",
      endpoint: server.url,
      credentials: awsCredentials({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION }),
      retry: false,
      debug: (l) => lines.push(l),
    });
    cleanup.push(() => aws.close());
    const error = await failure(aws.client(EmrServerlessService).getJobRun({ applicationId: "app1", jobRunId: "r1" }));
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).awsErrorType).toBe("InvalidSignatureException");
    const texts = visible(error, lines);
    expectNoSecret(texts, [SECRET, SESSION]);
    expect(texts.message).toContain("x-amz-security-token:[REDACTED]");
    expect(texts.message).toContain(`Credential=${KEY_ID}/`);
    expect(texts.json).toContain(KEY_ID);
    expect((error as AwsError).requestId).toBe("rid-[REDACTED]");
  });
});

describe("Huawei", () => {
  const AK = "HWECHOTESTACCESSKEY1";
  const SK = "huawei-echoed-secret-key-0000000000000000";
  const TOKEN = "gQpjbi1ub3J0aC00huaweiEchoedSecurityToken+/=";

  it("APIGW.0301 quoting the canonical request with x-security-token, and the token in x-request-id", async () => {
    const server = await startJsonServer((req) => ({
      status: 401,
      headers: { "x-request-id": TOKEN },
      body: {
        error_code: "APIGW.0301",
        error_msg: `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET|${req.url.pathname}/||host:${req.url.host}|x-sdk-date:${String(req.headers["x-sdk-date"])}|x-security-token:${TOKEN}||host;x-sdk-date;x-security-token|e3b0 (ak ${AK}, sk ${SK})`,
        request_id: TOKEN,
      },
    }));
    cleanup.push(() => server.close());
    const lines: string[] = [];
    const huawei = createHuaweiCloud({
      region: "cn-north-4",
      projectId: "37caa80116e1403ab603e5eeb48a2f74",
      endpoint: server.url,
      credentials: huaweiCredentials({ accessKey: AK, secretKey: SK, securityToken: TOKEN }),
      retry: false,
      debug: (l) => lines.push(l),
    });
    cleanup.push(() => huawei.close());
    const error = await failure(huawei.client(JobExecutionService).showSingleJobExe({ clusterId: "c1", jobExecutionId: "j1" }));
    expect(error).toBeInstanceOf(HuaweiCloudError);
    expect((error as HuaweiCloudError).errorCode).toBe("APIGW.0301");
    expect(lines.length).toBeGreaterThan(0);
    const texts = visible(error, lines);
    expectNoSecret(texts, [SK, TOKEN]);
    expect(texts.message).toContain("x-security-token:[REDACTED]");
    expect(texts.message).toContain(`ak ${AK}`);
    expect((error as HuaweiCloudError).requestId).toBe("[REDACTED]");
  });
});

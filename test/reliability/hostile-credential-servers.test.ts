// Issue 24, items 4, 5, 6 and 9: credential sources facing hostile servers
// and inputs, on all three clouds, against real servers on 127.0.0.1.
//
// 4. a credential with CR/LF/NUL is refused before use (UNAUTHENTICATED
//    naming the source and the rule), the secret appears nowhere in the
//    error's cause chain, and nothing is sent;
// 5. a plaintext AWS_CONTAINER_CREDENTIALS_FULL_URI must name a loopback or
//    ECS/EKS address, judged on the parsed host;
// 6. credential endpoints never follow a redirect (the other origin receives
//    nothing, and credentials served there are never used);
// 9. close() aborts a metadata lookup in flight (the server sees the socket
//    close, long before the lookup's own time limit).
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import {
  awsCredentials,
  chainAwsCredentials,
  createAwsCloud,
  defaultAwsCredentials,
  fromAwsContainer,
  fromAwsEnvironment,
  fromAwsInstanceMetadata,
} from "../../src/aws/index.js";
import type { AwsCredentialProvider } from "../../src/aws/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { headerValueProblem } from "../../src/core/header-value.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { createHuaweiCloud, huaweiCredentials, huaweiMetadataCredentials } from "../../src/huawei/index.js";
import type { HuaweiCredentials } from "../../src/huawei/index.js";
import { JobExecutionService } from "../../src/huawei/mrs/v2/index.js";
import { createYandexCloud, iamToken, metadataService } from "../../src/index.js";
import { ManualClock } from "../../src/testing/index.js";
import type { Credentials } from "../../src/index.js";

/** What must never show up anywhere. */
const SECRET = "SeCrEt-Token-0123456789abcdefXYZ";
const tokenWithCrlf = `${SECRET}\r\nX-Injected: 1`;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Resolves when the request's socket closes (the client went away or the answer was sent and the connection ended). */
  readonly closed: Promise<void>;
}

interface TestServer {
  readonly origin: string;
  readonly port: number;
  readonly seen: Seen[];
  /** Resolves with the first request as soon as it arrives. */
  readonly arrived: Promise<Seen>;
  /** Resolves with request number `n` (from 0) as soon as it arrives. */
  request(n: number): Promise<Seen>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
});

/** A server on 127.0.0.1 that records every request; `answer` may leave a request unanswered. */
async function startServer(answer: (seen: Seen, res: ServerResponse) => void): Promise<TestServer> {
  const seen: Seen[] = [];
  const waiters = new Map<number, (s: Seen) => void>();
  const request = (n: number): Promise<Seen> =>
    seen[n] ? Promise.resolve(seen[n]) : new Promise<Seen>((resolve) => waiters.set(n, resolve));
  const server = createServer((req, res) => {
    const closed = new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
    const entry: Seen = { method: req.method!, url: req.url!, headers: req.headers, closed };
    seen.push(entry);
    waiters.get(seen.length - 1)?.(entry);
    req.resume();
    answer(entry, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, seen, arrived: request(0), request };
}

/** The API server of every cloud: answers `{}` and records that it was asked. */
const apiServer = (): Promise<TestServer> => startServer((_s, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));

/** Every text an error shows, down its whole cause chain. */
function expectSecretNowhere(error: unknown): void {
  const texts: string[] = [inspect(error, { depth: 10 }), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error) ?? ""];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 20; depth++) {
    texts.push(String(e));
    if (e instanceof Error) texts.push(e.message, e.stack ?? "");
    texts.push(JSON.stringify(e) ?? "");
    e = (e as { cause?: unknown }).cause;
  }
  for (const text of texts) expect(text).not.toContain(SECRET);
}

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );

// One call per cloud, against the given API server.
const yandexCall = (credentials: Credentials, api: TestServer) => {
  const cloud = createYandexCloud({ transport: "rest", endpoint: api.origin, credentials, retry: false });
  return { cloud, call: () => cloud.client(JobService).get({ clusterId: "c9qcluster", jobId: "c9qjob" }) };
};
const awsCall = (credentials: AwsCredentialProvider, api: TestServer) => {
  const cloud = createAwsCloud({ region: "us-east-1", endpoint: api.origin, credentials, retry: false, env: {} });
  return { cloud, call: () => cloud.client(EmrServerless).getJobRun({ applicationId: "a1", jobRunId: "j1" }) };
};
const huaweiCall = (credentials: HuaweiCredentials, api: TestServer) => {
  const cloud = createHuaweiCloud({ region: "cn-north-4", projectId: "p1", endpoint: api.origin, credentials, retry: false });
  return { cloud, call: () => cloud.client(JobExecutionService).showJobExeListNew({ clusterId: "c1" }) };
};

/** The Huawei metadata answer with these keys. */
const huaweiKey = (access: string, securitytoken: string): string =>
  JSON.stringify({ credential: { access, secret: "huawei-sk-0123456789", securitytoken, expires_at: new Date(Date.now() + 3600_000).toISOString() } });
/** The AWS container / IMDS answer with these keys. */
const awsKey = (accessKeyId: string, token: string): string =>
  JSON.stringify({ Code: "Success", AccessKeyId: accessKeyId, SecretAccessKey: "aws-secret-0123456789", Token: token, Expiration: new Date(Date.now() + 3600_000).toISOString() });

describe("headerValueProblem (the one check every cloud uses)", () => {
  it("accepts real tokens and names the rule and the first bad character, never the value", () => {
    for (const ok of ["t1.9euelZqXj5LJ-_AbC", "IQoJb3JpZ2luX2VjE+/=", "Bearer abc.def", "a"]) expect(headerValueProblem(ok, "x")).toBeUndefined();
    const cases: Array<[string, RegExp]> = [
      [`${SECRET}\r\nX: 1`, /a CR \(carriage return\) at index 32/],
      [`${SECRET}\nX`, /an LF \(line feed\) at index 32/],
      [`${SECRET}\0`, /a NUL at index 32/],
      [` ${SECRET}`, /a leading or trailing space at index 0/],
      [`${SECRET}é`, /a non-ASCII character at index 32/],
      ["", /it is empty/],
    ];
    for (const [value, kind] of cases) {
      const problem = headerValueProblem(value, "the session token from environment")!;
      expect(problem).toMatch(/^the session token from environment cannot be sent as an HTTP header value: /);
      expect(problem).toMatch(kind);
      expect(problem).not.toContain(SECRET);
    }
  });
});

describe("item 4: a credential with CR/LF/NUL is refused before use, and never printed", () => {
  it("Yandex: a metadata service answering a token with CRLF → UNAUTHENTICATED naming the source and rule; nothing sent", async () => {
    const metadata = await startServer((_s, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: tokenWithCrlf, expires_in: 3600, token_type: "Bearer" })),
    );
    const api = await apiServer();
    const { cloud, call } = yandexCall(metadataService({ address: `127.0.0.1:${metadata.port}` }), api);
    const error = await rejection(call());
    cloud.close();
    expect(ConnectError.prototype.isPrototypeOf(error as object)).toBe(true);
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/metadata service.*access_token cannot be sent as an HTTP header value: it has a CR \(carriage return\)/);
    expectSecretNowhere(error);
    expect(api.seen).toHaveLength(0);
    expect(metadata.seen).toHaveLength(1);
  });

  it("Yandex: a static IAM token with CRLF (or NUL) → UNAUTHENTICATED, nothing sent", async () => {
    const api = await apiServer();
    for (const token of [tokenWithCrlf, `${SECRET}\0x`]) {
      const { cloud, call } = yandexCall(iamToken(token), api);
      const error = await rejection(call());
      cloud.close();
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as Error).message).toMatch(/no IAM token from IAM token: the token it gave cannot be sent as an HTTP header value: it has a (CR|NUL)/);
      expectSecretNowhere(error);
    }
    expect(api.seen).toHaveLength(0);
  });

  it("AWS: an IMDS session token with CRLF is never sent back; the call fails UNAUTHENTICATED", async () => {
    const imds = await startServer((s, res) => res.writeHead(200).end(s.method === "PUT" ? tokenWithCrlf : "role"));
    const api = await apiServer();
    const { cloud, call } = awsCall(fromAwsInstanceMetadata({ endpoint: imds.origin, env: {} }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/instance metadata: .* was not asked: the x-aws-ec2-metadata-token value cannot be sent as an HTTP header value: it has a CR/);
    expectSecretNowhere(error);
    expect(imds.seen.map((s) => s.method)).toEqual(["PUT"]);
    expect(api.seen).toHaveLength(0);
  });

  it("AWS: a session token (and a key id) with CRLF served by IMDS → UNAUTHENTICATED, nothing sent", async () => {
    for (const [id, token] of [["ASIAOK", tokenWithCrlf], [`ASIA\r\n${SECRET}`, "fine-token"]] as const) {
      const imds = await startServer((s, res) =>
        res.writeHead(200).end(s.method === "PUT" ? "session-ok" : s.url.endsWith("/") ? "role" : awsKey(id, token)),
      );
      const api = await apiServer();
      const { cloud, call } = awsCall(fromAwsInstanceMetadata({ endpoint: imds.origin, env: {} }), api);
      const error = await rejection(call());
      cloud.close();
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as Error).message).toMatch(/instance metadata: the answer is unusable: its (Token|AccessKeyId) cannot be sent as an HTTP header value: it has a CR/);
      expectSecretNowhere(error);
      expect(api.seen).toHaveLength(0);
    }
  });

  it("AWS: a container token with CRLF stops the chain naming the variable; the endpoint and the API receive nothing", async () => {
    const container = await startServer((_s, res) => res.writeHead(200).end(awsKey("ASIACONTAINER", "t")));
    const api = await apiServer();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.origin}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: tokenWithCrlf, AWS_EC2_METADATA_DISABLED: "true" };
    const { cloud, call } = awsCall(defaultAwsCredentials({ env }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN cannot be sent as an HTTP header value: it has a CR/);
    expect((error as Error).message).not.toMatch(/did not answer/);
    expectSecretNowhere(error);
    expect(container.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
  });

  it("AWS: a static session token with CRLF → UNAUTHENTICATED naming the provider, nothing sent", async () => {
    const api = await apiServer();
    const { cloud, call } = awsCall(awsCredentials({ accessKeyId: "AKIDSTATIC", secretAccessKey: "s3cr3t-key", sessionToken: tokenWithCrlf }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/the session token from static cannot be sent as an HTTP header value: it has a CR/);
    expectSecretNowhere(error);
    expect(api.seen).toHaveLength(0);
  });

  it("Huawei: a security token with CRLF, from the metadata service or static → UNAUTHENTICATED, nothing sent", async () => {
    const metadata = await startServer((s, res) => res.writeHead(200).end(s.method === "PUT" ? "session-ok" : huaweiKey("TEMPAK", tokenWithCrlf)));
    const api = await apiServer();
    const sources: Array<[HuaweiCredentials, RegExp]> = [
      [huaweiMetadataCredentials({ endpoint: metadata.origin }), /securitykey answer is unusable: its credential\.securitytoken cannot be sent as an HTTP header value: it has a CR/],
      [huaweiCredentials({ accessKey: "QTWAAK", secretKey: "sk-0123456789", securityToken: tokenWithCrlf }), /the security token from static cannot be sent as an HTTP header value: it has a CR/],
    ];
    for (const [credentials, message] of sources) {
      const { cloud, call } = huaweiCall(credentials, api);
      const error = await rejection(call());
      cloud.close();
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as Error).message).toMatch(message);
      expectSecretNowhere(error);
    }
    expect(api.seen).toHaveLength(0);
  });

  it("Huawei: a metadata session token with CRLF is never sent back", async () => {
    const metadata = await startServer((s, res) => res.writeHead(200).end(s.method === "PUT" ? tokenWithCrlf : huaweiKey("TEMPAK", "tok")));
    const error = await rejection(huaweiMetadataCredentials({ endpoint: metadata.origin }).accessKey());
    expect((error as Error).message).toMatch(/api\/token: the session token it answered cannot be sent as an HTTP header value: it has a CR/);
    expectSecretNowhere(error);
    expect(metadata.seen.map((s) => s.method)).toEqual(["PUT"]);
  });
});

describe("item 5: AWS_CONTAINER_CREDENTIALS_FULL_URI over http must name loopback or the ECS/EKS address", () => {
  /**
   * A fetch that resolves every host to the hostile server (as a hostile DNS
   * would), so a URL the rule wrongly admitted would hand it the token.
   */
  const resolvingTo = (server: TestServer): typeof fetch => (input, init) => {
    const url = new URL(String(input));
    return fetch(`${server.origin}${url.pathname}`, init);
  };

  it("refuses look-alike hosts on the parsed address; the token never leaves", async () => {
    const hostile = await startServer((_s, res) => res.writeHead(200).end(awsKey("ASIAEVIL", "t")));
    for (const full of [
      "http://127.evil.invalid/creds",
      "http://127.0.0.1.evil.invalid/creds",
      "http://localhost.evil.invalid/creds",
      "http://169.254.169.254/creds",
      "http://10.0.0.1/creds",
      "http://[::ffff:127.0.0.1]/creds",
      "ftp://127.0.0.1/creds",
    ]) {
      const provider = fromAwsContainer({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: full, AWS_CONTAINER_AUTHORIZATION_TOKEN: SECRET }, fetch: resolvingTo(hostile) });
      const error = (await rejection(provider.resolve())) as Error;
      expect(error.message, full).toMatch(/AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address \(127\.0\.0\.0\/8, ::1, localhost\) or the ECS\/EKS address/);
      expectSecretNowhere(error);
    }
    expect(hostile.seen).toHaveLength(0);
  });

  it("admits https, loopback IP literals, localhost and the ECS/EKS addresses", async () => {
    const server = await startServer((_s, res) => res.writeHead(200).end(awsKey("ASIAOK", "t")));
    const admitted = [
      `http://127.0.0.1:${server.port}/creds`,
      `http://localhost:${server.port}/creds`,
      "http://127.1.2.3/creds",
      "http://169.254.170.2/creds",
      "http://169.254.170.23/creds",
      "http://[fd00:ec2::23]/creds",
      "http://[::1]/creds",
      "https://creds.example.com/creds",
    ];
    for (const full of admitted) {
      const provider = fromAwsContainer({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: full, AWS_CONTAINER_AUTHORIZATION_TOKEN: "tok" }, fetch: resolvingTo(server) });
      expect((await provider.resolve()).accessKeyId, full).toBe("ASIAOK");
    }
    expect(server.seen).toHaveLength(admitted.length);
    expect(server.seen.every((s) => s.headers.authorization === "tok")).toBe(true);
  });
});

describe("item 6: credential endpoints never follow a redirect", () => {
  /** The other origin: would hand out credentials, records whether anyone came (with what). */
  const elsewhere = (body: string): Promise<TestServer> => startServer((_s, res) => res.writeHead(200).end(body));
  const redirectTo = (target: TestServer, res: ServerResponse, path: string): void => {
    res.writeHead(307, { location: `${target.origin}${path}` }).end();
  };

  it("Yandex metadata: a 307 fails the source naming it; the other origin receives nothing", async () => {
    const other = await elsewhere(JSON.stringify({ access_token: "t1.from-elsewhere", expires_in: 3600 }));
    const metadata = await startServer((s, res) => redirectTo(other, res, s.url));
    const api = await apiServer();
    const { cloud, call } = yandexCall(metadataService({ address: `127.0.0.1:${metadata.port}` }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/metadataService: no token from 127\.0\.0\.1:\d+ \(answered HTTP 307, a redirect; credential endpoints are never followed elsewhere\)/);
    expect(other.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
  });

  it("AWS IMDSv2: a 307 after the session token fails the source; the other origin never sees the token", async () => {
    const other = await elsewhere(awsKey("ASIAELSEWHERE", "t"));
    const imds = await startServer((s, res) => (s.method === "PUT" ? res.writeHead(200).end(SECRET) : redirectTo(other, res, s.url)));
    const api = await apiServer();
    const { cloud, call } = awsCall(fromAwsInstanceMetadata({ endpoint: imds.origin, env: {} }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/instance metadata: http:\/\/127\.0\.0\.1:\d+\/latest\/meta-data\/iam\/security-credentials\/ answered HTTP 307, a redirect/);
    expect(imds.seen.map((s) => s.method)).toEqual(["PUT", "GET"]);
    expect(other.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
    expectSecretNowhere(error);
  });

  it("AWS container endpoint: a 307 stops the chain; the other origin never sees the authorization token", async () => {
    const other = await elsewhere(awsKey("ASIAELSEWHERE", "t"));
    const container = await startServer((s, res) => redirectTo(other, res, s.url));
    const api = await apiServer();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.origin}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: SECRET, AWS_EC2_METADATA_DISABLED: "true" };
    const { cloud, call } = awsCall(defaultAwsCredentials({ env }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/container credentials: .*\/creds answered HTTP 307, a redirect/);
    expect(container.seen).toHaveLength(1);
    expect(other.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
    expectSecretNowhere(error);
  });

  it("Huawei metadata: a 307 for the keys fails the source; the other origin never sees the session token", async () => {
    const other = await elsewhere(huaweiKey("AKELSEWHERE", "tok"));
    const metadata = await startServer((s, res) => (s.method === "PUT" ? res.writeHead(200).end(SECRET) : redirectTo(other, res, s.url)));
    const api = await apiServer();
    const { cloud, call } = huaweiCall(huaweiMetadataCredentials({ endpoint: metadata.origin }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(/huaweiMetadataCredentials: http:\/\/127\.0\.0\.1:\d+\/openstack\/latest\/securitykey answered HTTP 307, a redirect/);
    expect(other.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
    expectSecretNowhere(error);
  });
});

describe("item 9: close() aborts a metadata lookup in flight", () => {
  // Each lookup's own limit is ten minutes: only the abort can end it within the test.
  const tenMinutes = 600_000;
  const silent = (): Promise<TestServer> => startServer(() => {});

  it("Yandex metadata service", async () => {
    const metadata = await silent();
    const api = await apiServer();
    const { cloud, call } = yandexCall(metadataService({ address: `127.0.0.1:${metadata.port}`, timeoutMs: tenMinutes }), api);
    const pending = rejection(call());
    const request = await metadata.arrived;
    cloud.close();
    expect((await pending as ConnectError).code).toBe(Code.Canceled);
    await request.closed; // the lookup itself was aborted: its socket is gone
    expect(api.seen).toHaveLength(0);
  });

  it("AWS instance metadata, through a chain", async () => {
    const imds = await silent();
    const api = await apiServer();
    const chain = chainAwsCredentials(fromAwsEnvironment({ env: {} }), fromAwsInstanceMetadata({ endpoint: imds.origin, env: {}, timeoutMs: tenMinutes }));
    const { cloud, call } = awsCall(chain, api);
    const pending = rejection(call());
    const request = await imds.arrived;
    cloud.close();
    expect((await pending as ConnectError).code).toBe(Code.Canceled);
    await request.closed;
    expect(imds.seen).toHaveLength(1); // the chain went no further after the abort
  });

  it("AWS container endpoint", async () => {
    const container = await silent();
    const api = await apiServer();
    const provider = fromAwsContainer({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.origin}/creds` }, timeoutMs: tenMinutes });
    const { cloud, call } = awsCall(provider, api);
    const pending = rejection(call());
    const request = await container.arrived;
    cloud.close();
    expect((await pending as ConnectError).code).toBe(Code.Canceled);
    await request.closed;
  });

  it("Huawei metadata service", async () => {
    const metadata = await silent();
    const api = await apiServer();
    const { cloud, call } = huaweiCall(huaweiMetadataCredentials({ endpoint: metadata.origin, timeoutMs: tenMinutes }), api);
    const pending = rejection(call());
    const request = await metadata.arrived;
    cloud.close();
    expect((await pending as ConnectError).code).toBe(Code.Canceled);
    await request.closed;
    expect(api.seen).toHaveLength(0);
  });

  it("Yandex: a background refresh (the call went on with the cached token) is aborted too", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const metadata = await startServer((s, res) => {
      // The first lookup answers; the refresh hangs.
      if (metadata.seen.length === 1) res.writeHead(200).end(JSON.stringify({ access_token: "t1.first", expires_in: 3600 }));
    });
    const api = await apiServer();
    const credentials = metadataService({ address: `127.0.0.1:${metadata.port}`, timeoutMs: tenMinutes });
    const cloud = createYandexCloud({ transport: "rest", endpoint: api.origin, credentials, retry: false, clock });
    const jobs = cloud.client(JobService);
    await jobs.get({ clusterId: "c9qcluster", jobId: "c9qjob" });
    clock.advance(31 * 60_000); // past half the lifetime: refresh in the background, keep using t1.first
    await jobs.get({ clusterId: "c9qcluster", jobId: "c9qjob" });
    expect(api.seen.map((s) => s.headers.authorization)).toEqual(["Bearer t1.first", "Bearer t1.first"]);
    const refresh = await metadata.request(1);
    cloud.close();
    await refresh.closed;
  });

  it("a lookup another cloud still waits for is not aborted by closing the first", async () => {
    let answer!: (body: string) => void;
    const body = new Promise<string>((resolve) => (answer = resolve));
    const metadata = await startServer((_s, res) => void body.then((b) => res.writeHead(200).end(b)));
    const api = await apiServer();
    const shared = metadataService({ address: `127.0.0.1:${metadata.port}`, timeoutMs: tenMinutes });
    const first = yandexCall(shared, api);
    const second = yandexCall(shared, api);
    const gone = rejection(first.call());
    const kept = second.call();
    await metadata.arrived;
    first.cloud.close();
    expect((await gone as ConnectError).code).toBe(Code.Canceled);
    answer(JSON.stringify({ access_token: "t1.shared", expires_in: 3600 }));
    await kept;
    second.cloud.close();
    expect(metadata.seen).toHaveLength(1);
    expect(api.seen.map((s) => s.headers.authorization)).toEqual(["Bearer t1.shared"]);
  });
});

describe("credential endpoints read at most 64 KiB of a body (found while listing the package's limits)", () => {
  // Each lookup's own limit is ten minutes: only the body cap can end it within the test.
  const tenMinutes = 600_000;
  /** Answers 200 and writes JSON-looking bytes until the client goes away. */
  const endless = (res: ServerResponse): void => {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.from(`{"pad":"${"x".repeat(16 * 1024)}",`);
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once("drain", pump);
    };
    res.on("error", () => {});
    pump();
  };
  /** Declares a 1 MiB body in content-length, then sends it. */
  const declared = (res: ServerResponse): void => {
    res.on("error", () => {});
    res.writeHead(200, { "content-type": "application/json", "content-length": String(1024 * 1024) }).end(Buffer.alloc(1024 * 1024, 0x20));
  };
  const refused = /with a body over 65536 bytes; refused/;

  it("Yandex metadata service: an endless body and a declared 1 MiB body fail the source; the API is never called", async () => {
    for (const answer of [endless, declared]) {
      const metadata = await startServer((_s, res) => answer(res));
      const api = await apiServer();
      const { cloud, call } = yandexCall(metadataService({ address: `127.0.0.1:${metadata.port}`, timeoutMs: tenMinutes }), api);
      const error = await rejection(call());
      cloud.close();
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as Error).message).toMatch(refused);
      await metadata.seen[0]!.closed; // the client let go of the connection
      expect(api.seen).toHaveLength(0);
    }
  });

  it("AWS instance metadata and container endpoint", async () => {
    const imds = await startServer((s, res) => (s.method === "PUT" ? res.writeHead(200).end("imds-session-token") : s.url.endsWith("/security-credentials/") ? res.writeHead(200).end("role") : endless(res)));
    const container = await startServer((_s, res) => declared(res));
    const api = await apiServer();
    for (const provider of [fromAwsInstanceMetadata({ endpoint: imds.origin, env: {}, timeoutMs: tenMinutes }), fromAwsContainer({ env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.origin}/creds` }, timeoutMs: tenMinutes })]) {
      const { cloud, call } = awsCall(provider, api);
      const error = await rejection(call());
      cloud.close();
      expect((error as ConnectError).code).toBe(Code.Unauthenticated);
      expect((error as Error).message).toMatch(refused);
    }
    expect(imds.seen.map((s) => s.method)).toEqual(["PUT", "GET", "GET"]);
    expect(api.seen).toHaveLength(0);
  });

  it("Huawei metadata service", async () => {
    const metadata = await startServer((s, res) => (s.method === "PUT" ? res.writeHead(200).end("huawei-session-token") : endless(res)));
    const api = await apiServer();
    const { cloud, call } = huaweiCall(huaweiMetadataCredentials({ endpoint: metadata.origin, timeoutMs: tenMinutes }), api);
    const error = await rejection(call());
    cloud.close();
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
    expect((error as Error).message).toMatch(refused);
    expect(api.seen).toHaveLength(0);
  });
});

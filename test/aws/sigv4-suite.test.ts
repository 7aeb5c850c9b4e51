/**
 * The AWS SigV4 test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4,
 * commit 495329c2, stored as data in test/fixtures/sigv4/v4): every case's
 * canonical request, string to sign and signature, header form.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signV4 } from "../../src/aws/sigv4/sign.js";

const root = join(import.meta.dirname, "../fixtures/sigv4/v4");
const cases = readdirSync(root).sort();

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  region: string;
  service: string;
  timestamp: string;
  normalize: boolean;
  sign_body: boolean;
  omit_session_token?: boolean;
}

/** request.txt: `METHOD path HTTP/1.1`, header lines (indented lines continue), blank line, body. */
function parseRequest(text: string) {
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? undefined : text.slice(split + 2);
  const [requestLine, ...lines] = head.split("\n");
  const match = /^(\S+) (.*) HTTP\/1\.1$/.exec(requestLine!);
  if (!match) throw new Error(`bad request line ${requestLine}`);
  const target = match[2]!;
  const q = target.indexOf("?");
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === "") continue;
    if (/^\s/.test(line)) {
      headers[headers.length - 1]![1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  const host = headers.find(([n]) => n.toLowerCase() === "host")![1];
  return {
    method: match[1]!,
    path: q < 0 ? target : target.slice(0, q),
    search: q < 0 ? "" : target.slice(q),
    headers,
    host,
    body,
  };
}

describe("AWS SigV4 test suite (aws-c-auth v4)", () => {
  it("has every case of the suite", () => {
    expect(cases.length).toBe(38);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const read = (file: string) => readFileSync(join(dir, file), "utf8");
      const context = JSON.parse(read("context.json")) as Context;
      const request = parseRequest(read("request.txt"));
      const result = await signV4(request, {
        credentials: {
          accessKeyId: context.credentials.access_key_id,
          secretAccessKey: context.credentials.secret_access_key,
          sessionToken: context.credentials.token,
        },
        region: context.region,
        service: context.service,
        date: new Date(context.timestamp),
        normalizePath: context.normalize,
        signPayloadHeader: context.sign_body,
        signSessionToken: !context.omit_session_token,
      });
      expect(result.canonicalRequest).toBe(read("header-canonical-request.txt"));
      expect(result.stringToSign).toBe(read("header-string-to-sign.txt"));
      expect(result.signature).toBe(read("header-signature.txt").trim());
      expect(result.authorization).toContain(`Signature=${result.signature}`);
    });
  }
});

describe("SigV4 signer on real requests", () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

  it("double-encodes an already-encoded path and normalizes it (non-S3 rule)", async () => {
    const { canonicalPath } = await import("../../src/aws/sigv4/uri.js");
    expect(canonicalPath("/applications/a%40b/jobruns")).toBe("/applications/a%2540b/jobruns");
    expect(canonicalPath("/a/./b/../c//d/")).toBe("/a/c/d/");
    expect(canonicalPath("//x//", { normalize: false })).toBe("//x//");
  });

  it("encodes the query the RFC 3986 way and sorts it", async () => {
    const { canonicalQuery } = await import("../../src/aws/sigv4/uri.js");
    expect(canonicalQuery("?b=2&a=%20x&a=!&c")).toBe("a=%20x&a=%21&b=2&c=");
    expect(canonicalQuery("?k=(it's)*")).toBe("k=%28it%27s%29%2A");
  });

  it("signs host with a non-default port, adds the payload hash and session token, and caches the derived key", async () => {
    const { sigV4Signer } = await import("../../src/aws/sigv4/signer.js");
    const { SigningKeyCache } = await import("../../src/aws/sigv4/key-cache.js");
    let resolved = 0;
    const signer = sigV4Signer({
      credentials: { kind: "test", resolve: async () => (resolved++, { ...credentials, sessionToken: "TOKEN" }) },
      region: "us-east-1",
      service: "emr-serverless",
      now: () => Date.UTC(2026, 11, 1, 12),
    });
    const request = { method: "GET", url: new URL("http://127.0.0.1:8443/applications/a/jobruns?maxResults=1"), headers: new Headers(), body: undefined };
    await signer(request, new AbortController().signal);
    const auth = request.headers.get("authorization")!;
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/us-east-1\/emr-serverless\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    expect(request.headers.get("x-amz-content-sha256")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(request.headers.get("x-amz-security-token")).toBe("TOKEN");
    const expected = await signV4(
      { method: "GET", host: "127.0.0.1:8443", path: "/applications/a/jobruns", search: "?maxResults=1", headers: [] },
      { credentials: { ...credentials, sessionToken: "TOKEN" }, region: "us-east-1", service: "emr-serverless", date: new Date(Date.UTC(2026, 11, 1, 12)) },
    );
    expect(auth).toBe(expected.authorization);
    // A retry re-signs from scratch: same time and input, same signature, no duplicated headers.
    await signer(request, new AbortController().signal);
    expect(request.headers.get("authorization")).toBe(auth);
    expect(resolved).toBe(2);

    const cache = new SigningKeyCache(2);
    const k1 = await cache.key("A", "s1", "20261201", "us-east-1", "svc");
    expect(await cache.key("A", "s1", "20261201", "us-east-1", "svc")).toBe(k1);
    expect(await cache.key("A", "rotated", "20261201", "us-east-1", "svc")).not.toBe(k1);
    await cache.key("B", "s", "20261201", "us-east-1", "svc");
    await cache.key("C", "s", "20261201", "us-east-1", "svc");
    expect(cache.size).toBe(2);
    expect(JSON.stringify(cache)).not.toContain("s1");
  });
});

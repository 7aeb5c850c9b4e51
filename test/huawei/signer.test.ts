import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { computeSignature, parseAuthorization } from "../../src/huawei/signing/algorithm.js";
import { canonicalQuery, canonicalRequest, canonicalUri } from "../../src/huawei/signing/canonical.js";
import { sha256Hex } from "../../src/huawei/signing/digest.js";
import { formatSdkDate, parseSdkDate } from "../../src/huawei/signing/date.js";
import { huaweiSigner } from "../../src/huawei/signing/signer.js";
import { SigningLog } from "../../src/huawei/signing/signing-log.js";
import { huaweiCredentials } from "../../src/huawei/credentials/static.js";
import type { HttpRequestParts } from "../../src/rest/types.js";

interface SignatureVector {
  name: string;
  accessKey: string;
  secretKey: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  signedHeaders: string[];
  canonicalRequest?: string;
  authorization: string;
}
const vectors = JSON.parse(readFileSync(new URL("../fixtures/huawei/signer-vectors.json", import.meta.url), "utf8")) as {
  signatures: SignatureVector[];
  canonicalQuery: { params: [string, string][]; expected: string };
  canonicalRequestHash: { method: string; url: string; headers: Record<string, string>; signedHeaders: string[]; sha256: string };
};

// The official Node core signer, used as an oracle only (dev dependency).
const require = createRequire(import.meta.url);
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: { sign(request: object, credential: { getAk(): string; getSk(): string }): Record<string, string> };
};

const utf8 = new TextEncoder();
const AK = "HPUAEXAMPLEAK0000001";
const SK = "exampleSecretKey0123456789abcdefEXAMPLE0";
const at = Date.UTC(2026, 11, 1, 11, 22, 33);

function request(method: string, url: string, headers: Record<string, string> = {}, body?: string): HttpRequestParts {
  return { method, url: new URL(url), headers: new Headers(headers), body: body === undefined ? undefined : utf8.encode(body) };
}

describe("SDK-HMAC-SHA256 published vectors", () => {
  for (const v of vectors.signatures) {
    it(`reproduces ${v.name}`, async () => {
      const parts = await computeSignature(
        request(v.method, v.url, v.headers),
        v.body === null ? undefined : utf8.encode(v.body),
        v.signedHeaders,
        v.accessKey,
        v.secretKey,
      );
      if (v.canonicalRequest) expect(parts.canonicalRequest).toBe(v.canonicalRequest);
      expect(parts.authorization).toBe(v.authorization);
    });
  }

  it("reproduces the Go canonical query string test", () => {
    const url = new URL("https://example.huaweicloud.com/path");
    // Shuffled and encoded the way a transport might (%20 for space, unreserved left alone).
    url.search = [...vectors.canonicalQuery.params]
      .reverse()
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&");
    expect(canonicalQuery(url)).toBe(vectors.canonicalQuery.expected);
  });

  it("reproduces the official guide's canonical request hash", async () => {
    const v = vectors.canonicalRequestHash;
    const canonical = canonicalRequest(request(v.method, v.url, v.headers), v.signedHeaders, await sha256Hex(""));
    expect(canonical.split("\n")[1]).toBe("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/");
    expect(await sha256Hex(canonical)).toBe(v.sha256);
  });
});

describe("canonical forms", () => {
  it("always ends the URI with a slash and keeps an existing one", () => {
    expect(canonicalUri(new URL("https://h/v2/p/clusters/c/job-executions"))).toBe("/v2/p/clusters/c/job-executions/");
    expect(canonicalUri(new URL("https://h/v2/p/"))).toBe("/v2/p/");
    expect(canonicalUri(new URL("https://h"))).toBe("/");
  });

  it("encodes a path segment once, as Go and the gateway do (not twice, as the Node core does)", () => {
    // A job id with ':' sent percent-encoded: signed as %3A, not %253A.
    expect(canonicalUri(new URL("https://h/v2/p/urn%3Afss%3Ax/kill"))).toBe("/v2/p/urn%3Afss%3Ax/kill/");
    // fetch leaves '!' and '*' raw in paths; the RFC 3986 set encodes them in the signature.
    expect(canonicalUri(new URL("https://h/a!b*c(d)"))).toBe("/a%21b%2Ac%28d%29/");
  });

  it("sorts repeated keys by value, gives key= for empty values and reads + literally", () => {
    expect(canonicalQuery(new URL("https://h/p?b=2&a&b=1&c=x+y&d=%20"))).toBe("a=&b=1&b=2&c=x%2By&d=%20");
  });

  it("formats and parses X-Sdk-Date in UTC basic format", () => {
    expect(formatSdkDate(Date.UTC(2006, 0, 2, 15, 4, 5, 999))).toBe("20060102T150405Z");
    expect(parseSdkDate("20060102T150405Z")).toBe(Date.UTC(2006, 0, 2, 15, 4, 5));
    expect(parseSdkDate("20060230T150405Z")).toBeUndefined();
    expect(parseSdkDate("2006-01-02T15:04:05Z")).toBeUndefined();
  });
});

describe("huaweiSigner (the REST transport's signer hook)", () => {
  const clock = { now: () => at };

  it("adds X-Sdk-Date, X-Project-Id and X-Security-Token before signing and signs them with host", async () => {
    const signer = huaweiSigner({
      credentials: huaweiCredentials({ accessKey: AK, secretKey: SK, securityToken: "tok-123" }),
      projectId: "0123456789abcdef0123456789abcdef",
      clock,
    });
    const req = request("POST", "https://mrs.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/clusters/c1/job-executions", { "content-type": "application/json" }, '{"job_name":"x"}');
    await signer(req, new AbortController().signal);
    expect(req.headers.get("x-sdk-date")).toBe("20261201T112233Z");
    expect(req.headers.get("x-project-id")).toBe("0123456789abcdef0123456789abcdef");
    expect(req.headers.get("x-security-token")).toBe("tok-123");
    const auth = parseAuthorization(req.headers.get("authorization") ?? "");
    expect(auth?.accessKey).toBe(AK);
    expect(auth?.signedHeaders).toEqual(["content-type", "host", "x-project-id", "x-sdk-date", "x-security-token"]);
  });

  it("re-signs a retried attempt with a fresh date and signature", async () => {
    let now = at;
    const signer = huaweiSigner({ credentials: huaweiCredentials({ accessKey: AK, secretKey: SK }), clock: { now: () => now } });
    const req = request("GET", "https://h.example/v2/p/clusters/c/job-executions?limit=10");
    await signer(req, new AbortController().signal);
    const first = req.headers.get("authorization");
    now += 1000;
    await signer(req, new AbortController().signal);
    expect(req.headers.get("x-sdk-date")).toBe("20261201T112234Z");
    expect(req.headers.get("authorization")).not.toBe(first);
    expect(req.headers.get("x-security-token")).toBeNull();
  });

  const oracleCases: [string, HttpRequestParts, Record<string, unknown> | undefined, Record<string, string | string[]>][] = [
    ["v1.1 cancel GET", request("GET", "https://mrs.cn-north-4.myhuaweicloud.com/v1.1/proj1/job-executions/2de74673-1a78-48af-a95b-e1fec4a4ae9c/cancel", { "content-type": "application/json" }), undefined, {}],
    [
      "v2 list with a query (repeated and reserved characters)",
      request("GET", "https://mrs.cn-north-4.myhuaweicloud.com/v2/proj1/clusters/c1/job-executions?job_name=a%20b%28c%29&limit=10&offset=0&sort_by=desc", { "content-type": "application/json" }),
      undefined,
      { job_name: "a b(c)", limit: "10", offset: "0", sort_by: "desc" },
    ],
    [
      "v2 submit POST with a JSON body",
      request("POST", "https://mrs.cn-north-4.myhuaweicloud.com/v2/proj1/clusters/c1/job-executions", { "content-type": "application/json" }, JSON.stringify({ job_type: "SparkSubmit", job_name: "pi", arguments: ["--class", "x"], properties: { a: "1" } })),
      { job_type: "SparkSubmit", job_name: "pi", arguments: ["--class", "x"], properties: { a: "1" } },
      {},
    ],
  ];

  for (const [name, req, data, queryParams] of oracleCases) {
    it(`signs like the official @huaweicloud/huaweicloud-sdk-core signer: ${name}`, async () => {
      const signer = huaweiSigner({
        credentials: huaweiCredentials({ accessKey: AK, secretKey: SK, securityToken: "temporary-token" }),
        projectId: "proj1",
        clock,
      });
      await signer(req, new AbortController().signal);
      // Hand the oracle the same headers we signed (it signs every header it is given, plus host).
      const headers: Record<string, string> = {};
      req.headers.forEach((value, key) => {
        // The oracle looks the date up under this exact spelling.
        if (key !== "authorization") headers[key === "x-sdk-date" ? "X-Sdk-Date" : key] = value;
      });
      const oracle = AKSKSigner.sign(
        { endpoint: `${req.url.origin}${req.url.pathname}`, method: req.method, headers, queryParams, data },
        { getAk: () => AK, getSk: () => SK },
      );
      expect(req.headers.get("authorization")).toBe(oracle.Authorization);
    });
  }

  it("records canonical requests without the security token for error messages", async () => {
    const log = new SigningLog();
    const signer = huaweiSigner({ credentials: huaweiCredentials({ accessKey: AK, secretKey: SK, securityToken: "sekrit-token" }), clock, onSigned: log.record });
    const req = request("GET", "https://h.example/v1.1/p/job-executions/j1/cancel");
    await signer(req, new AbortController().signal);
    const echoed = "GET|/v1.1/p/job-executions/j1/cancel/||host:h.example|x-sdk-date:20261201T112233Z||host;x-sdk-date|e3b0";
    const ours = log.find(echoed);
    expect(ours).toMatch(/^GET\|\/v1\.1\/p\/job-executions\/j1\/cancel\/\|\|host:h\.example\|/);
    expect(ours).toContain("x-security-token:<12 chars>");
    expect(ours).not.toContain("sekrit");
    expect(log.find("GET|/other/|")).toBeUndefined();
  });
});

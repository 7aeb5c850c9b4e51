// createYandexCloud's transport selection and REST base URLs, seen through
// the injected fetch (it answers like the public API; nothing leaves the host).
import { describe, expect, it } from "vitest";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { IamTokenService } from "../../src/yandex/iam/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { createYandexCloud, iamToken, oauthToken } from "../../src/index.js";
import { transportKindFor } from "../../src/yandex/transport.js";

function recordingFetch(bodies: Record<string, unknown>) {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = String(input);
    urls.push(url);
    const key = Object.keys(bodies).find((k) => new URL(url).pathname.startsWith(k));
    return new Response(JSON.stringify(key ? bodies[key] : {}), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { urls, fetch };
}

describe("transport selection", () => {
  it("most specific override wins; default gRPC; services without HTTP rules cannot go REST", () => {
    expect(transportKindFor(JobService)).toBe("grpc");
    expect(transportKindFor(JobService, {}, "rest")).toBe("rest");
    expect(transportKindFor(JobService, { "yandex.cloud": "rest", "yandex.cloud.dataproc.v1.JobService": "grpc" })).toBe("grpc");
    expect(transportKindFor(OperationService, { "yandex.cloud": "rest", "yandex.cloud.dataproc.v1": "grpc" })).toBe("rest");
    expect(() => transportKindFor(SparkJobService, { yandex: "rest" })).toThrow(/cannot go over REST/);
    expect(() => transportKindFor(JobService, {}, "soap" as never)).toThrow(/must be "grpc" or "rest"/);
    expect(transportKindFor(IamTokenService, {}, "rest")).toBe("rest");
  });

  it("REST goes to the derived public hosts over https, one per service", async () => {
    const { urls, fetch } = recordingFetch({
      "/iam/v1/tokens": { iamToken: "t1.x", expiresAt: "2099-01-01T00:00:00Z" },
      "/operations/": { id: "op1", done: false },
    });
    const cloud = createYandexCloud({ transport: "rest", credentials: oauthToken("y0_x"), fetch, retry: false });
    try {
      await cloud.client(JobService).get({ clusterId: "c9qc", jobId: "c9qj" });
      await cloud.client(OperationService).get({ operationId: "op1" });
      expect(urls).toEqual([
        "https://iam.api.cloud.yandex.net/iam/v1/tokens",
        "https://dataproc.api.cloud.yandex.net/dataproc/v1/clusters/c9qc/jobs/c9qj",
        "https://operation.api.cloud.yandex.net/operations/op1",
      ]);
    } finally {
      cloud.close();
    }
  });

  it("a per-package map sends only that package over REST", async () => {
    const { urls, fetch } = recordingFetch({});
    const cloud = createYandexCloud({ transports: { "yandex.cloud.dataproc.v1": "rest" }, credentials: iamToken("t1.x"), fetch, retry: false, endpoints: { "yandex.cloud.operation": "http://127.0.0.1:9" } });
    try {
      await cloud.client(JobService).get({ clusterId: "c9qc", jobId: "c9qj" });
      expect(urls).toEqual(["https://dataproc.api.cloud.yandex.net/dataproc/v1/clusters/c9qc/jobs/c9qj"]);
      // Operations stay on gRPC (nothing listens on port 9: a connection error, not a fetch).
      await expect(cloud.client(OperationService).get({ operationId: "op1" })).rejects.toThrow();
      expect(urls).toHaveLength(1);
    } finally {
      cloud.close();
    }
  });

  it("plaintext REST to anything but loopback is refused at client(), before any request", () => {
    const { urls, fetch } = recordingFetch({});
    const cloud = createYandexCloud({ transport: "rest", endpoint: "http://dataproc.example.com", credentials: iamToken("t1.x"), fetch });
    try {
      expect(() => cloud.client(JobService)).toThrow(/plaintext/);
      expect(urls).toEqual([]);
    } finally {
      cloud.close();
    }
  });
});

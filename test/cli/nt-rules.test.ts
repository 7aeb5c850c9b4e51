import { describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { createApiRegistry, defaultEndpoint, isLoopback, isReadOnly, isRetryable, resolveEndpoint } from "../../src/index.js";
import { JobService as DataprocJobs } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobs } from "../../src/yandex/spark/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { IamTokenService } from "../../src/yandex/iam/v1/index.js";
import { assertSafeEndpoint } from "../../src/yandex/endpoint.js";

describe("isReadOnly (from descriptors)", () => {
  it("classifies every method of every shipped service", () => {
    const table: Record<string, boolean> = {};
    for (const t of createApiRegistry()) {
      if (t.kind !== "service") continue;
      for (const m of t.methods) table[`${t.typeName}/${m.name}`] = isReadOnly(m);
    }
    expect(table).toEqual({
      "yandex.cloud.operation.OperationService/Get": true,
      "yandex.cloud.operation.OperationService/Cancel": false, // bound to HTTP GET, yet it mutates
      "yandex.cloud.iam.v1.IamTokenService/Create": false,
      "yandex.cloud.dataproc.v1.JobService/List": true,
      "yandex.cloud.dataproc.v1.JobService/Create": false,
      "yandex.cloud.dataproc.v1.JobService/Get": true,
      "yandex.cloud.dataproc.v1.JobService/ListLog": true,
      "yandex.cloud.dataproc.v1.JobService/Cancel": false,
      "yandex.cloud.spark.v1.JobService/List": true,
      "yandex.cloud.spark.v1.JobService/Create": false,
      "yandex.cloud.spark.v1.JobService/Get": true,
      "yandex.cloud.spark.v1.JobService/ListLog": true,
      "yandex.cloud.spark.v1.JobService/Cancel": false,
      "yandex.cloud.dataproc.v1.ClusterService/Get": true,
      "yandex.cloud.dataproc.v1.ClusterService/List": true,
      "yandex.cloud.dataproc.v1.ClusterService/Create": false,
      "yandex.cloud.dataproc.v1.ClusterService/Update": false,
      "yandex.cloud.dataproc.v1.ClusterService/Delete": false,
      "yandex.cloud.dataproc.v1.ClusterService/Start": false,
      "yandex.cloud.dataproc.v1.ClusterService/Stop": false,
      "yandex.cloud.dataproc.v1.ClusterService/ListOperations": true,
      "yandex.cloud.dataproc.v1.ClusterService/ListHosts": true,
      "yandex.cloud.dataproc.v1.ClusterService/ListUILinks": true,
      "yandex.cloud.spark.v1.ClusterService/Get": true,
      "yandex.cloud.spark.v1.ClusterService/List": true,
      "yandex.cloud.spark.v1.ClusterService/Create": false,
      "yandex.cloud.spark.v1.ClusterService/Update": false,
      "yandex.cloud.spark.v1.ClusterService/Delete": false,
      "yandex.cloud.spark.v1.ClusterService/Start": false,
      "yandex.cloud.spark.v1.ClusterService/Stop": false,
      "yandex.cloud.spark.v1.ClusterService/ListOperations": true,
    });
  });
});

describe("endpoints", () => {
  it("derives the public endpoint from the service name", () => {
    expect(defaultEndpoint(DataprocJobs)).toBe("https://dataproc.api.cloud.yandex.net:443");
    expect(defaultEndpoint(SparkJobs)).toBe("https://spark.api.cloud.yandex.net:443");
    expect(defaultEndpoint(OperationService)).toBe("https://operation.api.cloud.yandex.net:443");
    expect(defaultEndpoint(IamTokenService)).toBe("https://iam.api.cloud.yandex.net:443");
  });

  it("applies the most specific override, then the catch-all", () => {
    const overrides = { "yandex.cloud.spark.v1.JobService": "https://spark.example:8443", "yandex.cloud": "https://all.example/" };
    expect(resolveEndpoint(SparkJobs, overrides)).toBe("https://spark.example:8443");
    expect(resolveEndpoint(DataprocJobs, overrides)).toBe("https://all.example");
    expect(resolveEndpoint(DataprocJobs, {}, "http://127.0.0.1:4000")).toBe("http://127.0.0.1:4000");
    // A gateway's path prefix is kept; an endpoint without a scheme is an error, not a guess.
    expect(resolveEndpoint(DataprocJobs, {}, "https://gw.example/yandex/")).toBe("https://gw.example/yandex");
    expect(() => resolveEndpoint(SparkJobs, { "yandex.cloud.spark.v1.JobService": "spark.example:8443" })).toThrow(
      /endpoint spark\.example:8443 has no scheme: write https:\/\/spark\.example:8443/,
    );
  });

  it("allows plaintext only to loopback", () => {
    expect(isLoopback("http://127.0.0.1:1")).toBe(true);
    expect(isLoopback("http://[::1]:1")).toBe(true);
    expect(isLoopback("http://localhost:1")).toBe(true);
    expect(isLoopback("http://10.0.0.1:1")).toBe(false);
    expect(() => assertSafeEndpoint("http://127.0.0.1:4000")).not.toThrow();
    expect(() => assertSafeEndpoint("https://dataproc.example")).not.toThrow();
    expect(() => assertSafeEndpoint("http://dataproc.example")).toThrow(/refusing to send a bearer token over plaintext HTTP to http:\/\/dataproc\.example/);
  });
});

describe("isRetryable", () => {
  const server = (code: Code) => new ConnectError("x", code, { "grpc-status": String(code) });
  it("retries UNAVAILABLE and RESOURCE_EXHAUSTED for reads, and for writes only with an idempotency key", () => {
    for (const code of [Code.Unavailable, Code.ResourceExhausted]) {
      expect(isRetryable(server(code), true, false)).toBe(true);
      expect(isRetryable(server(code), false, true)).toBe(true);
      expect(isRetryable(server(code), false, false)).toBe(false);
    }
  });
  it("retries INTERNAL and DEADLINE_EXCEEDED for reads only", () => {
    for (const code of [Code.Internal, Code.DeadlineExceeded]) {
      expect(isRetryable(server(code), true, false)).toBe(true);
      expect(isRetryable(server(code), false, true)).toBe(false);
    }
  });
  it("treats a broken stream as UNAVAILABLE, and never retries client errors", () => {
    expect(isRetryable(new ConnectError("http/2 stream closed with error code CANCEL (0x8)", Code.Internal), false, true)).toBe(true);
    expect(isRetryable(server(Code.InvalidArgument), true, true)).toBe(false);
    expect(isRetryable(server(Code.NotFound), true, true)).toBe(false);
    expect(isRetryable(server(Code.Unauthenticated), true, true)).toBe(false);
  });
});

describe("grpcFailure: where a failed gRPC attempt ended", () => {
  it("a grpc-status means the server's verdict; no status means a broken connection, or a local size limit", async () => {
    const { grpcFailure } = await import("../../src/grpc/failure.js");
    const withStatus = (code: Code) => new ConnectError("x", code, { "grpc-status": String(code) });
    for (const code of [Code.Internal, Code.Unavailable, Code.ResourceExhausted, Code.NotFound]) {
      expect(grpcFailure(withStatus(code))).toEqual({ origin: "server" });
    }
    for (const code of [Code.Internal, Code.Unknown, Code.Aborted, Code.Canceled, Code.Unavailable]) {
      expect(grpcFailure(new ConnectError("stream reset", code))).toEqual({ origin: "connection" });
    }
    expect(grpcFailure(new ConnectError("message too large", Code.ResourceExhausted))).toEqual({ origin: "local" });
    expect(grpcFailure(new ConnectError("HTTP 404", Code.Unimplemented))).toEqual({ origin: "server" });
  });

  it("isRetryable reads a transport's mark before any metadata", async () => {
    const { markFailure } = await import("../../src/core/failure.js");
    const local = markFailure(new ConnectError("x", Code.Unavailable, { "grpc-status": "14" }), { origin: "local" });
    expect(isRetryable(local, true, true)).toBe(false);
    const broken = markFailure(new ConnectError("x", Code.NotFound), { origin: "connection" });
    expect(isRetryable(broken, true, false)).toBe(true);
    expect(isRetryable(broken, false, false)).toBe(false);
  });
});

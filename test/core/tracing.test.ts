// Tracing on every cloud and transport, against the emulator on 127.0.0.1:
// a real BasicTracerProvider with an in-memory exporter, the W3C propagator
// registered through @opentelemetry/api, and the emulator's call log (which
// shows the traceparent that arrived) and its signature checks (AWS SigV4
// and Huawei SDK-HMAC-SHA256 verify every request: a call that succeeds was
// signed with the tracing headers in place).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ROOT_CONTEXT, context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { TraceState, W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import type { DescMethod } from "@bufbuild/protobuf";
import { createYandexCloud, iamToken, jobLogs, submitJob } from "../../src/index.js";
import { JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import { awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { EmrServerless, startJobRun } from "../../src/aws/emr-serverless/index.js";
import { ClusterService } from "../../src/huawei/mrs/v1/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";
import type { CloudOptions } from "../../src/index.js";

const spanKindClient = 2; // the API's SpanKind.CLIENT
const statusError = 2;

let emulator: Emulator<ManualClock>;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
const closers: { close(): void }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ clock: new ManualClock() });
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  propagation.disable();
  for (const c of closers) c.close();
  await provider.shutdown();
  await meterProvider.shutdown();
  await emulator.close();
});
beforeEach(() => exporter.reset());

const common = (): CloudOptions => ({ tracerProvider: provider, meterProvider, clock: emulator.clock, sleep: emulator.clock.sleep, retry: { initialDelayMs: 1, maxDelayMs: 5 } });

interface Face {
  readonly name: string;
  readonly system: string;
  readonly rest: boolean;
  readonly method: DescMethod;
  /** One read-only call that succeeds, and one that fails with NOT_FOUND. */
  ok(): Promise<unknown>;
  notFound(): Promise<unknown>;
  readonly secrets: () => string[];
}

function yandex(transport: "grpc" | "rest"): Face {
  const make = () => {
    const cloud = createYandexCloud({ ...common(), transport, endpoint: transport === "rest" ? emulator.restUrl : emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(cloud);
    return cloud.client(DataprocJobService);
  };
  let client: ReturnType<typeof make> | undefined;
  const get = () => (client ??= make());
  return {
    name: `Yandex ${transport}`,
    system: transport === "rest" ? "http" : "grpc",
    rest: transport === "rest",
    method: DataprocJobService.method.list,
    ok: () => get().list({ clusterId: emulator.clusters[0]! }),
    notFound: () => get().get({ clusterId: emulator.clusters[0]!, jobId: "nope" }),
    secrets: () => [emulator.iamToken],
  };
}

function aws(): Face {
  let client: ReturnType<ReturnType<typeof createAwsCloud>["client"]> | undefined;
  const get = () => {
    if (!client) {
      const cloud = createAwsCloud({ ...common(), region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws) });
      closers.push(cloud);
      client = cloud.client(EmrServerless);
    }
    return client as ReturnType<ReturnType<typeof createAwsCloud>["client"]> & { listJobRuns: (r: object) => Promise<unknown>; getJobRun: (r: object) => Promise<unknown> };
  };
  return {
    name: "AWS",
    system: "aws-api",
    rest: true,
    method: EmrServerless.method.listJobRuns,
    ok: () => get().listJobRuns({ applicationId: emulator.aws.applicationId }),
    notFound: () => get().getJobRun({ applicationId: emulator.aws.applicationId, jobRunId: "nope" }),
    secrets: () => [emulator.aws.secretAccessKey],
  };
}

function huawei(): Face {
  let client: ReturnType<ReturnType<typeof huaweiCloudOn>["client"]> | undefined;
  const get = () => {
    if (!client) {
      const cloud = huaweiCloudOn(emulator, common());
      closers.push(cloud);
      client = cloud.client(ClusterService);
    }
    return client as unknown as { listClusters: (r: object) => Promise<unknown>; showClusterDetails: (r: object) => Promise<unknown> };
  };
  return {
    name: "Huawei",
    system: "http",
    rest: true,
    method: ClusterService.method.listClusters,
    ok: () => get().listClusters({}),
    notFound: () => get().showClusterDetails({ clusterId: "nope" }),
    secrets: () => [emulator.huawei.secretKey],
  };
}

const faces = [yandex("grpc"), yandex("rest"), aws(), huawei()];

function only(name: string): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((s) => s.name === name);
  expect(spans.map((s) => s.name)).toEqual([name]);
  return spans[0]!;
}

function noSecretIn(span: ReadableSpan, secrets: readonly string[]): void {
  const text = JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status });
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe.each(faces)("tracing: $name", (face) => {
  const name = `${face.method.parent.typeName}/${face.method.name}`;

  it("makes one CLIENT span per logical call around its retries, and the traceparent reaches the server on every attempt", async () => {
    const mark = emulator.calls.length;
    emulator.faults.failNext(1, "UNAVAILABLE", { methods: [name] });
    await face.ok();
    const span = only(name);
    expect(span.kind).toBe(spanKindClient);
    const port = Number(new URL(face.name === "Yandex grpc" ? emulator.url : emulator.restUrl).port);
    expect(span.attributes).toMatchObject({
      "rpc.system.name": face.system,
      "rpc.method": name,
      "server.address": "127.0.0.1",
      "server.port": port,
      "rpc.response.status_code": "OK",
    });
    expect(span.attributes["error.type"]).toBeUndefined();
    expect(span.events.map((e) => [e.name, e.attributes?.["rpc.attempt"], e.attributes?.["rpc.attempt.outcome"]])).toEqual([["retry", 1, "UNAVAILABLE"]]);
    expect(typeof span.events[0]!.attributes?.["rpc.retry.delay_ms"]).toBe("number");
    if (face.rest) {
      expect(span.attributes["http.request.method"]).toMatch(/^(GET|POST)$/);
      expect(span.attributes["http.response.status_code"]).toBe(200);
      expect(String(span.attributes["url.full"])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(String(span.attributes["url.full"])).not.toMatch(/=(?!REDACTED)/);
    }
    // Both attempts arrived with this span's context (signed requests verified by the emulator).
    const calls = emulator.calls.slice(mark).filter((c) => c.method === `/${name}`);
    expect(calls.map((c) => c.outcome)).toEqual(["UNAVAILABLE", "ok"]);
    const { traceId, spanId } = span.spanContext();
    for (const call of calls) expect(call.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    const ids = Object.keys(span.attributes).filter((k) => k.startsWith("rpc.response.metadata."));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(span.attributes[id]).toEqual([expect.stringMatching(/./)]);
    noSecretIn(span, face.secrets());
  });

  it("marks a failed call with error.type and an ERROR status", async () => {
    await expect(face.notFound()).rejects.toMatchObject({ code: 5 });
    const failed = exporter.getFinishedSpans();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attributes["error.type"]).toBe("NOT_FOUND");
    expect(failed[0]!.status.code).toBe(statusError);
    expect(failed[0]!.events).toEqual([]);
    if (face.rest) expect(failed[0]!.attributes["http.response.status_code"]).toBe(404);
    noSecretIn(failed[0]!, face.secrets());
  });
});

describe("tracing: metrics and the old attribute names", () => {
  it("records rpc.client.call.duration in seconds per method and outcome", async () => {
    await faces[0]!.ok();
    await reader.forceFlush();
    const metrics = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const duration = metrics.find((m) => m.descriptor.name === "rpc.client.call.duration");
    expect(duration?.descriptor.unit).toBe("s");
    const points = duration!.dataPoints.map((p) => p.attributes);
    expect(points).toContainEqual(expect.objectContaining({ "rpc.method": "yandex.cloud.dataproc.v1.JobService/List", "rpc.system.name": "grpc" }));
    expect(points).toContainEqual(expect.objectContaining({ "error.type": "NOT_FOUND" }));
  });

  it("adds rpc.system, rpc.service and rpc.grpc.status_code with OTEL_SEMCONV_STABILITY_OPT_IN=rpc/dup (read from the cloud's env)", async () => {
    const cloud = createYandexCloud({ ...common(), env: { OTEL_SEMCONV_STABILITY_OPT_IN: "http,rpc/dup" }, endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(cloud);
    await cloud.client(DataprocJobService).list({ clusterId: emulator.clusters[0]! });
    const span = only("yandex.cloud.dataproc.v1.JobService/List");
    await reader.forceFlush();
    const names = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => `${m.descriptor.name} ${m.descriptor.unit}`)));
    expect(names).toContain("rpc.client.duration ms");
    expect(span.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.service": "yandex.cloud.dataproc.v1.JobService", "rpc.grpc.status_code": 0, "rpc.system.name": "grpc" });
  });
});

describe("tracing: waits and log follows, under the caller's active span", () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
  });
  afterAll(() => {
    context.disable();
  });

  const byName = (prefix: string) => exporter.getFinishedSpans().filter((s) => s.name.startsWith(prefix));
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it("a Yandex submit and job wait are INTERNAL spans with their polls, the calls their children, all under the caller's span", async () => {
    const cloud = createYandexCloud({ ...common(), endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(cloud);
    const tracer = provider.getTracer("test");
    await tracer.startActiveSpan("caller", async (caller) => {
      const handle = await submitJob(cloud, DataprocJobService, {
        clusterId: emulator.clusters[0]!,
        jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.outcome": "done" } } },
      });
      await handle.wait();
      caller.end();
    });
    const caller = only("caller");
    const [wait] = byName("wait JobService/Get");
    expect(wait?.kind).toBe(0); // INTERNAL
    expect(parentOf(wait!)).toBe(caller.spanContext().spanId);
    const polls = wait!.attributes["dataproc_connect.polls"] as number;
    expect(polls).toBeGreaterThan(1);
    const gets = exporter.getFinishedSpans().filter((s) => s.name === "yandex.cloud.dataproc.v1.JobService/Get" && parentOf(s) === wait!.spanContext().spanId);
    expect(gets).toHaveLength(polls);
    const create = only("yandex.cloud.dataproc.v1.JobService/Create");
    expect(parentOf(create)).toBe(caller.spanContext().spanId);
    expect(create.spanContext().traceId).toBe(caller.spanContext().traceId);
  });

  it("an operation wait is an INTERNAL span over its OperationService/Get polls", async () => {
    const cloud = createYandexCloud({ ...common(), endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(cloud);
    const operation = await cloud.client(DataprocJobService).create({
      clusterId: emulator.clusters[0]!,
      jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.outcome": "done" } } },
    });
    expect(operation.done).toBe(false);
    await operation.wait();
    const wait = only("wait OperationService/Get");
    const polls = wait.attributes["dataproc_connect.polls"] as number;
    expect(polls).toBeGreaterThan(0);
    const gets = exporter.getFinishedSpans().filter((s) => s.name === "yandex.cloud.operation.OperationService/Get" && parentOf(s) === wait.spanContext().spanId);
    expect(gets).toHaveLength(polls);
  });

  it("carries the caller's tracestate and trace id to the server", async () => {
    const cloud = createYandexCloud({ ...common(), endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(cloud);
    const parent = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, traceState: new TraceState("vendor=v1") };
    const mark = emulator.calls.length;
    await context.with(trace.setSpanContext(ROOT_CONTEXT, parent), () => cloud.client(DataprocJobService).list({ clusterId: emulator.clusters[0]! }));
    const span = only("yandex.cloud.dataproc.v1.JobService/List");
    expect(span.spanContext().traceId).toBe(parent.traceId);
    expect(parentOf(span)).toBe(parent.spanId);
    const [call] = emulator.calls.slice(mark);
    expect(call!.headers.traceparent).toBe(`00-${parent.traceId}-${span.spanContext().spanId}-01`);
    expect(call!.headers.tracestate).toBe("vendor=v1");
  });

  it("an AWS job run wait and a Yandex log follow are INTERNAL spans too", async () => {
    const aws = createAwsCloud({ ...common(), region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws) });
    closers.push(aws);
    const run = await startJobRun(aws, {
      applicationId: emulator.aws.applicationId,
      executionRoleArn: "arn:aws:iam::123456789012:role/emr-job",
      jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://b/a.py" } } },
      tags: { "emulator.outcome": "success" },
    });
    await run.wait();
    const [wait] = byName("wait EmrServerlessService/GetJobRun");
    expect(wait?.attributes["dataproc_connect.polls"]).toBeGreaterThan(1);
    expect(wait?.attributes["dataproc_connect.polled_method"]).toBe("aws.emr_serverless.v1.EmrServerlessService/GetJobRun");

    const yc = createYandexCloud({ ...common(), endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    closers.push(yc);
    const job = await submitJob(yc, DataprocJobService, {
      clusterId: emulator.clusters[0]!,
      jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", properties: { "emulator.outcome": "done" } } },
    });
    exporter.reset();
    let text = "";
    for await (const chunk of jobLogs(yc, DataprocJobService, { clusterId: emulator.clusters[0]!, jobId: job.id }, { follow: true })) text += chunk;
    expect(text.length).toBeGreaterThan(0);
    const follow = only("follow JobService/ListLog");
    expect(follow.kind).toBe(0);
    const reads = exporter.getFinishedSpans().filter((s) => parentOf(s) === follow.spanContext().spanId);
    expect(reads.length).toBe(follow.attributes["dataproc_connect.polls"]);
    expect(reads.map((s) => s.name)).toContain("yandex.cloud.dataproc.v1.JobService/ListLog");
  });
});

describe("debug: a structured logger", () => {
  it("receives one debug(fields, message) per attempt, pino-style, with ids and no secret; a line sink still gets lines", async () => {
    const records: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = { debug: (fields: Record<string, unknown>, message: string) => records.push({ fields, message }) };
    const lines: string[] = [];
    const structured = huaweiCloudOn(emulator, { ...common(), debug: logger });
    const plain = huaweiCloudOn(emulator, { ...common(), debug: (line: string) => lines.push(line) });
    closers.push(structured, plain);
    emulator.faults.failNext(1, "UNAVAILABLE", { methods: ["ClusterService/ListClusters"] });
    await structured.client(ClusterService).listClusters({});
    await plain.client(ClusterService).listClusters({});
    expect(records.map((r) => [r.message, r.fields.attempt, r.fields.outcome])).toEqual([
      ["dataproc-connect attempt", 1, "UNAVAILABLE"],
      ["dataproc-connect attempt", 2, "OK"],
    ]);
    expect(records[1]!.fields).toMatchObject({ method: `/${ClusterService.typeName}/ListClusters`, endpoint: emulator.restUrl, "x-request-id": expect.any(String) });
    expect(typeof records[1]!.fields.durationMs).toBe("number");
    expect(JSON.stringify(records)).not.toContain(emulator.huawei.secretKey);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^dataproc-connect: /${ClusterService.typeName}/ListClusters \\S+ attempt 1 OK [0-9.]+ms x-request-id=\\S+$`));
  });

  it("refuses a tracerProvider or meterProvider that is not one, naming it, at construction", () => {
    expect(() => createYandexCloud({ tracerProvider: {} as never })).toThrow(/tracerProvider: expected an OpenTelemetry TracerProvider \(an object with getTracer/);
    expect(() => createAwsCloud({ region: "eu-west-1", meterProvider: "x" as never })).toThrow(/meterProvider: expected an OpenTelemetry MeterProvider .*got string/);
  });

  it("refuses a debug option that is neither a boolean, a function nor a logger, naming it", () => {
    expect(() => huaweiCloudOn(emulator, { debug: { info() {} } as never })).toThrow(/debug: expected .*logger with debug\(fields, message\)/);
  });
});

describe("tracing: signed requests and the registered API", () => {
  /** A fetch that records the headers each request leaves with, and may change one after signing. */
  function capturingFetch(tamper?: (headers: Headers) => void) {
    const sent: Headers[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      tamper?.(headers);
      sent.push(headers);
      return globalThis.fetch(input, { ...init, headers });
    };
    return { fetch, sent };
  }
  const signedFaces = [
    {
      name: "AWS SigV4",
      signed: (h: Headers) => /SignedHeaders=([^,]+)/.exec(h.get("authorization") ?? "")?.[1]?.split(";") ?? [],
      call: (fetch: typeof globalThis.fetch) => {
        const cloud = createAwsCloud({ ...common(), retry: false, fetch, region: emulator.aws.region, endpoint: emulator.restUrl, credentials: awsCredentials(emulator.aws) });
        closers.push(cloud);
        return (cloud.client(EmrServerless) as unknown as { listJobRuns(r: object): Promise<unknown> }).listJobRuns({ applicationId: emulator.aws.applicationId });
      },
    },
    {
      name: "Huawei SDK-HMAC-SHA256",
      signed: (h: Headers) => /SignedHeaders=([^,]+)/.exec(h.get("authorization") ?? "")?.[1]?.split(";") ?? [],
      call: (fetch: typeof globalThis.fetch) => {
        const cloud = huaweiCloudOn(emulator, { ...common(), retry: false, fetch });
        closers.push(cloud);
        return cloud.client(ClusterService).listClusters({});
      },
    },
  ];

  it.each(signedFaces)("$name: traceparent is added before signing, is signed, and the emulator's verifier accepts it (and refuses it changed)", async (face) => {
    const ok = capturingFetch();
    await face.call(ok.fetch);
    expect(ok.sent[0]!.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(face.signed(ok.sent[0]!)).toContain("traceparent");
    const tampered = capturingFetch((h) => h.set("traceparent", `00-${"1".repeat(32)}-${"2".repeat(16)}-01`));
    await expect(face.call(tampered.fetch)).rejects.toMatchObject({ code: expect.any(Number) });
    const failed = exporter.getFinishedSpans().at(-1)!;
    expect(["UNAUTHENTICATED", "PERMISSION_DENIED"]).toContain(failed.attributes["error.type"]);
  });

  it("uses the tracer provider registered with @opentelemetry/api when none is passed", async () => {
    trace.setGlobalTracerProvider(provider);
    try {
      const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock: emulator.clock, sleep: emulator.clock.sleep });
      closers.push(cloud);
      await cloud.client(DataprocJobService).list({ clusterId: emulator.clusters[0]! });
      expect(only("yandex.cloud.dataproc.v1.JobService/List").kind).toBe(spanKindClient);
    } finally {
      trace.disable();
    }
  });
});

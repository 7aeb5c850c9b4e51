// The emulator's REST face seen with plain fetch: routing by google.api.http,
// the Yandex error body, auth, idempotency, strict decoding and faults.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Code } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { createYandexCloud, iamToken } from "../../src/index.js";
import { ManualClock, startEmulator, yandexRestFace } from "../../src/testing/index.js";
import type { Emulator, RestFace } from "../../src/testing/index.js";

let emulator: Emulator<ManualClock>;
let base: string;
let auth: Record<string, string>;
beforeEach(async () => {
  emulator = await startEmulator({ clock: new ManualClock() });
  base = `${emulator.restUrl}/dataproc/v1/clusters/${emulator.clusters[0]}`;
  auth = { authorization: `Bearer ${emulator.iamToken}` };
});
afterEach(async () => {
  await emulator.close();
});

const createBody = JSON.stringify({ name: "job-a", sparkJob: { mainJarFileUri: "s3a://b/a.jar" } });

describe("emulator REST face", () => {
  it("answers HTTP/1.1 JSON with x-request-id, and errors in the Yandex body with RequestInfo", async () => {
    const ok = await fetch(`${base}/jobs`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect(ok.headers.get("x-request-id")).toMatch(/./);
    expect(await ok.json()).toEqual({});

    const missing = await fetch(`${base}/jobs/c9qnosuchjob00000000`, { headers: auth });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { code: number; message: string; details: { "@type": string; requestId: string }[] };
    expect(body.code).toBe(Code.NotFound);
    expect(body.message).toMatch(/not found/);
    expect(body.details[0]).toMatchObject({ "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId: missing.headers.get("x-request-id") });
  });

  it("without a bearer token: 401 with code 16 (UNAUTHENTICATED)", async () => {
    const res = await fetch(`${base}/jobs`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: number }).code).toBe(Code.Unauthenticated);
  });

  it("unknown routes, wrong verbs, unknown query parameters and bad JSON are rejected clearly", async () => {
    const noRoute = await fetch(`${emulator.restUrl}/dataproc/v2/nothing`, { headers: auth });
    expect(noRoute.status).toBe(404);
    const wrongVerb = await fetch(`${base}/jobs/x:cancel`, { headers: auth });
    expect(wrongVerb.status).toBe(501);
    const unknownParam = await fetch(`${base}/jobs?pageSise=5`, { headers: auth });
    expect(unknownParam.status).toBe(400);
    expect(((await unknownParam.json()) as { message: string }).message).toMatch(/unknown query parameter "pageSise"/);
    const badJson = await fetch(`${base}/jobs`, { method: "POST", headers: auth, body: "{nope" });
    expect(badJson.status).toBe(400);
    const unknownField = await fetch(`${base}/jobs`, { method: "POST", headers: auth, body: JSON.stringify({ sparkJobb: {} }) });
    expect(unknownField.status).toBe(400);
  });

  it("a + in the query is a literal plus (as Envoy reads it), %20 a space", async () => {
    const res = await fetch(`${base}/jobs?filter=${encodeURIComponent('name="a+b c"')}`, { headers: auth });
    expect(res.status).toBe(200);
    const plus = await fetch(`${base}/jobs?filter=name%3D%22a+b%22`, { headers: auth });
    expect(plus.status).toBe(200);
  });

  it("the same Idempotency-Key over REST gives the same operation, and the job is visible over gRPC", async () => {
    const headers = { ...auth, "idempotency-key": "6f1c1f60-0d0f-4b3e-9b7c-6a8f0f3d3c11" };
    const firstResponse = await fetch(`${base}/jobs`, { method: "POST", headers, body: createBody });
    const first = (await firstResponse.json()) as { id: string; metadata: { jobId: string; "@type": string } };
    const again = (await (await fetch(`${base}/jobs`, { method: "POST", headers, body: createBody })).json()) as { id: string };
    expect(firstResponse.status, JSON.stringify(first)).toBe(200);
    expect(again.id).toBe(first.id);
    expect(first.metadata["@type"]).toBe("type.googleapis.com/yandex.cloud.dataproc.v1.CreateJobMetadata");
    const grpc = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken) });
    try {
      expect((await grpc.client(JobService).get({ clusterId: emulator.clusters[0], jobId: first.metadata.jobId })).id).toBe(first.metadata.jobId);
    } finally {
      grpc.close();
    }
    expect(emulator.callsTo("dataproc.v1.JobService/Create")).toHaveLength(2);
  });

  it("a connection-reset fault drops the TCP connection; the client retries the read and succeeds", async () => {
    emulator.faults.script(["reset-connection"], { methods: ["JobService/List"] });
    const raw = await fetch(`${base}/jobs`, { headers: auth }).then(
      () => "answered",
      () => "dropped",
    );
    expect(raw).toBe("dropped");
    emulator.faults.script(["reset-connection"], { methods: ["JobService/List"] });
    const cloud = createYandexCloud({ transport: "rest", endpoint: emulator.restUrl, credentials: iamToken(emulator.iamToken), sleep: emulator.clock.sleep, retry: { initialDelayMs: 1 } });
    try {
      const page = await cloud.client(JobService).list({ clusterId: emulator.clusters[0] });
      expect(page.jobs).toEqual([]);
      expect(emulator.callsTo("JobService/List").map((c) => c.outcome)).toEqual(["RESET", "RESET", "ok"]);
    } finally {
      cloud.close();
    }
  });

  it("an injected status fault arrives as that code with the Yandex body", async () => {
    emulator.faults.failNext(1, "RESOURCE_EXHAUSTED");
    const res = await fetch(`${base}/jobs`, { headers: auth });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { code: number }).code).toBe(Code.ResourceExhausted);
  });
});

describe("more faces plug in", () => {
  it("a provider face with its own auth, error body and services (extraRoutes) shares faults and the call log", async () => {
    const { restTestService } = await import("../support/rest-test-service.js");
    const { unary } = await import("../../src/testing/pipeline.js");
    const { service } = restTestService();
    const cancel = service.methods.find((m) => m.name === "Cancel")! as import("@bufbuild/protobuf").DescMethodUnary;
    const face: RestFace = {
      name: "acme",
      services: [service],
      authenticate: (request) =>
        request.headers.get("x-acme-signature") === "ok" ? undefined : { status: 403, headers: { "content-type": "application/json" }, body: '{"error":"bad signature"}' },
      errorResponse: (error, requestId) => ({ status: 500, headers: { "x-acme-request-id": requestId }, body: JSON.stringify({ error: error.rawMessage }) }),
    };
    const acme = await startEmulator({
      restFaces: [face, yandexRestFace()],
      extraRoutes: [(router, deps) => router.rpc(cancel, unary(deps, cancel, { public: true }, (req) => ({ id: String((req as unknown as { id: string }).id).toUpperCase() })))],
    });
    try {
      const denied = await fetch(`${acme.restUrl}/v1/items/abc:cancel`, { method: "POST", body: "{}" });
      expect(denied.status).toBe(403);
      const ok = await fetch(`${acme.restUrl}/v1/items/abc:cancel`, { method: "POST", body: "{}", headers: { "x-acme-signature": "ok" } });
      expect(await ok.json()).toEqual({ id: "ABC" });
      acme.faults.failNext(1, "INTERNAL", { methods: ["Shapes/Cancel"] });
      const faulted = await fetch(`${acme.restUrl}/v1/items/abc:cancel`, { method: "POST", body: "{}", headers: { "x-acme-signature": "ok" } });
      expect(faulted.status).toBe(500);
      expect(faulted.headers.get("x-acme-request-id")).toMatch(/./);
      expect(acme.callsTo("Shapes/Cancel").map((c) => c.outcome)).toEqual(["PERMISSION_DENIED", "ok", "INTERNAL"]);
      // The Yandex face still serves its services beside it.
      expect((await fetch(`${acme.restUrl}/dataproc/v1/clusters/${acme.clusters[0]}/jobs`, { headers: { authorization: `Bearer ${acme.iamToken}` } })).status).toBe(200);
    } finally {
      await acme.close();
    }
  });
});

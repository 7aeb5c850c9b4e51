// What our client puts on the wire for every Data Proc REST method, checked
// against the published REST shapes (seed 000: camelCase keys, int64 as
// strings, RFC 3339 timestamps; research §3 routes), against the official
// SDK's codecs where ts-proto JSON agrees with protobuf JSON, and the
// documented Operation JSON parsed back.
import { fromBinary, fromJson, toBinary } from "@bufbuild/protobuf";
import type { DescMessage } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateJobRequestSchema, JobService, Job_Status } from "../../src/yandex/dataproc/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { createYandexCloud, dataprocJobs, iamToken, oauthToken } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { sdkCodec } from "../support/sdk.js";

interface Sent {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  json: unknown;
}
let emulator: Emulator<ManualClock>;
let sent: Sent[];
let cloud: YandexCloud;
const capture: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const body = init?.body === undefined ? undefined : new TextDecoder().decode(init.body as Uint8Array);
  sent.push({ method: init?.method ?? "GET", path: url.pathname, query: url.search, headers: new Headers(init?.headers), json: body === undefined ? undefined : JSON.parse(body) });
  return fetch(input, init);
};
beforeEach(async () => {
  sent = [];
  const clock = new ManualClock();
  emulator = await startEmulator({ clock, oauthTokens: ["y0_oauth"] });
  cloud = createYandexCloud({ transport: "rest", endpoint: emulator.restUrl, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep, fetch: capture });
});
afterEach(async () => {
  cloud.close();
  await emulator.close();
});

const last = () => sent[sent.length - 1]!;

describe("requests match the published REST API", () => {
  it("Create: POST /dataproc/v1/clusters/{clusterId}/jobs, body * without clusterId, camelCase, maps as objects", async () => {
    const jobs = cloud.client(JobService);
    await jobs.create({
      clusterId: emulator.clusters[0],
      name: "wordcount",
      jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", args: ["--in", "s3a://b/in"], jarFileUris: ["s3a://b/dep.jar"], properties: { "spark.executor.memory": "2g" }, packages: ["org:x:1"] }),
    });
    expect(last()).toMatchObject({ method: "POST", path: `/dataproc/v1/clusters/${emulator.clusters[0]}/jobs`, query: "" });
    expect(last().json).toEqual({
      name: "wordcount",
      sparkJob: {
        args: ["--in", "s3a://b/in"],
        jarFileUris: ["s3a://b/dep.jar"],
        properties: { "spark.executor.memory": "2g" },
        mainJarFileUri: "s3a://b/app.jar",
        packages: ["org:x:1"],
      },
    });
    expect(last().headers.get("content-type")).toBe("application/json");
    expect(last().headers.get("authorization")).toBe(`Bearer ${emulator.iamToken}`);
    expect(last().headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ["pyspark", dataprocJobs.pyspark({ mainPythonFileUri: "s3a://b/m.py", pythonFileUris: ["s3a://b/u.py"] }), { pysparkJob: { mainPythonFileUri: "s3a://b/m.py", pythonFileUris: ["s3a://b/u.py"] } }],
    ["hive", dataprocJobs.hive({ queries: ["SELECT 1"], continueOnFailure: true, scriptVariables: { a: "1" } }), { hiveJob: { queryList: { queries: ["SELECT 1"] }, continueOnFailure: true, scriptVariables: { a: "1" } } }],
    ["mapreduce", dataprocJobs.mapreduce({ mainClass: "org.Example", args: ["x"] }), { mapreduceJob: { mainClass: "org.Example", args: ["x"] } }],
  ] as const)("Create %s: the job spec oneof as its camelCase key", async (_kind, jobSpec, expected) => {
    await cloud.client(JobService).create({ clusterId: emulator.clusters[0], jobSpec });
    expect(last().json).toEqual(expected);
    // The official SDK reads our bytes to the same values (ts-proto JSON: every field present).
    const ours = fromBinary(CreateJobRequestSchema, toBinary(CreateJobRequestSchema, fromJsonBody(CreateJobRequestSchema, { clusterId: emulator.clusters[0], ...(last().json as object) })));
    const sdk = sdkCodec(CreateJobRequestSchema)!;
    const sdkJson = sdk.toJSON(sdk.decode(toBinary(CreateJobRequestSchema, ours))) as Record<string, unknown>;
    expect(sdkJson).toMatchObject(expected);
  });

  it("List: GET with pageSize (int64) as a decimal query value, filter %20-encoded, no body", async () => {
    await cloud.client(JobService).list({ clusterId: emulator.clusters[0], pageSize: 50n, filter: 'name="my job"', pageToken: "" });
    expect(last()).toMatchObject({ method: "GET", path: `/dataproc/v1/clusters/${emulator.clusters[0]}/jobs`, query: "?pageSize=50&filter=name%3D%22my%20job%22", json: undefined });
  });

  it("Get, ListLog, Cancel: the documented paths; Cancel sends {}", async () => {
    const op = await cloud.client(JobService).create({ clusterId: emulator.clusters[0], jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar", properties: { "emulator.duration_ms": "60000" } }) });
    const jobId = op.decodedMetadata!.jobId;
    const c = emulator.clusters[0];
    await cloud.client(JobService).get({ clusterId: c, jobId });
    expect(last()).toMatchObject({ method: "GET", path: `/dataproc/v1/clusters/${c}/jobs/${jobId}`, query: "", json: undefined });
    await cloud.client(JobService).listLog({ clusterId: c, jobId, pageSize: 1024n });
    expect(last()).toMatchObject({ method: "GET", path: `/dataproc/v1/clusters/${c}/jobs/${jobId}:logs`, query: "?pageSize=1024" });
    await cloud.client(JobService).cancel({ clusterId: c, jobId });
    expect(last()).toMatchObject({ method: "POST", path: `/dataproc/v1/clusters/${c}/jobs/${jobId}:cancel`, query: "", json: {} });
  });

  it("OperationService: Get is GET /operations/{operationId}, Cancel is a GET with :cancel", async () => {
    const op = await cloud.client(JobService).create({ clusterId: emulator.clusters[0], jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/a.jar" }) });
    await cloud.client(OperationService).get({ operationId: op.id });
    expect(last()).toMatchObject({ method: "GET", path: `/operations/${op.id}`, json: undefined });
    await cloud.client(OperationService).cancel({ operationId: op.id }).catch(() => undefined);
    expect(last()).toMatchObject({ method: "GET", path: `/operations/${op.id}:cancel`, json: undefined });
  });

  it("IamTokenService.Create: POST /iam/v1/tokens with the oneof as yandexPassportOauthToken, no bearer token", async () => {
    const oauth = createYandexCloud({ transport: "rest", endpoint: emulator.restUrl, credentials: oauthToken("y0_oauth"), fetch: capture });
    try {
      await oauth.client(JobService).get({ clusterId: emulator.clusters[0], jobId: "c9qnosuchjob00000000" }).catch(() => undefined);
      const exchange = sent.find((s) => s.path === "/iam/v1/tokens")!;
      expect(exchange).toMatchObject({ method: "POST", json: { yandexPassportOauthToken: "y0_oauth" } });
      expect(exchange.headers.get("authorization")).toBeNull();
      expect(last().headers.get("authorization")).toMatch(/^Bearer /);
    } finally {
      oauth.close();
    }
  });
});

describe("responses in the documented JSON are read", () => {
  it("the seed's Operation (Any metadata and response with @type, int64 and RFC 3339 strings)", async () => {
    const documented = {
      id: "c9qop0000000000001",
      description: "Cancel job",
      createdAt: "2024-05-06T07:08:09.123456789Z",
      createdBy: "ajeuser00000000001",
      modifiedAt: "2024-05-06T07:08:10Z",
      done: true,
      metadata: { "@type": "type.googleapis.com/yandex.cloud.dataproc.v1.CreateJobMetadata", clusterId: "c9qc1", jobId: "c9qj1" },
      response: {
        "@type": "type.googleapis.com/yandex.cloud.dataproc.v1.Job",
        id: "c9qj1",
        clusterId: "c9qc1",
        createdAt: "2024-05-06T07:00:00Z",
        status: "CANCELLED",
        sparkJob: { mainClass: "M", properties: { a: "b" } },
        applicationInfo: { id: "app_1", applicationAttempts: [{ id: "a1", amContainerId: "ct1" }] },
        someFieldAddedLater: 1,
      },
    };
    const answering: typeof fetch = async () => new Response(JSON.stringify(documented), { status: 200, headers: { "content-type": "application/json" } });
    const offline = createYandexCloud({ transport: "rest", endpoint: "https://dataproc.api.cloud.yandex.net", credentials: iamToken("t1.fake"), fetch: answering });
    try {
      const op = await offline.client(JobService).cancel({ clusterId: "c9qc1", jobId: "c9qj1" });
      expect(op.done).toBe(true);
      expect(op.decodedMetadata).toMatchObject({ clusterId: "c9qc1", jobId: "c9qj1" });
      const job = await op.wait();
      expect(job).toMatchObject({ id: "c9qj1", status: Job_Status.CANCELLED, applicationInfo: { id: "app_1" } });
      expect(op.createdAt?.nanos).toBe(123456789);
    } finally {
      offline.close();
    }
  });
});

function fromJsonBody<D extends DescMessage>(schema: D, json: object) {
  return fromJson(schema, json as never);
}

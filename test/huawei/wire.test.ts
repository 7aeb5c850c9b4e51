// The JSON createHuaweiCloud sends and parses, against the MRS API
// reference's own examples (test/fixtures/huawei/mrs-examples.json), through
// a real HTTP server on 127.0.0.1 that verifies each request's signature.
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toJson } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloud } from "../../src/huawei/index.js";
import { CancelJobExecutionResponseSchema, JobExecutionService as V1, zonelessUtc } from "../../src/huawei/mrs/v1/index.js";
import { JobExecutionService as V2, ShowSingleJobExeResponseSchema } from "../../src/huawei/mrs/v2/index.js";
import { verifySdkHmacSha256 } from "../../src/testing/huawei/verify-signature.js";

const examples = JSON.parse(readFileSync(new URL("../fixtures/huawei/mrs-examples.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;
const AK = "WIRETESTACCESSKEY001";
const SK = "wire-test-secret-key-0000000000000000000";
const PROJECT = "37caa80116e1403ab603e5eeb48a2f74";
const CLUSTER = "ef7b54f2-3d92-49b2-a6d7-94607e1ea7df";
const now = Date.UTC(2026, 11, 1, 12, 0, 0);

interface Seen {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

let server: Server;
let base: string;
let seen: Seen[];
let reply: Reply;
let signatureProblems: string[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
        const body = new Uint8Array(Buffer.concat(chunks));
        const check = await verifySdkHmacSha256({ method: req.method ?? "GET", url, headers, body }, { keys: new Map([[AK, SK]]), clock: { now: () => now } });
        if (!check.ok) signatureProblems.push(check.message);
        seen.push({ method: req.method ?? "", path: url.pathname, query: url.search.slice(1), headers: req.headers, body: Buffer.from(body).toString("utf8") });
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let cloud: HuaweiCloud;
beforeEach(() => {
  seen = [];
  signatureProblems = [];
  reply = { status: 200, body: "{}" };
  cloud = createHuaweiCloud({
    region: "cn-north-4",
    projectId: PROJECT,
    endpoint: base,
    credentials: huaweiCredentials({ accessKey: AK, secretKey: SK }),
    clock: { now: () => now },
    retry: false,
  });
});

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
  reply = { status, body: typeof body === "string" ? body : JSON.stringify(body), headers };
};

describe("v1.1 CancelJobExecution (seed 003)", () => {
  it("sends GET /v1.1/{project_id}/job-executions/{id}/cancel with no body, signed, project id filled in", async () => {
    answer(200, examples.cancelJobExecutionResponse);
    await cloud.client(V1).cancelJobExecution({ jobExecutionId: "2de74673-1a78-48af-a95b-e1fec4a4ae9c" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "GET", path: `/v1.1/${PROJECT}/job-executions/2de74673-1a78-48af-a95b-e1fec4a4ae9c/cancel`, query: "", body: "" });
    expect(seen[0]!.headers["x-project-id"]).toBe(PROJECT);
    expect(seen[0]!.headers["x-sdk-date"]).toBe("20261201T120000Z");
    expect(signatureProblems).toEqual([]);
  });

  it("parses the documented response field for field: nulls unset, empty string kept, zone-less times as strings", async () => {
    answer(200, examples.cancelJobExecutionResponse);
    const { jobExecution } = await cloud.client(V1).cancelJobExecution({ jobExecutionId: "2de74673-1a78-48af-a95b-e1fec4a4ae9c" });
    const doc = (examples.cancelJobExecutionResponse as { job_execution: Record<string, unknown> }).job_execution;
    expect(jobExecution).toMatchObject({
      createdAt: "2017-05-25T07:28:12",
      updatedAt: "2017-05-25T07:28:13",
      id: "2de74673-1a78-48af-a95b-e1fec4a4ae9c",
      tenantId: "37caa80116e1403ab603e5eeb48a2f74",
      jobId: "",
      startTime: "2017-05-25T07:28:12",
      clusterId: CLUSTER,
    });
    for (const field of ["endTime", "oozieJobId", "returnCode", "inputId", "outputId", "isProtected", "isPublic", "engineJobId", "jobConfigs", "dataSourceUrls", "info"] as const) {
      expect(jobExecution?.[field], field).toBeUndefined();
    }
    // Written back, it is the documented object without its nulls: nothing lost, nothing invented.
    const back = toJson(CancelJobExecutionResponseSchema, { $typeName: "huawei.mrs.v1.CancelJobExecutionResponse", jobExecution } as never, { useProtoFieldName: true }) as { job_execution: Record<string, unknown> };
    expect(back.job_execution).toEqual(Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null)));
    expect(zonelessUtc(jobExecution?.createdAt)?.toISOString()).toBe("2017-05-25T07:28:12.000Z");
    expect(zonelessUtc(jobExecution?.endTime)).toBeUndefined();
  });

  it("tolerates unknown fields and objects in the Sahara key-value fields", async () => {
    answer(200, { job_execution: { id: "j", brand_new_field: 1, job_configs: { configs: { a: "1" }, args: ["x"] }, info: { status: "KILLED" } }, extra: true });
    const { jobExecution } = await cloud.client(V1).cancelJobExecution({ jobExecutionId: "j" });
    expect(jobExecution?.id).toBe("j");
    expect(jobExecution?.jobConfigs).toEqual({ configs: { a: "1" }, args: ["x"] });
    expect(jobExecution?.info).toEqual({ status: "KILLED" });
  });
});

describe("v2 job API (the MRS API reference examples)", () => {
  it("CreateExecuteJob sends exactly the documented body", async () => {
    answer(200, examples.createExecuteJobResponse);
    const doc = examples.createExecuteJobRequest as { job_name: string; job_type: string; arguments: string[]; properties: Record<string, string> };
    const res = await cloud.client(V2).createExecuteJob({ clusterId: CLUSTER, jobName: doc.job_name, jobType: doc.job_type, arguments: doc.arguments, properties: doc.properties });
    expect(seen[0]).toMatchObject({ method: "POST", path: `/v2/${PROJECT}/clusters/${CLUSTER}/job-executions`, query: "" });
    expect(JSON.parse(seen[0]!.body)).toEqual(doc);
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(res.jobSubmitResult).toMatchObject({ jobId: "44b37a20-ffe8-42b1-b42b-78a5978d7e40", state: "COMPLETE" });
    expect(signatureProblems).toEqual([]);
  });

  it("ShowSingleJobExe parses the documented 202 answer, times as epoch-ms bigints", async () => {
    answer(202, examples.showSingleJobExeResponse);
    const { jobDetail } = await cloud.client(V2).showSingleJobExe({ clusterId: CLUSTER, jobExecutionId: "431b135e-c090-489f-b1db-0abe3822b855" });
    expect(seen[0]!.path).toBe(`/v2/${PROJECT}/clusters/${CLUSTER}/job-executions/431b135e-c090-489f-b1db-0abe3822b855`);
    expect(jobDetail).toMatchObject({
      jobId: "431b135e-c090-489f-b1db-0abe3822b855",
      jobResult: "SUCCEEDED",
      jobState: "FINISHED",
      jobProgress: 100,
      startedTime: 1564626578817n,
      submittedTime: 1564626561541n,
      finishedTime: 1564626664930n,
      elapsedTime: 86113n,
      properties: "{}",
      appId: "application_1564622673393_0007",
    });
    // Every documented field arrives; written back with numbers it is the example.
    const json = toJson(ShowSingleJobExeResponseSchema, { $typeName: "huawei.mrs.v2.ShowSingleJobExeResponse", jobDetail } as never, { useProtoFieldName: true }) as { job_detail: Record<string, unknown> };
    const doc = (examples.showSingleJobExeResponse as { job_detail: Record<string, unknown> }).job_detail;
    expect(Object.keys(json.job_detail).sort()).toEqual(Object.keys(doc).sort());
  });

  it("ShowJobExeListNew sends its filters as snake_case query parameters and parses the documented list", async () => {
    answer(202, examples.showJobExeListNewResponse);
    const res = await cloud.client(V2).showJobExeListNew({
      clusterId: CLUSTER,
      jobName: "Spark Submit(1)",
      jobState: "ACCEPTED",
      limit: 10,
      offset: 0,
      sortBy: "desc",
      submittedTimeBegin: 1562032041362n,
    });
    const query = new URLSearchParams(seen[0]!.query);
    expect(Object.fromEntries(query)).toEqual({ job_name: "Spark Submit(1)", job_state: "ACCEPTED", limit: "10", offset: "0", sort_by: "desc", submitted_time_begin: "1562032041362" });
    expect(seen[0]!.query).toContain("job_name=Spark%20Submit%281%29");
    expect(signatureProblems).toEqual([]);
    expect(res.totalRecord).toBe(2);
    expect(res.jobList.map((j) => [j.jobName, j.submittedTime, j.startedTime])).toEqual([
      ["SparkSubmitTest", 1564714763119n, 0n],
      ["SparkSubmitTest2", 1564714020099n, 0n],
    ]);
  });

  it("StopJob posts no body and takes the empty 202", async () => {
    reply = { status: 202 };
    await cloud.client(V2).stopJob({ clusterId: CLUSTER, jobExecutionId: "j1" });
    expect(seen[0]).toMatchObject({ method: "POST", path: `/v2/${PROJECT}/clusters/${CLUSTER}/job-executions/j1/kill`, body: "" });
    expect(signatureProblems).toEqual([]);
  });

  it("BatchDeleteJobs sends exactly the documented body", async () => {
    reply = { status: 200 };
    const doc = examples.batchDeleteJobsRequest as { job_id_list: string[] };
    await cloud.client(V2).batchDeleteJobs({ clusterId: CLUSTER, jobIdList: doc.job_id_list });
    expect(seen[0]!.path).toBe(`/v2/${PROJECT}/clusters/${CLUSTER}/job-executions/batch-delete`);
    expect(JSON.parse(seen[0]!.body)).toEqual(doc);
  });

  it("an explicit project_id wins over the client's", async () => {
    await cloud.client(V2).stopJob({ projectId: "other0project", clusterId: CLUSTER, jobExecutionId: "j1" });
    expect(seen[0]!.path).toBe(`/v2/other0project/clusters/${CLUSTER}/job-executions/j1/kill`);
  });

  it("without any project id the call fails before the network, naming the field", async () => {
    const bare = createHuaweiCloud({ region: "cn-north-4", endpoint: base, credentials: huaweiCredentials({ accessKey: AK, secretKey: SK }) });
    await expect(bare.client(V1).cancelJobExecution({ jobExecutionId: "j" })).rejects.toThrow(/CancelJobExecutionRequest\.project_id: required/);
    expect(seen).toHaveLength(0);
  });
});

describe("client behaviour", () => {
  it("an empty path field fails before the network, naming it", async () => {
    await expect(cloud.client(V2).showSingleJobExe({ clusterId: CLUSTER, jobExecutionId: "" })).rejects.toThrow(/job_execution_id/);
    expect(seen).toHaveLength(0);
  });

  it("debug writes one line per attempt with method, endpoint, attempt, code and request id, and no secrets", async () => {
    const lines: string[] = [];
    const tokenCloud = createHuaweiCloud({
      region: "cn-north-4",
      projectId: PROJECT,
      endpoint: base,
      credentials: huaweiCredentials({ accessKey: AK, secretKey: SK, securityToken: "tok-secret-123" }),
      clock: { now: () => now },
      sleep: () => Promise.resolve(),
      debug: (line) => lines.push(line),
    });
    answer(503, { error_code: "APIGW.0201", error_msg: "busy" }, { "x-request-id": "rq-1" });
    await expect(tokenCloud.client(V2).showJobExeListNew({ clusterId: CLUSTER })).rejects.toMatchObject({ code: Code.Unavailable });
    expect(lines).toHaveLength(4);
    // The shared attempt line (src/client/interceptors/attempt.ts), as for Yandex and AWS.
    expect(lines[0]).toMatch(new RegExp(`^dataproc-connect: /huawei\\.mrs\\.v2\\.JobExecutionService/ShowJobExeListNew ${base} attempt 1 UNAVAILABLE [0-9.]+ms x-request-id=rq-1$`));
    expect(lines[3]).toContain("attempt 4 UNAVAILABLE");
    expect(lines.join("\n")).not.toMatch(new RegExp(`${SK}|tok-secret-123|Signature=`));
    // Each attempt was signed afresh and carried the security token.
    expect(seen.map((s) => s.headers["x-security-token"])).toEqual(["tok-secret-123", "tok-secret-123", "tok-secret-123", "tok-secret-123"]);
    expect(signatureProblems).toEqual([]);
  });
});

describe("Huawei error bodies", () => {
  it("error_code/error_msg with X-Request-Id become a HuaweiCloudError", async () => {
    answer(400, { error_code: "0168", error_msg: "Hive jobs cannot be submitted." }, { "x-request-id": "req-123" });
    const error = await cloud.client(V2).createExecuteJob({ clusterId: CLUSTER, jobType: "HiveSql", jobName: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuaweiCloudError);
    expect(error).toMatchObject({ code: Code.InvalidArgument, errorCode: "0168", httpStatus: 400, requestId: "req-123" });
    expect((error as HuaweiCloudError).rawMessage).toBe("0168: Hive jobs cannot be submitted. [request id req-123]");
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      error: "HuaweiCloudError",
      code: "INVALID_ARGUMENT",
      errorCode: "0168",
      httpStatus: 400,
      message: "0168: Hive jobs cannot be submitted. [request id req-123]",
      requestId: "req-123",
      method: "/huawei.mrs.v2.JobExecutionService/CreateExecuteJob",
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as unknown,
      attempts: 1,
      ids: { "x-request-id": "req-123" },
      details: [],
    });
  });

  it("falls back to code/message and to nested objects, as the Go SDK does", async () => {
    answer(404, { code: "MRS.0011", message: "cluster not found" });
    await expect(cloud.client(V2).showJobExeListNew({ clusterId: CLUSTER })).rejects.toMatchObject({ code: Code.NotFound, errorCode: "MRS.0011" });
    answer(403, { error: { error_code: "IAM.0002", error_msg: "forbidden", encoded_authorization_message: "enc" } });
    await expect(cloud.client(V2).showJobExeListNew({ clusterId: CLUSTER })).rejects.toMatchObject({ code: Code.PermissionDenied, errorCode: "IAM.0002", encodedAuthorizationMessage: "enc" });
    answer(502, "<html>Bad Gateway</html>");
    await expect(cloud.client(V2).showJobExeListNew({ clusterId: CLUSTER })).rejects.toMatchObject({ code: Code.Unavailable, errorCode: "", httpStatus: 502 });
  });

  it("APIGW.0301 signature failures show our canonical request beside APIG's", async () => {
    // As if a proxy had re-encoded the path: APIG's path differs, the date matches.
    const echoed = `GET|/v2/${PROJECT}/clusters/${CLUSTER}%2525/job-executions/||host:h|x-sdk-date:20261201T120000Z||host;x-sdk-date|e3b0`;
    answer(401, { error_code: "APIGW.0301", error_msg: `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:${echoed}`, request_id: "r1" });
    const error = (await cloud.client(V2).showJobExeListNew({ clusterId: CLUSTER }).catch((e: unknown) => e)) as HuaweiCloudError;
    expect(error.code).toBe(Code.Unauthenticated);
    expect(error.requestId).toBe("r1");
    expect(error.rawMessage).toContain(`APIG canonical request: ${echoed}`);
    expect(error.rawMessage).toMatch(new RegExp(`our canonical request:  GET\\|/v2/${PROJECT}/clusters/${CLUSTER}/job-executions/\\|\\|accept:application/json\\|host:127\\.0\\.0\\.1:\\d+\\|x-project-id:${PROJECT}\\|x-sdk-date:20261201T120000Z\\|\\|accept;host;x-project-id;x-sdk-date\\|e3b0c442`));
    expect(error.rawMessage).not.toContain(SK);
  });
});

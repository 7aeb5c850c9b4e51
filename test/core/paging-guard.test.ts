// The paging guard (src/core/paging-guard.ts) against servers on 127.0.0.1
// that drive a reader into a loop: alternating log tokens with empty pages,
// a list token handed back again, an offset-paged list answering one page.
import { afterEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { YandexCloudError, createYandexCloud, iamToken, jobLogs, listJobs } from "../../src/index.js";
import { AwsError, awsCredentials, createAwsCloud } from "../../src/aws/index.js";
import { listJobRuns } from "../../src/aws/emr-serverless/index.js";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import { listMrsJobs } from "../../src/huawei/jobs/mrs-jobs.js";
import { startJsonServer } from "../support/json-server.js";
import type { JsonServer, SeenRequest } from "../support/json-server.js";

const servers: JsonServer[] = [];
const closers: Array<() => void> = [];
afterEach(async () => {
  while (closers.length) closers.pop()!();
  while (servers.length) await servers.pop()!.close();
});

async function serve(answer: Parameters<typeof startJsonServer>[0]): Promise<JsonServer> {
  const server = await startJsonServer(answer);
  servers.push(server);
  return server;
}

function yandex(url: string) {
  const cloud = createYandexCloud({ transport: "rest", endpoint: url, credentials: iamToken("t1.paging"), retry: false });
  closers.push(() => cloud.close());
  return cloud;
}

async function failure(run: () => Promise<void>): Promise<ConnectError> {
  try {
    await run();
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error("expected a failure");
}

/** ListLog alternating tokens A and B with empty pages; Get says the job is DONE. */
const alternatingLog = (req: SeenRequest) => {
  if (req.url.pathname.endsWith(":logs")) {
    const token = req.url.searchParams.get("pageToken") ?? "";
    return { body: { content: "", nextPageToken: token === "A" ? "B" : "A" } };
  }
  return { body: { id: "j1", clusterId: "c1", status: "DONE" } };
};
const logCalls = (s: JsonServer) => s.requests.filter((r) => r.url.pathname.endsWith(":logs"));

describe("log reader", () => {
  it("ends with INTERNAL after three requests when the server alternates two tokens with empty pages", async () => {
    const server = await serve(alternatingLog);
    const chunks: string[] = [];
    const error = await failure(async () => {
      for await (const t of jobLogs(yandex(server.url), JobService, { clusterId: "c1", jobId: "j1" })) chunks.push(t);
    });
    expect(error).toBeInstanceOf(YandexCloudError);
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toMatch(/ListLog of job j1 cycled through 3 page tokens back to "A" without new text/);
    expect(chunks).toEqual([]);
    // "", A, B → A again: a cycle.
    expect(logCalls(server).map((r) => r.url.searchParams.get("pageToken") ?? "")).toEqual(["", "A", "B"]);
    expect(server.requests).toHaveLength(3);
  });

  it("following, a cycle while draining after the job ended ends with INTERNAL too", async () => {
    const server = await serve(alternatingLog);
    const error = await failure(async () => {
      for await (const _ of jobLogs(yandex(server.url), JobService, { clusterId: "c1", jobId: "j1" }, { follow: true })) void _;
    });
    expect(error.code).toBe(Code.Internal);
    // "" (caught up) → Get: DONE → drain A, B → A again: a cycle.
    expect(logCalls(server).map((r) => r.url.searchParams.get("pageToken") ?? "")).toEqual(["", "A", "B"]);
    expect(server.requests).toHaveLength(4);
  });

  it("a server that keeps answering the same token with an empty page has simply nothing more: the read ends cleanly", async () => {
    const server = await serve((req) => ({ body: { content: "", nextPageToken: req.url.searchParams.get("pageToken") || "T" } }));
    const chunks: string[] = [];
    for await (const t of jobLogs(yandex(server.url), JobService, { clusterId: "c1", jobId: "j1" })) chunks.push(t);
    expect(chunks).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });
});

describe("list readers", () => {
  it("listJobs ends with INTERNAL on a page token the service returned before", async () => {
    const server = await serve(() => ({ body: { jobs: [{ id: "j1" }], nextPageToken: "same" } }));
    const seen: string[] = [];
    const error = await failure(async () => {
      for await (const job of listJobs(yandex(server.url), JobService, "c1")) seen.push(job.id);
    });
    expect(error).toBeInstanceOf(YandexCloudError);
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toMatch(/returned the page token "same" again/);
    expect(seen).toEqual(["j1", "j1"]);
    expect(server.requests).toHaveLength(2);
  });

  it("AWS listJobRuns ends with INTERNAL on a repeated nextToken", async () => {
    const server = await serve((req) => ({
      body: { jobRuns: [{ id: `r-${req.url.searchParams.get("nextToken") ?? "first"}` }], nextToken: "again" },
    }));
    const aws = createAwsCloud({ region: "us-east-1", endpoint: server.url, credentials: awsCredentials({ accessKeyId: "AKIDPAGING", secretAccessKey: "paging-secret" }), retry: false });
    closers.push(() => aws.close());
    const seen: string[] = [];
    const error = await failure(async () => {
      for await (const run of listJobRuns(aws, { applicationId: "app1" })) seen.push(run.id);
    });
    expect(error).toBeInstanceOf(AwsError);
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toMatch(/ListJobRuns of application app1 returned the page token "again" again/);
    expect(seen).toEqual(["r-first", "r-again"]);
    expect(server.requests.map((r) => r.url.pathname)).toEqual(["/applications/app1/jobruns", "/applications/app1/jobruns"]);
  });

  it("AWS listJobRuns that starts from the caller's token refuses that token back", async () => {
    const server = await serve(() => ({ body: { jobRuns: [{ id: "r1" }], nextToken: "mine" } }));
    const aws = createAwsCloud({ region: "us-east-1", endpoint: server.url, credentials: awsCredentials({ accessKeyId: "AKIDPAGING", secretAccessKey: "paging-secret" }), retry: false });
    closers.push(() => aws.close());
    const error = await failure(async () => {
      for await (const _ of listJobRuns(aws, { applicationId: "app1", nextToken: "mine" })) void _;
    });
    expect(error.code).toBe(Code.Internal);
    expect(server.requests).toHaveLength(1);
  });

  it("Huawei listMrsJobs ends with INTERNAL when the server ignores the offset and answers the same page", async () => {
    const server = await serve(() => ({ body: { total_record: 1_000_000, job_list: [{ job_id: "a" }, { job_id: "b" }] } }));
    const huawei = createHuaweiCloud({
      region: "cn-north-4",
      projectId: "37caa80116e1403ab603e5eeb48a2f74",
      endpoint: server.url,
      credentials: huaweiCredentials({ accessKey: "PAGINGAK", secretKey: "paging-sk" }),
      retry: false,
    });
    closers.push(() => huawei.close());
    const seen: string[] = [];
    const error = await failure(async () => {
      for await (const job of listMrsJobs(huawei, { clusterId: "c1", pageSize: 2 })) seen.push(job.jobId ?? "");
    });
    expect(error).toBeInstanceOf(HuaweiCloudError);
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toMatch(/returned the page of job ids "a,b" again/);
    expect(seen).toEqual(["a", "b"]);
    expect(server.requests.map((r) => r.url.searchParams.get("offset"))).toEqual(["0", "2"]);
  });
});

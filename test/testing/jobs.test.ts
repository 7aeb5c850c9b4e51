import { anyUnpack, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import {
  CreateJobMetadataSchema,
  JobSchema,
  Job_Status,
} from "../../src/yandex/dataproc/v1/index.js";
import * as sparkV1 from "../../src/yandex/spark/v1/index.js";
import { startHarness, sparkJobRequest, rejection } from "../support/emulator-helpers.js";
import type { Harness } from "../support/emulator-helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clusters: ["c9qcluster0000000001", "c9qcluster0000000002"], pollIntervalSeconds: 2 });
});
afterAll(async () => {
  await h.close();
});

describe("Create and the job lifecycle (Data Proc)", () => {
  it("creates a PROVISIONING job, returns a pending operation, and moves PENDING → RUNNING → DONE on the clock", async () => {
    const headers = new Map<string, string | null>();
    const op = await h.dataproc.create(sparkJobRequest(h.cluster, {}, "my-job"), {
      ...h.auth,
      onHeader: (hd) => {
        for (const k of ["x-request-id", "x-server-trace-id", "x-operation-poll-interval"]) headers.set(k, hd.get(k));
      },
    });
    expect(op.done).toBe(false);
    expect(op.description).toBe("Create job");
    expect(op.createdBy).toBe("ajeemulator0user0001");
    expect(headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get("x-server-trace-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(headers.get("x-operation-poll-interval")).toBe("2");
    const meta = anyUnpack(op.metadata!, CreateJobMetadataSchema)!;
    expect(meta.clusterId).toBe(h.cluster);
    expect(meta.jobId).toMatch(/^c9q[0-9a-v]{17}$/);

    const get = () => h.dataproc.get({ clusterId: h.cluster, jobId: meta.jobId }, h.auth);
    let job = await get();
    expect(job.status).toBe(Job_Status.PROVISIONING);
    expect(job.name).toBe("my-job");
    expect(job.createdBy).toBe("ajeemulator0user0001");
    expect(job.jobSpec.case).toBe("sparkJob");
    expect(job.startedAt).toBeUndefined();
    const created = timestampMs(job.createdAt!);
    expect(created).toBe(h.clock.now());

    h.clock.advance(300);
    expect((await get()).status).toBe(Job_Status.PENDING);
    h.clock.advance(200);
    job = await get();
    expect(job.status).toBe(Job_Status.RUNNING);
    expect(timestampMs(job.startedAt!)).toBe(created + 500);
    expect((await h.operations.get({ operationId: op.id }, h.auth)).done).toBe(false);

    h.clock.advance(2500);
    job = await get();
    expect(job.status).toBe(Job_Status.DONE);
    expect(timestampMs(job.finishedAt!)).toBe(created + 3000);

    let pollHeader: string | null = "unset";
    const done = await h.operations.get({ operationId: op.id }, { ...h.auth, onHeader: (hd) => (pollHeader = hd.get("x-operation-poll-interval")) });
    expect(done.done).toBe(true);
    expect(pollHeader).toBeNull();
    expect(done.result.case).toBe("response");
    const final = anyUnpack(done.result.value as never, JobSchema)!;
    expect(final.status).toBe(Job_Status.DONE);
    expect(final.id).toBe(meta.jobId);
    expect(timestampMs(done.modifiedAt!)).toBe(created + 3000);
  });

  it("scripts a job through emulator.duration_ms and emulator.outcome=error: the operation fails", async () => {
    const op = await h.dataproc.create(
      sparkJobRequest(h.cluster, { "emulator.duration_ms": "10000", "emulator.outcome": "error" }),
      h.auth,
    );
    const jobId = anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
    h.clock.advance(5_000);
    expect((await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth)).status).toBe(Job_Status.RUNNING);
    h.clock.advance(5_500);
    expect((await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth)).status).toBe(Job_Status.ERROR);
    const done = await h.operations.get({ operationId: op.id }, h.auth);
    expect(done.done).toBe(true);
    expect(done.result.case).toBe("error");
    if (done.result.case === "error") {
      expect(done.result.value.code).toBe(Code.Unknown);
      expect(done.result.value.message).toContain(jobId);
    }
  });

  it("serves every job spec kind and scripts it through its own properties", async () => {
    const hive = await h.dataproc.create(
      {
        clusterId: h.cluster,
        jobSpec: {
          case: "hiveJob",
          value: { queryType: { case: "queryList", value: { queries: ["SELECT 1"] } }, properties: { "emulator.duration_ms": "0" } },
        },
      },
      h.auth,
    );
    h.clock.advance(500);
    const done = await h.operations.get({ operationId: hive.id }, h.auth);
    expect(done.done).toBe(true);
    expect(anyUnpack(done.result.value as never, JobSchema)!.jobSpec.case).toBe("hiveJob");
  });

  it("rejects a bad emulator.* property with INVALID_ARGUMENT naming it", async () => {
    const err = await rejection(h.dataproc.create(sparkJobRequest(h.cluster, { "emulator.outcome": "maybe" }), h.auth));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain('spark_job.properties["emulator.outcome"]');
    const err2 = await rejection(h.dataproc.create(sparkJobRequest(h.cluster, { "emulator.log_bytes": "-1" }), h.auth));
    expect(err2.rawMessage).toContain('spark_job.properties["emulator.log_bytes"]');
  });
});

describe("validation and errors", () => {
  it("answers INVALID_ARGUMENT naming the field, with RequestInfo carrying the x-request-id", async () => {
    const missing = await rejection(h.dataproc.create({ jobSpec: sparkJobRequest("x").jobSpec }, h.auth));
    expect(missing.code).toBe(Code.InvalidArgument);
    expect(missing.rawMessage).toContain("cluster_id");
    const info = missing.findDetails(RequestInfoSchema);
    expect(info).toHaveLength(1);
    expect(info[0]!.requestId).toBe(missing.metadata.get("x-request-id"));
    expect(info[0]!.servingData).toBe(missing.metadata.get("x-server-trace-id"));

    const badName = await rejection(h.dataproc.create(sparkJobRequest(h.cluster, {}, "Bad_Name"), h.auth));
    expect(badName.rawMessage).toMatch(/\bname\b/);
    const noSpec = await rejection(h.dataproc.create({ clusterId: h.cluster }, h.auth));
    expect(noSpec.rawMessage).toContain("job_spec");
    const noJar = await rejection(
      h.dataproc.create({ clusterId: h.cluster, jobSpec: { case: "sparkJob", value: {} } }, h.auth),
    );
    expect(noJar.rawMessage).toContain("spark_job.main_jar_file_uri");
    const bigPage = await rejection(h.dataproc.list({ clusterId: h.cluster, pageSize: 1001n }, h.auth));
    expect(bigPage.code).toBe(Code.InvalidArgument);
    expect(bigPage.rawMessage).toContain("page_size");
  });

  it("answers NOT_FOUND for an unknown cluster, job or operation", async () => {
    const cluster = await rejection(h.dataproc.create(sparkJobRequest("c9qnosuchcluster00001"), h.auth));
    expect(cluster.code).toBe(Code.NotFound);
    expect(cluster.findDetails(RequestInfoSchema)).toHaveLength(1);
    const job = await rejection(h.dataproc.get({ clusterId: h.cluster, jobId: "c9qnosuchjob000000001" }, h.auth));
    expect(job.code).toBe(Code.NotFound);
    const list = await rejection(h.dataproc.list({ clusterId: "c9qnosuchcluster00001" }, h.auth));
    expect(list.code).toBe(Code.NotFound);
    const op = await rejection(h.operations.get({ operationId: "c9qnosuchop0000000001" }, h.auth));
    expect(op.code).toBe(Code.NotFound);
  });

  it("finds a job only in its own cluster", async () => {
    const op = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const jobId = anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
    const other = h.emulator.clusters[1]!;
    expect((await rejection(h.dataproc.get({ clusterId: other, jobId }, h.auth))).code).toBe(Code.NotFound);
  });
});

describe("Idempotency-Key", () => {
  it("returns the same operation for a repeated key and creates no second job", async () => {
    const cluster = h.emulator.clusters[1]!;
    const before = (await h.dataproc.list({ clusterId: cluster, pageSize: 1000n }, h.auth)).jobs.length;
    const key = "0b7f3c1e-8f0a-4a57-9a43-3d8f2f5a1c11";
    const opts = { headers: { ...h.auth.headers, "idempotency-key": key } };
    const first = await h.dataproc.create(sparkJobRequest(cluster), opts);
    const second = await h.dataproc.create(sparkJobRequest(cluster), opts);
    expect(second.id).toBe(first.id);
    expect(second.metadata).toEqual(first.metadata);
    const after = (await h.dataproc.list({ clusterId: cluster, pageSize: 1000n }, h.auth)).jobs.length;
    expect(after).toBe(before + 1);
    const third = await h.dataproc.create(sparkJobRequest(cluster), {
      headers: { ...h.auth.headers, "idempotency-key": "5e0d8a4e-2b7c-4d1e-9f3a-6c2b1a0d9e88" },
    });
    expect(third.id).not.toBe(first.id);
    expect(h.emulator.callsTo("dataproc.v1.JobService/Create").filter((c) => c.idempotencyKey === key)).toHaveLength(2);
  });
});

describe("Cancel", () => {
  it("moves a running job to CANCELLING, then CANCELLED; both operations finish", async () => {
    const create = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const jobId = anyUnpack(create.metadata!, CreateJobMetadataSchema)!.jobId;
    h.clock.advance(1000);
    const cancel = await h.dataproc.cancel({ clusterId: h.cluster, jobId }, h.auth);
    expect(cancel.done).toBe(false);
    expect(cancel.description).toBe("Cancel job");
    expect(anyUnpack(cancel.metadata!, CreateJobMetadataSchema)!.jobId).toBe(jobId);
    expect((await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth)).status).toBe(Job_Status.CANCELLING);
    // a second request while CANCELLING is accepted and changes nothing
    await h.dataproc.cancel({ clusterId: h.cluster, jobId }, h.auth);
    h.clock.advance(500);
    const job = await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth);
    expect(job.status).toBe(Job_Status.CANCELLED);
    expect(job.startedAt).toBeDefined();
    const cancelDone = await h.operations.get({ operationId: cancel.id }, h.auth);
    expect(cancelDone.done).toBe(true);
    expect(anyUnpack(cancelDone.result.value as never, JobSchema)!.status).toBe(Job_Status.CANCELLED);
    const createDone = await h.operations.get({ operationId: create.id }, h.auth);
    expect(createDone.result.case).toBe("error");
    expect(createDone.result.case === "error" && createDone.result.value.code).toBe(Code.Canceled);
  });

  it("cancels a job that never started (no started_at)", async () => {
    const create = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const jobId = anyUnpack(create.metadata!, CreateJobMetadataSchema)!.jobId;
    await h.dataproc.cancel({ clusterId: h.cluster, jobId }, h.auth);
    h.clock.advance(10_000);
    const job = await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth);
    expect(job.status).toBe(Job_Status.CANCELLED);
    expect(job.startedAt).toBeUndefined();
  });

  it("answers FAILED_PRECONDITION for a terminal job", async () => {
    const create = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const jobId = anyUnpack(create.metadata!, CreateJobMetadataSchema)!.jobId;
    h.clock.advance(3000);
    const err = await rejection(h.dataproc.cancel({ clusterId: h.cluster, jobId }, h.auth));
    expect(err.code).toBe(Code.FailedPrecondition);
    expect(err.rawMessage).toContain("DONE");
  });

  it("OperationService.Cancel cancels the job of a pending Create operation; a done operation is FAILED_PRECONDITION", async () => {
    const create = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const jobId = anyUnpack(create.metadata!, CreateJobMetadataSchema)!.jobId;
    const cancelled = await h.operations.cancel({ operationId: create.id }, h.auth);
    expect(cancelled.done).toBe(false);
    expect((await h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth)).status).toBe(Job_Status.CANCELLING);
    h.clock.advance(500);
    const err = await rejection(h.operations.cancel({ operationId: create.id }, h.auth));
    expect(err.code).toBe(Code.FailedPrecondition);
  });
});

describe("List", () => {
  it("pages in a stable order with no job lost or repeated, and filters by name", async () => {
    const cluster = "c9qlistcluster000001";
    const local = await startHarness({ clusters: [cluster] });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const op = await local.dataproc.create(sparkJobRequest(cluster, {}, i % 2 === 0 ? "even-job" : `odd-job-${i}`), local.auth);
        ids.push(anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId);
      }
      const seen: string[] = [];
      let token = "";
      let pages = 0;
      do {
        const page = await local.dataproc.list({ clusterId: cluster, pageSize: 3n, pageToken: token }, local.auth);
        expect(page.jobs.length).toBeLessThanOrEqual(3);
        seen.push(...page.jobs.map((j) => j.id));
        token = page.nextPageToken;
        pages++;
      } while (token !== "");
      expect(pages).toBe(3);
      expect(seen).toEqual(ids);
      expect((await local.dataproc.list({ clusterId: cluster }, local.auth)).jobs.map((j) => j.id)).toEqual(ids);

      const even = await local.dataproc.list({ clusterId: cluster, filter: 'name="even-job"', pageSize: 2n }, local.auth);
      expect(even.jobs.map((j) => j.name)).toEqual(["even-job", "even-job"]);
      const rest = await local.dataproc.list(
        { clusterId: cluster, filter: 'name="even-job"', pageSize: 2n, pageToken: even.nextPageToken },
        local.auth,
      );
      expect(rest.jobs.map((j) => j.id)).toEqual([ids[4], ids[6]]);
      expect(rest.nextPageToken).toBe("");
      expect((await local.dataproc.list({ clusterId: cluster, filter: "name=odd-job-3" }, local.auth)).jobs.map((j) => j.id)).toEqual([ids[3]]);

      const badFilter = await rejection(local.dataproc.list({ clusterId: cluster, filter: 'status="RUNNING"' }, local.auth));
      expect(badFilter.code).toBe(Code.InvalidArgument);
      expect(badFilter.rawMessage).toContain("filter");
      const badToken = await rejection(local.dataproc.list({ clusterId: cluster, pageToken: "garbage" }, local.auth));
      expect(badToken.code).toBe(Code.InvalidArgument);
    } finally {
      await local.close();
    }
  });

  it("defaults page_size to 100", async () => {
    const cluster = "c9qlistcluster000002";
    const local = await startHarness({ clusters: [cluster] });
    try {
      await Promise.all(Array.from({ length: 101 }, () => local.dataproc.create(sparkJobRequest(cluster), local.auth)));
      const page = await local.dataproc.list({ clusterId: cluster }, local.auth);
      expect(page.jobs).toHaveLength(100);
      expect(page.nextPageToken).not.toBe("");
    } finally {
      await local.close();
    }
  });
});

describe("Managed Spark JobService (same implementation, other descriptors)", () => {
  it("runs a Spark Connect job scripted by its properties and copies Spark-only request fields", async () => {
    const op = await h.spark.create(
      {
        clusterId: h.cluster,
        name: "connect-job",
        serviceAccountId: "ajesparksa0000000001",
        jobSpec: { case: "sparkConnectJob", value: { properties: { "emulator.duration_ms": "100", "emulator.outcome": "done" } } },
      },
      h.auth,
    );
    const meta = anyUnpack(op.metadata!, sparkV1.CreateJobMetadataSchema)!;
    expect(op.metadata!.typeUrl).toBe("type.googleapis.com/yandex.cloud.spark.v1.CreateJobMetadata");
    h.clock.advance(600);
    const job = await h.spark.get({ clusterId: h.cluster, jobId: meta.jobId }, h.auth);
    expect(job.status).toBe(sparkV1.Job_Status.DONE);
    expect(job.serviceAccountId).toBe("ajesparksa0000000001");
    expect(job.jobSpec.case).toBe("sparkConnectJob");
    const done = await h.operations.get({ operationId: op.id }, h.auth);
    expect(done.result.case === "response" && done.result.value.typeUrl).toBe("type.googleapis.com/yandex.cloud.spark.v1.Job");
    // each service has its own jobs
    expect((await rejection(h.dataproc.get({ clusterId: h.cluster, jobId: meta.jobId }, h.auth))).code).toBe(Code.NotFound);
  });

  it("validates Spark requests against the Spark constraints", async () => {
    const err = await rejection(
      h.spark.create({ clusterId: h.cluster, jobSpec: { case: "pysparkJob", value: {} } }, h.auth),
    );
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain("pyspark_job.main_python_file_uri");
  });
});

import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { CreateJobMetadataSchema, JobService, Job_Status } from "../../src/yandex/dataproc/v1/index.js";
import { OperationService } from "../../src/yandex/operation/index.js";
import { ManualClock, createInMemoryEmulator } from "../../src/testing/index.js";
import { sparkJobRequest } from "../support/emulator-helpers.js";

it("serves the same services without a network (router transport)", async () => {
  const emulator = createInMemoryEmulator({ clock: new ManualClock() });
  const jobs = createClient(JobService, emulator.transport);
  const operations = createClient(OperationService, emulator.transport);
  const auth = { headers: { authorization: `Bearer ${emulator.iamToken}` } };
  const cluster = emulator.clusters[0]!;

  const op = await jobs.create(sparkJobRequest(cluster, { "emulator.duration_ms": "100" }), auth);
  const jobId = anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
  emulator.clock.advance(600);
  expect((await jobs.get({ clusterId: cluster, jobId }, auth)).status).toBe(Job_Status.DONE);
  expect((await operations.get({ operationId: op.id }, auth)).done).toBe(true);

  let err = ConnectError.from(await jobs.get({ clusterId: cluster, jobId }).catch((e: unknown) => e));
  expect(err.code).toBe(Code.Unauthenticated);
  expect(err.findDetails(RequestInfoSchema)[0]?.requestId).toBe(err.metadata.get("x-request-id"));

  // resets have no stream to act on here: they surface as UNAVAILABLE
  emulator.faults.script(["reset-stream", "INTERNAL"]);
  err = ConnectError.from(await jobs.get({ clusterId: cluster, jobId }, auth).catch((e: unknown) => e));
  expect(err.code).toBe(Code.Unavailable);
  err = ConnectError.from(await jobs.get({ clusterId: cluster, jobId }, auth).catch((e: unknown) => e));
  expect(err.code).toBe(Code.Internal);
  expect(emulator.callsTo("JobService/Get").map((c) => c.fault)).toEqual([undefined, undefined, "reset-stream", "INTERNAL"]);
});

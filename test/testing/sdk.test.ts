// The official Yandex Cloud Node SDK (grpc-js, protobufjs-generated code)
// drives a whole job lifecycle against the emulator: proof that the wire
// format and behaviour match what real clients expect.
import { Metadata, credentials, status as grpcStatus } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { Job, Job_Status } from "@yandex-cloud/nodejs-sdk/dataproc-v1/job";
import { CreateJobMetadata, JobServiceClient } from "@yandex-cloud/nodejs-sdk/dataproc-v1/job_service";
import type { ListJobLogResponse, ListJobsResponse } from "@yandex-cloud/nodejs-sdk/dataproc-v1/job_service";
import type { CreateIamTokenResponse } from "@yandex-cloud/nodejs-sdk/iam-v1/iam_token_service";
import type { Operation } from "@yandex-cloud/nodejs-sdk/operation/operation";
import { OperationServiceClient } from "@yandex-cloud/nodejs-sdk/operation/operation_service";
import { IamTokenServiceClient } from "@yandex-cloud/nodejs-sdk/iam-v1/iam_token_service";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator<ManualClock>;
let jobs: InstanceType<typeof JobServiceClient>;
let operations: InstanceType<typeof OperationServiceClient>;
let iam: InstanceType<typeof IamTokenServiceClient>;
const oauthToken = "y0_sdk-test-oauth-token";

beforeAll(async () => {
  emulator = await startEmulator({ clock: new ManualClock(), oauthTokens: [oauthToken] });
  const address = `127.0.0.1:${emulator.port}`;
  jobs = new JobServiceClient(address, credentials.createInsecure());
  operations = new OperationServiceClient(address, credentials.createInsecure());
  iam = new IamTokenServiceClient(address, credentials.createInsecure());
});
afterAll(async () => {
  jobs.close();
  operations.close();
  iam.close();
  await emulator.close();
});

function bearer(token: string): Metadata {
  const md = new Metadata();
  md.set("authorization", `Bearer ${token}`);
  return md;
}

/** Promisifies one grpc-js unary call of the SDK's generated clients. */
function call<Res>(invoke: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

async function failure(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error("expected the call to fail");
}

it("official SDK: create → poll the operation → DONE, logs, cancel, NOT_FOUND, UNAUTHENTICATED", async () => {
  const clock = emulator.clock;
  const clusterId = emulator.clusters[0]!;
  // credentials the SDK way: exchange an OAuth token for an IAM token
  const issued = await call<CreateIamTokenResponse>((cb) => iam.create({ yandexPassportOauthToken: oauthToken, jwt: undefined }, new Metadata(), cb));
  expect(issued.iamToken).toMatch(/^t1\./);
  const md = bearer(issued.iamToken);

  const op = await call<Operation>((cb) =>
    jobs.create(
    {
      clusterId,
      name: "sdk-job",
      sparkJob: {
        args: [],
        jarFileUris: [],
        fileUris: [],
        archiveUris: [],
        properties: { "emulator.duration_ms": "1000", "emulator.log_bytes": "5000" },
        mainJarFileUri: "s3a://bucket/app.jar",
        mainClass: "",
        packages: [],
        repositories: [],
        excludePackages: [],
      },
    },
    md,
    cb,
  ));
  expect(op.done).toBe(false);
  expect(op.metadata?.typeUrl).toBe("type.googleapis.com/yandex.cloud.dataproc.v1.CreateJobMetadata");
  const { jobId } = CreateJobMetadata.decode(op.metadata!.value);

  let polled = await call<Operation>((cb) => operations.get({ operationId: op.id }, md, cb));
  expect(polled.done).toBe(false);
  clock.advance(300 + 200 + 500);
  const running = await call<Job>((cb) => jobs.get({ clusterId, jobId }, md, cb));
  expect(running.status).toBe(Job_Status.RUNNING);
  expect(running.name).toBe("sdk-job");
  expect(running.sparkJob?.mainJarFileUri).toBe("s3a://bucket/app.jar");

  clock.advance(500);
  polled = await call<Operation>((cb) => operations.get({ operationId: op.id }, md, cb));
  expect(polled.done).toBe(true);
  expect(polled.response?.typeUrl).toBe("type.googleapis.com/yandex.cloud.dataproc.v1.Job");
  const finished = Job.decode(polled.response!.value);
  expect(finished.status).toBe(Job_Status.DONE);
  expect(finished.id).toBe(jobId);
  expect(finished.createdBy).toBe(op.createdBy); // field 12 on the wire
  expect(finished.finishedAt).toBeInstanceOf(Date);

  // logs, paged by bytes
  let content = "";
  let pageToken = "";
  do {
    const page = await call<ListJobLogResponse>((cb) => jobs.listLog({ clusterId, jobId, pageSize: 1024, pageToken }, md, cb));
    content += page.content;
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  expect(Buffer.byteLength(content)).toBeGreaterThan(5000 - 200); // whole lines, cut after the last that fits
  expect(content.endsWith("\n")).toBe(true);
  expect(content).toContain("→");

  // list
  const listed = await call<ListJobsResponse>((cb) => jobs.list({ clusterId, pageSize: 10, pageToken: "", filter: 'name="sdk-job"' }, md, cb));
  expect(listed.jobs.map((j) => j.id)).toEqual([jobId]);

  // cancel a running job
  const second = await call<Operation>((cb) =>
    jobs.create(
      { clusterId, name: "", hiveJob: { properties: {}, continueOnFailure: false, scriptVariables: {}, jarFileUris: [], queryFileUri: "s3a://b/q.sql" } },
      md,
      cb,
    ),
  );
  const secondId = CreateJobMetadata.decode(second.metadata!.value).jobId;
  clock.advance(600);
  const cancelOp = await call<Operation>((cb) => jobs.cancel({ clusterId, jobId: secondId }, md, cb));
  expect(cancelOp.done).toBe(false);
  expect((await call<Job>((cb) => jobs.get({ clusterId, jobId: secondId }, md, cb))).status).toBe(Job_Status.CANCELLING);
  clock.advance(1000);
  const cancelDone = await call<Operation>((cb) => operations.get({ operationId: cancelOp.id }, md, cb));
  expect(cancelDone.done).toBe(true);
  expect(Job.decode(cancelDone.response!.value).status).toBe(Job_Status.CANCELLED);
  const createOfCancelled = await call<Operation>((cb) => operations.get({ operationId: second.id }, md, cb));
  expect(createOfCancelled.error?.code).toBe(grpcStatus.CANCELLED);

  // errors as grpc-js sees them
  const again = await failure(call<Operation>((cb) => jobs.cancel({ clusterId, jobId }, md, cb)));
  expect(again.code).toBe(grpcStatus.FAILED_PRECONDITION);
  const missing = await failure(call<Job>((cb) => jobs.get({ clusterId, jobId: "c9qnosuchjob000000001" }, md, cb)));
  expect(missing.code).toBe(grpcStatus.NOT_FOUND);
  expect(missing.metadata.get("x-request-id")[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(missing.metadata.get("grpc-status-details-bin")).toHaveLength(1);
  const anonymous = await failure(call<Job>((cb) => jobs.get({ clusterId, jobId }, new Metadata(), cb)));
  expect(anonymous.code).toBe(grpcStatus.UNAUTHENTICATED);
  const invalid = await failure(call<Job>((cb) => jobs.get({ clusterId: "", jobId }, md, cb)));
  expect(invalid.code).toBe(grpcStatus.INVALID_ARGUMENT);
  expect(invalid.details).toContain("cluster_id");
});

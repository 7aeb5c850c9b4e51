import { create, getOption } from "@bufbuild/protobuf";
import type { DescMessage, DescMethodUnary, Message, MessageInitShape, Registry } from "@bufbuild/protobuf";
import { anyPack, timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import type { JobService as DataprocJobService } from "../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import type { JobService as SparkJobService } from "../../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import { rawLogService } from "../../yandex/jobs/raw-log.js";
import { operationSchemas } from "../../yandex/operation/types.js";
import type { ClusterStore } from "../clusters.js";
import { rpcError, statusName } from "../errors.js";
import { resourceId } from "../ids.js";
import { JobRecord, JobStatus, JobStore, timingFromProperties } from "../jobs.js";
import type { JobTiming } from "../jobs.js";
import { decodeLogToken, encodeLogToken } from "../log.js";
import { jobFailedCode } from "./operations.js";
import type { OperationRecord } from "./operations.js";
import { unary } from "../pipeline.js";
import type { CallContext, PipelineDeps } from "../pipeline.js";
import { respondWithOperation } from "./operation-service.js";
import type { OperationEnv } from "./operation-service.js";

/** A Data Proc or Managed Spark `JobService` descriptor. */
export type JobServiceDesc = typeof DataprocJobService | typeof SparkJobService;

/** What a job service needs beyond the call pipeline. */
export interface JobServiceEnv extends OperationEnv {
  /** The clusters jobs run on; shared with the cluster services. */
  readonly clusters: ClusterStore;
  readonly timing: JobTiming;
  /** Resolves the `yandex.cloud.api.operation` type names. */
  readonly registry: Registry;
}

/*
 * The two services' messages are distinct generated types with the same
 * shape for everything the emulator touches, so one implementation serves
 * both: requests are read through these structural views, and responses are
 * built from the service's own descriptors.
 */
interface ClusterScoped {
  readonly clusterId: string;
}
interface JobScoped extends ClusterScoped {
  readonly jobId: string;
}
interface ListJobsView extends ClusterScoped {
  readonly pageSize: bigint;
  readonly pageToken: string;
  readonly filter: string;
}
interface ListLogView extends JobScoped {
  readonly pageSize: bigint;
  readonly pageToken: string;
}
interface CreateJobView extends ClusterScoped {
  readonly name: string;
  readonly jobSpec: { readonly case: string | undefined; readonly value?: unknown };
}

/** The five methods, typed loosely enough to cover both services. */
interface JobMethods {
  readonly list: DescMethodUnary;
  readonly create: DescMethodUnary;
  readonly get: DescMethodUnary;
  readonly listLog: DescMethodUnary;
  readonly cancel: DescMethodUnary;
}

const defaultListPageSize = 100;
const defaultLogPageSize = 1024 * 1024;

/**
 * Registers a job service (`yandex.cloud.dataproc.v1.JobService` or
 * `yandex.cloud.spark.v1.JobService`) with its own job store.
 *
 * Everything service-specific comes from descriptors: the Job type is the
 * output of `Get`; the metadata and response types of Create and Cancel are
 * read from their `yandex.cloud.api.operation` option; request fields are
 * copied onto the Job by name (so Spark's `service_account_id` and
 * `environment_id` carry over, and Data Proc has none).
 */
export function registerJobService(
  router: ConnectRouter,
  service: JobServiceDesc,
  deps: PipelineDeps,
  env: JobServiceEnv,
): JobSeeder {
  const methods = service.method as JobMethods;
  const jobSchema = methods.get.output;
  const createRequestSchema = methods.create.input;
  const schemas = operationSchemas(methods.create, env.registry);
  if (!schemas?.metadata) throw new Error(`${service.typeName}.Create has no (yandex.cloud.api.operation) metadata type`);
  const metadataSchema = schemas.metadata;
  const store = new JobStore<Message>();

  const ownPackage = service.file.proto.package;
  const clusterOf = (clusterId: string): string => env.clusters.get(clusterId, ownPackage).id;

  const render = (job: JobRecord<Message>, now: number): Message => {
    const state = job.stateAt(now);
    return {
      ...job.template,
      status: state.status,
      startedAt: state.startedAt === undefined ? undefined : timestampFromMs(state.startedAt),
      finishedAt: state.finishedAt === undefined ? undefined : timestampFromMs(state.finishedAt),
    } as Message;
  };

  const metadataOf = (job: JobRecord<Message>) =>
    anyPack(metadataSchema, create(metadataSchema, { clusterId: job.clusterId, jobId: job.id } as MessageInitShape<DescMessage>));

  const jobOperation = (job: JobRecord<Message>, call: CallContext, kind: "create" | "cancel"): OperationRecord => ({
    id: env.operations.newId(),
    description: kind === "create" ? "Create job" : "Cancel job",
    createdAt: call.now,
    createdBy: call.principal.subject,
    metadata: metadataOf(job),
    resolve(now) {
      const state = job.stateAt(now);
      if (!state.terminal) return { done: false };
      const at = state.finishedAt ?? now;
      if (state.status === JobStatus.DONE || kind === "cancel") {
        return { done: true, at, response: anyPack(jobSchema, render(job, now)) };
      }
      if (state.status === JobStatus.CANCELLED) {
        return { done: true, at, error: { code: Code.Canceled, message: `job ${job.id} was cancelled` } };
      }
      return { done: true, at, error: { code: jobFailedCode, message: `job ${job.id} failed` } };
    },
    ...(kind === "create" ? { cancel: (now: number) => void job.cancel(now) } : {}),
  });

  /** Idempotency: a repeated key returns the operation the first call created. */
  const withIdempotency = (call: CallContext, run: () => OperationRecord): Message => {
    const key = call.idempotencyKey;
    const existing = key === undefined ? undefined : env.operations.findByKey(call.method, key);
    if (existing !== undefined) return respondWithOperation(env, existing, call);
    const op = run();
    env.operations.add(op);
    if (key !== undefined) env.operations.rememberKey(call.method, key, op);
    return respondWithOperation(env, op, call);
  };

  router.rpc(
    methods.list,
    unary(deps, methods.list, { public: false }, (request, call) => {
      const req = request as unknown as ListJobsView;
      const clusterId = clusterOf(req.clusterId);
      const pageSize = req.pageSize === 0n ? defaultListPageSize : Number(req.pageSize);
      if (pageSize < 0) throw rpcError(Code.InvalidArgument, "page_size: must not be negative");
      const name = parseNameFilter(req.filter);
      const start = req.pageToken === "" ? 0 : decodeListToken(clusterId, req.pageToken);
      const all = store.list(clusterId);
      const jobs: Message[] = [];
      let next = "";
      for (let i = start; i < all.length; i++) {
        const job = all[i]!;
        if (name !== undefined && job.name !== name) continue;
        if (jobs.length === pageSize) {
          next = encodeListToken(clusterId, i);
          break;
        }
        jobs.push(render(job, call.now));
      }
      return { jobs, nextPageToken: next };
    }),
  );

  /** What Create stores: the job built from a (validated) Create request. */
  const addJob = (request: Message, now: number, subject: string): JobRecord<Message> => {
    const req = request as unknown as CreateJobView;
    const cluster = env.clusters.get(req.clusterId, ownPackage);
    // A stopped (or still starting) cluster refuses new jobs, as the service does.
    cluster.assertRunsJobs(now);
    const clusterId = cluster.id;
    const specField = createRequestSchema.fields.find((f) => f.localName === req.jobSpec.case);
    const properties = (req.jobSpec.value as { properties?: Record<string, string> } | undefined)?.properties ?? {};
    const timing = timingFromProperties(properties, env.timing, specField?.name ?? "job_spec");
    const id = resourceId("c9q");
    const template = create(jobSchema, {
      ...copyMatchingMembers(createRequestSchema, request, jobSchema),
      id,
      clusterId,
      createdAt: timestampFromMs(now),
      createdBy: subject,
    } as MessageInitShape<DescMessage>);
    const job = new JobRecord<Message>({ id, clusterId, name: req.name, createdAt: now, timing, template });
    store.add(job);
    return job;
  };

  router.rpc(
    methods.create,
    unary(deps, methods.create, { public: false }, (request, call) =>
      withIdempotency(call, () => jobOperation(addJob(request, call.now, call.principal.subject), call, "create")),
    ),
  );

  router.rpc(
    methods.get,
    unary(deps, methods.get, { public: false }, (request, call) => {
      const req = request as unknown as JobScoped;
      return render(store.get(clusterOf(req.clusterId), req.jobId), call.now);
    }),
  );

  // ListLog answers through the variant of the service whose `content` is
  // bytes (same wire format), so a page can end inside a UTF-8 character.
  const rawListLog = rawLogService(service).methods.find((m) => m.name === "ListLog") as DescMethodUnary;
  router.rpc(
    rawListLog,
    unary(deps, rawListLog, { public: false }, (request, call) => {
      const req = request as unknown as ListLogView;
      const job = store.get(clusterOf(req.clusterId), req.jobId);
      const pageSize = req.pageSize === 0n ? defaultLogPageSize : Number(req.pageSize);
      if (pageSize < 0) throw rpcError(Code.InvalidArgument, "page_size: must not be negative");
      let offset = 0;
      if (req.pageToken !== "") {
        const decoded = decodeLogToken(job.id, req.pageToken);
        if (decoded === undefined || decoded > job.log.size) {
          throw rpcError(Code.InvalidArgument, "page_token: not a log page token of this job");
        }
        offset = decoded;
      }
      const terminal = job.stateAt(call.now).terminal;
      const visible = Math.max(offset, job.logLengthAt(call.now));
      const page = job.log.page(offset, visible, pageSize);
      // While the job runs, a reader that has caught up gets an empty page and
      // a token for the same position, so it can poll for more.
      const finished = terminal && page.end >= visible;
      return { content: page.content, nextPageToken: finished ? "" : encodeLogToken(job.id, page.end) };
    }),
  );

  router.rpc(
    methods.cancel,
    unary(deps, methods.cancel, { public: false }, (request, call) =>
      withIdempotency(call, () => {
        const req = request as unknown as JobScoped;
        const job = store.get(clusterOf(req.clusterId), req.jobId);
        if (!job.cancel(call.now)) {
          const status = statusNameOfJob(job.stateAt(call.now).status);
          throw rpcError(Code.FailedPrecondition, `job ${job.id} is already ${status} and cannot be cancelled`);
        }
        return jobOperation(job, call, "cancel");
      }),
    ),
  );

  return (init, now, subject) => {
    const ids: string[] = [];
    for (let i = 0; i < init.count; i++) {
      const request = create(createRequestSchema, {
        clusterId: init.clusterId,
        name: `${init.namePrefix}-${i}`,
        jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://emulator/seeded.jar", mainClass: "org.example.Seeded", properties: { ...init.properties } } },
      } as MessageInitShape<DescMessage>);
      ids.push(addJob(request, now, subject).id);
    }
    return ids;
  };
}

/**
 * Adds Spark jobs straight to a job service's store, as Create would have
 * stored them (same fields, same timing rules), with no call, operation or
 * call-log entry. See `EmulatorControls.seedJobs`.
 */
export type JobSeeder = (
  init: { readonly count: number; readonly clusterId: string; readonly namePrefix: string; readonly properties: Readonly<Record<string, string>> },
  now: number,
  subject: string,
) => string[];

/**
 * The request's fields and oneofs that the target message also has, by
 * name and kind: `cluster_id`, `name`, the `job_spec` oneof and, for Spark,
 * `service_account_id` and `environment_id`.
 */
function copyMatchingMembers(from: DescMessage, message: Message, to: DescMessage): Record<string, unknown> {
  const values = message as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const member of from.members) {
    const target = to.members.find((m) => m.localName === member.localName && m.kind === member.kind);
    if (target !== undefined) out[member.localName] = values[member.localName];
  }
  return out;
}

const statusNames: Record<number, string> = Object.fromEntries(
  Object.entries(JobStatus).map(([name, value]) => [value, name]),
);

function statusNameOfJob(status: number): string {
  return statusNames[status] ?? statusName(status);
}

/**
 * Parses `name="my-job"` (or `name=my-job`, as the docs' example writes it);
 * `undefined` for an empty filter. Anything else is INVALID_ARGUMENT.
 */
function parseNameFilter(filter: string): string | undefined {
  if (filter.trim() === "") return undefined;
  const m = /^\s*name\s*=\s*(?:"([^"]*)"|([-a-z0-9]+))\s*$/.exec(filter);
  if (m === null) throw rpcError(Code.InvalidArgument, 'filter: only name="<job name>" is supported');
  return m[1] ?? m[2];
}

function encodeListToken(clusterId: string, index: number): string {
  return Buffer.from(`jobs:${clusterId}:${index}`, "utf8").toString("base64url");
}

function decodeListToken(clusterId: string, token: string): number {
  const m = /^jobs:([^:]+):(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (m === null || m[1] !== clusterId) throw rpcError(Code.InvalidArgument, "page_token: not a job list token of this cluster");
  return Number(m[2]);
}

import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { ConnectRouter } from "@connectrpc/connect";
import { JobExecutionService as V1 } from "../../../gen/huawei/mrs/v1/job_execution_pb.js";
import type { JobExecutionSchema } from "../../../gen/huawei/mrs/v1/job_execution_pb.js";
import { JobExecutionService as V2 } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { JobQueryBeanSchema } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import { rpcError } from "../errors.js";
import type { JobRecord } from "../jobs.js";
import { unary } from "../pipeline.js";
import type { PipelineDeps } from "../pipeline.js";
import { mrsView } from "./mrs-jobs.js";
import type { MrsJobs, MrsJobSpec } from "./mrs-jobs.js";
import { withHuaweiCode } from "./error-codes.js";

/** Job types v2 accepts (SparkPython is stored as SparkSubmit, as MRS does). */
const jobTypes = new Set(["MapReduce", "SparkSubmit", "SparkPython", "HiveScript", "HiveSql", "DistCp", "SparkScript", "SparkSql", "Flink"]);
const jobNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Registers MRS v1.1 `JobExecutionService` and v2 `JobExecutionService` on a
 * Connect router, over one {@link MrsJobs} state. Handlers run in the
 * emulator's call pipeline (faults, call log) as `public`: the Huawei REST
 * face verifies SDK-HMAC-SHA256 before a request reaches them, so there is
 * no bearer token to check.
 *
 * @example
 * ```ts
 * const jobs = new MrsJobs({ projectId, clusters, timing: defaultJobTiming });
 * registerHuaweiMrsServices(router, deps, jobs);
 * ```
 */
export function registerHuaweiMrsServices(router: ConnectRouter, deps: PipelineDeps, jobs: MrsJobs): void {
  const open = { public: true } as const;

  router.rpc(
    V1.method.cancelJobExecution,
    unary(deps, V1.method.cancelJobExecution, open, (req, call) => {
      jobs.checkScope(req.projectId);
      required("job_execution_id", req.jobExecutionId);
      const job = jobs.find(req.jobExecutionId);
      if (!job.cancel(call.now)) {
        throw rpcError(Code.FailedPrecondition, `job execution ${job.id} has already ended and cannot be cancelled`);
      }
      return { jobExecution: v1JobExecution(job, jobs.projectId, call.now) };
    }),
  );

  router.rpc(
    V2.method.createExecuteJob,
    unary(deps, V2.method.createExecuteJob, open, (req, call) => {
      jobs.checkScope(req.projectId, req.clusterId);
      if (!jobTypes.has(req.jobType)) {
        throw withHuaweiCode(rpcError(Code.InvalidArgument, `job_type: must be one of ${[...jobTypes].join(", ")}`), "0168");
      }
      if (!jobNamePattern.test(req.jobName)) {
        throw withHuaweiCode(rpcError(Code.InvalidArgument, "job_name: 1 to 64 letters, digits, '-' or '_'"), "0168");
      }
      const spec: MrsJobSpec = {
        jobType: req.jobType === "SparkPython" ? "SparkSubmit" : req.jobType,
        jobName: req.jobName,
        arguments: [...req.arguments],
        properties: { ...req.properties },
        user: "emulator",
      };
      const job = jobs.submit(req.clusterId, spec, call.now);
      return { jobSubmitResult: { jobId: job.id, state: "COMPLETE" } };
    }),
  );

  router.rpc(
    V2.method.showJobExeListNew,
    unary(deps, V2.method.showJobExeListNew, open, (req, call) => {
      jobs.checkScope(req.projectId, req.clusterId);
      const limit = req.limit ?? 10;
      const offset = req.offset ?? 0;
      if (limit < 1 || limit > 100) throw withHuaweiCode(rpcError(Code.InvalidArgument, "limit: must be from 1 to 100"), "0166");
      if (offset < 0) throw withHuaweiCode(rpcError(Code.InvalidArgument, "offset: must not be negative"), "0166");
      const ascending = req.sortBy === "asc";
      if (req.sortBy !== undefined && !ascending && req.sortBy !== "desc") {
        throw withHuaweiCode(rpcError(Code.InvalidArgument, 'sort_by: must be "asc" or "desc"'), "0166");
      }
      const beans = jobs
        .list(req.clusterId)
        .map((job) => jobQueryBean(job, call.now))
        .filter(
          (b) =>
            (req.jobName === undefined || b.jobName === req.jobName) &&
            (req.jobId === undefined || b.jobId === req.jobId) &&
            (req.user === undefined || b.user === req.user) &&
            (req.jobType === undefined || b.jobType === req.jobType) &&
            (req.jobState === undefined || b.jobState === req.jobState) &&
            (req.jobResult === undefined || b.jobResult === req.jobResult) &&
            (req.queue === undefined || b.queue === req.queue) &&
            (req.submittedTimeBegin === undefined || (b.submittedTime ?? 0n) >= req.submittedTimeBegin) &&
            (req.submittedTimeEnd === undefined || (b.submittedTime ?? 0n) <= req.submittedTimeEnd),
        );
      if (!ascending) beans.reverse();
      return { totalRecord: beans.length, jobList: beans.slice(offset, offset + limit) };
    }),
  );

  router.rpc(
    V2.method.showSingleJobExe,
    unary(deps, V2.method.showSingleJobExe, open, (req, call) => {
      jobs.checkScope(req.projectId, req.clusterId);
      required("job_execution_id", req.jobExecutionId);
      return { jobDetail: jobQueryBean(codeOnNotFound(() => jobs.get(req.clusterId, req.jobExecutionId), "0162"), call.now) };
    }),
  );

  router.rpc(
    V2.method.stopJob,
    unary(deps, V2.method.stopJob, open, (req, call) => {
      jobs.checkScope(req.projectId, req.clusterId);
      required("job_execution_id", req.jobExecutionId);
      const job = codeOnNotFound(() => jobs.get(req.clusterId, req.jobExecutionId), "0175");
      // A kill of a killed job is accepted again, so a retried kill is harmless.
      if (!job.cancel(call.now) && mrsView(job.stateAt(call.now), job.timing, call.now).jobState !== "KILLED") {
        throw withHuaweiCode(rpcError(Code.FailedPrecondition, `job ${job.id} has already finished`), "0175");
      }
      return {};
    }),
  );

  router.rpc(
    V2.method.batchDeleteJobs,
    unary(deps, V2.method.batchDeleteJobs, open, (req) => {
      jobs.checkScope(req.projectId, req.clusterId);
      if (req.jobIdList.length === 0) throw withHuaweiCode(rpcError(Code.InvalidArgument, "job_id_list: must not be empty"), "0161");
      codeOnNotFound(() => jobs.delete(req.clusterId, req.jobIdList), "0161");
      return {};
    }),
  );
}

function required(field: string, value: string): void {
  if (value === "") throw rpcError(Code.InvalidArgument, `${field}: required`);
}

function codeOnNotFound<T>(fn: () => T, huaweiCode: string): T {
  try {
    return fn();
  } catch (error) {
    throw withHuaweiCode(error, huaweiCode);
  }
}

/** A v2 `JobQueryBean` (times in epoch ms; 0 for a phase not reached, as MRS sends). */
function jobQueryBean(job: JobRecord<MrsJobSpec>, now: number): MessageInitShape<typeof JobQueryBeanSchema> & {
  jobName: string; jobId: string; user: string; jobType: string; jobState: string; jobResult: string; queue: string; submittedTime: bigint;
} {
  const view = mrsView(job.stateAt(now), job.timing, now);
  const started = view.startedAt ?? 0;
  const finished = view.finishedAt ?? 0;
  const spec = job.template;
  return {
    jobId: job.id,
    user: spec.user,
    jobName: spec.jobName,
    jobResult: view.jobResult,
    jobState: view.jobState,
    jobProgress: view.progress,
    jobType: spec.jobType,
    startedTime: BigInt(started),
    submittedTime: BigInt(job.createdAt),
    finishedTime: BigInt(finished),
    elapsedTime: BigInt(started === 0 ? 0 : (finished || now) - started),
    queue: "default",
    arguments: `[${spec.arguments.join(", ")}]`,
    launcherId: `application_${job.createdAt}_0001`,
    properties: JSON.stringify(spec.properties),
    ...(started === 0 ? {} : { appId: `application_${job.createdAt}_0002` }),
  };
}

/** A v1.1 job execution object: zone-less UTC times; unknown fields left unset (`null` on the wire). */
function v1JobExecution(job: JobRecord<MrsJobSpec>, projectId: string, now: number): MessageInitShape<typeof JobExecutionSchema> {
  const state = job.stateAt(now);
  return {
    createdAt: zoneless(job.createdAt),
    updatedAt: zoneless(now),
    id: job.id,
    tenantId: projectId,
    jobId: "",
    clusterId: job.clusterId,
    ...(state.startedAt === undefined ? {} : { startTime: zoneless(state.startedAt) }),
    ...(state.finishedAt === undefined ? {} : { endTime: zoneless(state.finishedAt) }),
  };
}

/** `2017-05-25T07:28:12`: UTC, seconds, no zone — how v1.1 writes times. */
function zoneless(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

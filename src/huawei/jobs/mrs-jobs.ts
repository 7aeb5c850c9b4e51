import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { localHuaweiError } from "../errors/huawei-cloud-error.js";
import type { HuaweiCloudError } from "../errors/huawei-cloud-error.js";
import { JobExecutionService } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { JobQueryBean, ShowJobExeListNewRequest } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { Sleep } from "../../core/sleep.js";
import { PagingGuard } from "../../core/paging-guard.js";
import { Poller } from "../../core/poll.js";
import type { PollOptions } from "../../core/poll.js";
import type { HuaweiCloud } from "../cloud.js";

/** `job_state` values MRS documents. */
export type MrsJobState = "FAILED" | "KILLED" | "NEW" | "NEW_SAVING" | "SUBMITTED" | "ACCEPTED" | "RUNNING" | "FINISHED";
/** `job_result` values MRS documents (`UNDEFINED` while the job runs). */
export type MrsJobResult = "FAILED" | "KILLED" | "UNDEFINED" | "SUCCEEDED";
/** Job types v2 accepts. */
export type MrsJobType = "MapReduce" | "SparkSubmit" | "SparkPython" | "HiveScript" | "HiveSql" | "DistCp" | "SparkScript" | "SparkSql" | "Flink";

/** States after which a job never changes again. */
export const mrsTerminalStates: readonly MrsJobState[] = ["FINISHED", "FAILED", "KILLED"];


/** Whether `state` is one of {@link mrsTerminalStates}. */
export function isTerminalMrsState(state: string | undefined): boolean {
  return state !== undefined && (mrsTerminalStates as readonly string[]).includes(state);
}

const jobTypes: ReadonlySet<string> = new Set<MrsJobType>(["MapReduce", "SparkSubmit", "SparkPython", "HiveScript", "HiveSql", "DistCp", "SparkScript", "SparkSql", "Flink"]);

/** What {@link submitMrsJob} submits. */
export interface SubmitMrsJobInit {
  readonly clusterId: string;
  readonly jobType: MrsJobType;
  /** 1 to 64 letters, digits, `-` or `_`. */
  readonly jobName: string;
  readonly arguments?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * How {@link MrsJobHandle.wait} polls: the shared {@link PollOptions} of
 * every waiting helper (`signal`, `timeoutMs`, `initialDelayMs` and
 * `maxDelayMs` both default 2 s — a fixed 2 s poll unless you raise
 * `maxDelayMs` —, `policy`) plus a poll callback.
 *
 * @example
 * ```ts
 * // back off from 2 s to 10 s, then let the cap grow on a long job
 * await job.wait({ maxDelayMs: 10_000, policy: "growing-cap" });
 * ```
 */
export interface WaitOptions extends PollOptions {
  /** How to wait; tests pass the emulator's `ManualClock.sleep`. */
  readonly sleep?: Sleep;
  /** Time source for `timeoutMs`; default `Date.now`. */
  readonly clock?: { now(): number };
  /** Called with every polled state, e.g. to show progress. */
  readonly onPoll?: (job: JobQueryBean) => void;
}

/** A submitted v2 job. */
export interface MrsJobHandle {
  readonly jobId: string;
  readonly clusterId: string;
  /** The job now (`ShowSingleJobExe`). */
  get(signal?: AbortSignal): Promise<JobQueryBean>;
  /** Polls until FINISHED, FAILED or KILLED and returns that state (it does not throw for FAILED). */
  wait(options?: WaitOptions): Promise<JobQueryBean>;
  /** Asks MRS to kill the job (`StopJob`, 202); `wait()` then ends with KILLED. */
  cancel(signal?: AbortSignal): Promise<void>;
}

/**
 * Submits a job through v2 `CreateExecuteJob` and returns a handle. The
 * request is checked first (job type, name pattern, cluster id), so a bad one
 * fails before any network call. Never retried: MRS has no idempotency
 * token, and a repeated submit could start the job twice.
 *
 * @example
 * ```ts
 * const job = await submitMrsJob(cloud, { clusterId, jobType: "SparkSubmit", jobName: "pi", arguments: ["--class", "Pi", "obs://b/pi.jar"] });
 * const done = await job.wait();
 * done.jobResult; // "SUCCEEDED"
 * ```
 */
export async function submitMrsJob(cloud: HuaweiCloud, init: SubmitMrsJobInit): Promise<MrsJobHandle> {
  if (typeof init.clusterId !== "string" || init.clusterId === "") throw invalid("clusterId: required");
  if (!jobTypes.has(init.jobType)) throw invalid(`jobType: must be one of ${[...jobTypes].join(", ")}`);
  if (typeof init.jobName !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(init.jobName)) {
    throw invalid("jobName: 1 to 64 letters, digits, '-' or '_'");
  }
  const response = await cloud.client(JobExecutionService).createExecuteJob(
    {
      clusterId: init.clusterId,
      jobType: init.jobType,
      jobName: init.jobName,
      arguments: [...(init.arguments ?? [])],
      properties: { ...(init.properties ?? {}) },
    },
    { ...(init.signal ? { signal: init.signal } : {}) },
  );
  const result = response.jobSubmitResult;
  if (!result?.jobId || result.state === "FAILED") {
    throw localHuaweiError(Code.FailedPrecondition, `submitMrsJob: MRS did not accept the job (state ${result?.state ?? "missing"})`, {
      method: `/${JobExecutionService.typeName}/CreateExecuteJob`,
      endpoint: cloud.endpoint,
      attempts: 1,
    });
  }
  return mrsJobHandle(cloud, init.clusterId, result.jobId);
}

/**
 * A handle on an existing v2 job (e.g. one found by {@link listMrsJobs}).
 */
export function mrsJobHandle(cloud: HuaweiCloud, clusterId: string, jobId: string): MrsJobHandle {
  const jobs = cloud.client(JobExecutionService);
  const get = async (signal?: AbortSignal): Promise<JobQueryBean> => {
    const { jobDetail } = await jobs.showSingleJobExe({ clusterId, jobExecutionId: jobId }, { ...(signal ? { signal } : {}) });
    if (!jobDetail) throw localHuaweiError(Code.Internal, `job ${jobId}: the response has no job_detail`, { method: showMethod(), endpoint: cloud.endpoint });
    return jobDetail;
  };
  return {
    jobId,
    clusterId,
    get,
    async wait(options = {}) {
      const env = { sleep: options.sleep ?? cloud.sleep, clock: options.clock ?? cloud.clock };
      let last: string | undefined;
      const poller = new Poller(
        env,
        {
          ...options,
          initialDelayMs: options.initialDelayMs,
          maxDelayMs: options.maxDelayMs,
        },
        { initialDelayMs: 2_000, maxDelayMs: 2_000 },
        {
          timeout: (ms, polls) =>
            localHuaweiError(Code.DeadlineExceeded, `job ${jobId} still ${last ?? "unknown"} after ${ms} ms (${polls} polls)`, {
              method: showMethod(),
              endpoint: cloud.endpoint,
              attempts: polls,
            }),
          aborted: (reason, polls) => {
            const closed = cloud.closeSignal.aborted;
            return localHuaweiError(closed ? Code.Canceled : abortCode(reason), `wait for job ${jobId}: ${abortText(closed ? cloud.closeSignal.reason : reason)}`, {
              method: showMethod(),
              endpoint: cloud.endpoint,
              attempts: polls,
              cause: reason,
            });
          },
        },
      );
      for (;;) {
        poller.checkAborted();
        const job = await get(options.signal);
        last = job.jobState;
        options.onPoll?.(job);
        if (isTerminalMrsState(job.jobState)) return job;
        await poller.pause();
      }
    },
    async cancel(signal) {
      await jobs.stopJob({ clusterId, jobExecutionId: jobId }, { ...(signal ? { signal } : {}) });
    },
  };
}

/** Filters and paging of {@link listMrsJobs} (the `ShowJobExeListNew` query). */
export interface ListMrsJobsOptions extends Partial<Omit<ShowJobExeListNewRequest, "$typeName" | "projectId" | "clusterId" | "offset" | "limit" | "jobState" | "jobResult">> {
  readonly clusterId: string;
  readonly jobState?: MrsJobState;
  readonly jobResult?: MrsJobResult;
  /** Jobs per request (1 to 100). Default 50. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * Every job matching the filters, fetched page by page (`limit`/`offset`)
 * as you iterate; stops at `total_record` or at an empty page. A page with
 * exactly the job ids of an earlier page of this listing (a server that
 * ignores `offset`) ends it with INTERNAL instead of paging forever.
 *
 * @example
 * ```ts
 * for await (const job of listMrsJobs(cloud, { clusterId, jobState: "RUNNING" })) console.log(job.jobId);
 * ```
 */
export async function* listMrsJobs(cloud: HuaweiCloud, options: ListMrsJobsOptions): AsyncGenerator<JobQueryBean, void, undefined> {
  const { clusterId, pageSize = 50, signal, ...filters } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalid("pageSize: an integer from 1 to 100");
  const jobs = cloud.client(JobExecutionService);
  const guard = new PagingGuard(`ShowJobExeListNew of cluster ${clusterId}`, (message) =>
    localHuaweiError(Code.Internal, message, { method: `/${JobExecutionService.typeName}/ShowJobExeListNew`, endpoint: cloud.endpoint }),
  );
  for (let offset = 0; ; ) {
    const page = await jobs.showJobExeListNew({ ...filters, clusterId, limit: pageSize, offset }, { ...(signal ? { signal } : {}) });
    // Offsets move on by themselves, so the loop a server can drive here is
    // one that ignores the offset and answers the same page (with a large
    // total_record) again and again: a page of the very same job ids.
    if (page.jobList.length > 0) guard.nextPage(page.jobList.map((job) => job.jobId).join(","), "page of job ids");
    for (const job of page.jobList) yield job;
    offset += page.jobList.length;
    if (page.jobList.length === 0 || offset >= (page.totalRecord ?? 0)) return;
  }
}

/** Bad input to a helper: nothing was sent. */
function invalid(message: string): HuaweiCloudError {
  return localHuaweiError(Code.InvalidArgument, message, { method: "submitMrsJob", attempts: 0 });
}

// Read when first needed, not at import: descriptors hydrate on first use.
const showMethod = (): string => `/${JobExecutionService.typeName}/ShowSingleJobExe`;

import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { localHuaweiError } from "../errors/huawei-cloud-error.js";
import type { HuaweiCloudError } from "../errors/huawei-cloud-error.js";
import { JobExecutionService } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { JobQueryBean, ShowJobExeListNewRequest } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { JobHandle, JobWaitOptions } from "../../core/job-model.js";
import { waitForJobEnd } from "../../core/job-wait.js";
import { PagingGuard } from "../../core/paging-guard.js";
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
 * How {@link MrsJobHandle.wait} polls: the cloud-neutral
 * {@link JobWaitOptions} — the shared {@link PollOptions} plus `onStatus`
 * and `cancelOnAbort` — with these defaults on Huawei MRS, plus `onPoll`:
 *
 * | option           | default on Huawei                       |
 * | ---------------- | --------------------------------------- |
 * | `initialDelayMs` | 2 s                                     |
 * | `maxDelayMs`     | 2 s (a fixed 2 s poll unless you raise it) |
 * | `policy`         | `"fixed-cap"`                           |
 * | `timeoutMs`      | none                                    |
 * | `cancelOnAbort`  | `false`                                 |
 * | clock, sleep     | the cloud's (`createHuaweiCloud({ clock, sleep })`) |
 *
 * `onStatus` sees the job when its `job_state`/`job_result` pair changes.
 *
 * @example
 * ```ts
 * // back off from 2 s to 10 s, then let the cap grow on a long job
 * await job.wait({ maxDelayMs: 10_000, policy: "growing-cap" });
 * ```
 */
export interface WaitOptions extends JobWaitOptions<JobQueryBean> {
  /** Called with every polled state, e.g. to show progress (`onStatus` only on changes). */
  readonly onPoll?: (job: JobQueryBean) => void;
}

/** A handle's `ref` on Huawei: plain JSON that {@link mrsJobHandle} takes back. */
export interface MrsJobRef {
  readonly cloud: "huawei";
  readonly clusterId: string;
  readonly jobId: string;
}

/**
 * The options of `get` and `cancel`. A bare `AbortSignal` is still taken,
 * as before the handles shared one shape.
 */
export type MrsCallOptions = { signal?: AbortSignal } | AbortSignal;

/** A submitted (or looked-up) v2 job: a cloud-neutral {@link JobHandle} of `JobQueryBean`. */
export interface MrsJobHandle extends JobHandle<JobQueryBean> {
  /** The job execution id (same as `jobId`). */
  readonly id: string;
  readonly ref: MrsJobRef;
  readonly jobId: string;
  readonly clusterId: string;
  /** The job now (`ShowSingleJobExe`). */
  get(options?: MrsCallOptions): Promise<JobQueryBean>;
  /**
   * Polls until FINISHED, FAILED or KILLED and returns that state (it does
   * not throw for FAILED; check `jobPhase`). Rejects on abort or timeout
   * (killing the job first with `cancelOnAbort`), close or a failed read.
   */
  wait(options?: WaitOptions): Promise<JobQueryBean>;
  /** Asks MRS to kill the job (`StopJob`, 202); `wait()` then ends with KILLED. */
  cancel(options?: MrsCallOptions): Promise<void>;
}

/**
 * Submits a job through v2 `CreateExecuteJob` and returns a handle. The
 * request is checked first (job type, name pattern, cluster id, that
 * `arguments` is a list of strings and `properties` an object of strings),
 * so a bad one fails with INVALID_ARGUMENT naming the field before any
 * network call. Never retried: MRS has no idempotency token, and a repeated
 * submit could start the job twice.
 *
 * @example
 * ```ts
 * const job = await submitMrsJob(cloud, { clusterId, jobType: "SparkSubmit", jobName: "pi", arguments: ["--class", "Pi", "obs://b/pi.jar"] });
 * const done = await job.wait();
 * done.jobResult; // "SUCCEEDED"
 * ```
 */
export async function submitMrsJob(cloud: HuaweiCloud, init: SubmitMrsJobInit): Promise<MrsJobHandle> {
  const request = checkedSubmit(init);
  const response = await cloud.client(JobExecutionService).createExecuteJob(request, { ...(init.signal ? { signal: init.signal } : {}) });
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

/** The checked request of {@link submitMrsJob}: every field's type before anything is copied. */
function checkedSubmit(init: SubmitMrsJobInit) {
  if (init === null || typeof init !== "object") throw invalid("submitMrsJob: expected { clusterId, jobType, jobName, … }");
  if (typeof init.clusterId !== "string" || init.clusterId === "") throw invalid("clusterId: required");
  if (!jobTypes.has(init.jobType)) throw invalid(`jobType: must be one of ${[...jobTypes].join(", ")}`);
  if (typeof init.jobName !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(init.jobName)) {
    throw invalid("jobName: 1 to 64 letters, digits, '-' or '_'");
  }
  const args: unknown = init.arguments;
  if (args !== undefined && !Array.isArray(args)) throw invalid(`arguments: expected a list of strings, got ${describe(args)}`);
  (args as unknown[] | undefined)?.forEach((arg, i) => {
    if (typeof arg !== "string") throw invalid(`arguments[${i}]: expected a string, got ${describe(arg)}`);
  });
  const properties: unknown = init.properties;
  if (properties !== undefined && (properties === null || typeof properties !== "object" || Array.isArray(properties))) {
    throw invalid(`properties: expected an object of strings, got ${describe(properties)}`);
  }
  for (const [key, value] of Object.entries((properties ?? {}) as object)) {
    if (typeof value !== "string") throw invalid(`properties[${JSON.stringify(key)}]: expected a string, got ${describe(value)}`);
  }
  if (init.signal !== undefined && !(init.signal instanceof AbortSignal)) throw invalid("signal: expected an AbortSignal");
  return {
    clusterId: init.clusterId,
    jobType: init.jobType,
    jobName: init.jobName,
    arguments: [...((args as string[] | undefined) ?? [])],
    properties: { ...((properties as Record<string, string> | undefined) ?? {}) },
  };
}

/** A short description of a bad value, for messages. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "string" ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : typeof value;
}

/** Huawei job waits poll every 2 s. @internal */
export const huaweiJobWaitDefaults = { initialDelayMs: 2_000, maxDelayMs: 2_000 } as const;

/**
 * A handle on an existing v2 job (e.g. one found by {@link listMrsJobs}, or
 * a `ref` saved before a restart): `mrsJobHandle(cloud, { clusterId, jobId })`
 * or the ids in place. Bad ids fail with INVALID_ARGUMENT naming the field,
 * before any call.
 *
 * @example
 * ```ts
 * const job = mrsJobHandle(cloud, JSON.parse(savedRef));
 * await job.wait({ cancelOnAbort: true, signal });
 * ```
 */
export function mrsJobHandle(cloud: HuaweiCloud, ref: { readonly clusterId: string; readonly jobId: string; readonly cloud?: string }): MrsJobHandle;
export function mrsJobHandle(cloud: HuaweiCloud, clusterId: string, jobId: string): MrsJobHandle;
export function mrsJobHandle(
  cloud: HuaweiCloud,
  refOrClusterId: string | { readonly clusterId: string; readonly jobId: string; readonly cloud?: string },
  positionalJobId?: string,
): MrsJobHandle {
  const ref: { readonly clusterId: unknown; readonly jobId: unknown; readonly cloud?: unknown } =
    typeof refOrClusterId === "string" ? { clusterId: refOrClusterId, jobId: positionalJobId } : refOrClusterId;
  const refuse = (text: string) => localHuaweiError(Code.InvalidArgument, `mrsJobHandle: ${text}`, { method: "mrsJobHandle", attempts: 0 });
  if (ref === null || typeof ref !== "object") throw refuse("ref: expected { clusterId, jobId }");
  for (const field of ["clusterId", "jobId"] as const) {
    const value = ref[field];
    if (typeof value !== "string" || value === "") throw refuse(`${field}: expected a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
  }
  if (ref.cloud !== undefined && ref.cloud !== "huawei") throw refuse(`cloud: this ref is of ${JSON.stringify(ref.cloud)}, not "huawei"`);
  const clusterId = ref.clusterId as string;
  const jobId = ref.jobId as string;
  const jobs = cloud.client(JobExecutionService);
  const get = async (options?: MrsCallOptions): Promise<JobQueryBean> => {
    const signal = signalOf(options);
    const { jobDetail } = await jobs.showSingleJobExe({ clusterId, jobExecutionId: jobId }, { ...(signal ? { signal } : {}) });
    if (!jobDetail) throw localHuaweiError(Code.Internal, `job ${jobId}: the response has no job_detail`, { method: showMethod(), endpoint: cloud.endpoint });
    return jobDetail;
  };
  const cancel = async (options?: MrsCallOptions): Promise<void> => {
    const signal = signalOf(options);
    await jobs.stopJob({ clusterId, jobExecutionId: jobId }, { ...(signal ? { signal } : {}) });
  };
  return {
    id: jobId,
    ref: { cloud: "huawei", clusterId, jobId },
    jobId,
    clusterId,
    get,
    cancel,
    wait: (options = {}) =>
      waitForJobEnd<JobQueryBean>(cloud, options, {
        defaults: huaweiJobWaitDefaults,
        method: showMethod(),
        failures: (last) => ({
          timeout: (ms, polls) =>
            localHuaweiError(Code.DeadlineExceeded, `job ${jobId} still ${last()?.jobState ?? "unknown"} after ${ms} ms (${polls} polls)`, {
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
        }),
        read: async (signal) => {
          const job = await get(signal ? { signal } : {});
          options.onPoll?.(job);
          return job;
        },
        status: (job) => `${job.jobState ?? ""}/${job.jobResult ?? ""}`,
        isFinal: (job) => isTerminalMrsState(job.jobState),
        cancel: (signal) => cancel({ signal }),
      }),
  };
}

/** The signal of `get`/`cancel` options (or the bare signal older code passes). */
function signalOf(options: MrsCallOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  return options instanceof AbortSignal ? options : options.signal;
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
  if (typeof clusterId !== "string" || clusterId === "") throw invalid("clusterId: required", "listMrsJobs");
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw invalid("pageSize: an integer from 1 to 100", "listMrsJobs");
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
function invalid(message: string, method = "submitMrsJob"): HuaweiCloudError {
  return localHuaweiError(Code.InvalidArgument, message, { method, attempts: 0 });
}

// Read when first needed, not at import: descriptors hydrate on first use.
const showMethod = (): string => `/${JobExecutionService.typeName}/ShowSingleJobExe`;

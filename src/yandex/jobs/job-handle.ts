import { Code } from "@connectrpc/connect";
import type { JobHandle } from "../../core/job-model.js";
import type { YandexCloud } from "../cloud.js";
import { localError } from "../errors.js";
import type { JobOf, JobRef, JobServiceDesc } from "./job-services.js";
import { jobLogs } from "./job-logs.js";
import type { JobLogsOptions } from "./job-logs.js";
import { waitForJob } from "./wait-for-job.js";
import type { WaitForJobOptions } from "./wait-for-job.js";

/**
 * A handle's `ref` on Yandex: plain JSON that {@link jobHandle} takes back,
 * e.g. after a restart. `service` is the job service's type name, so a ref
 * of a Managed Spark job is not read through Data Proc by mistake.
 */
export interface YandexJobRef extends JobRef {
  readonly cloud: "yandex";
  readonly service: string;
}

/**
 * A Yandex job (Data Proc or Managed Spark) as the cloud-neutral
 * {@link JobHandle}, plus Yandex's own `clusterId`, `jobId` and `logs()`.
 * No `links()`: the console's job page needs the folder id, which the job
 * does not carry.
 */
export interface YandexJobHandle<S extends JobServiceDesc> extends JobRef, JobHandle<JobOf<S>> {
  /** The job id (same as `jobId`). */
  readonly id: string;
  readonly ref: YandexJobRef;
  /**
   * Polls `Get` until the job is terminal and resolves with it whatever its
   * status (DONE, ERROR or CANCELLED: check with `isSucceeded` or
   * `jobPhase`); rejects only when the wait itself ends (abort, timeout,
   * close, a failed read). See {@link waitForJob}.
   */
  wait(options?: WaitForJobOptions<JobOf<S>>): Promise<JobOf<S>>;
  /** The job's output (see {@link jobLogs}); `{ follow: true }` tails it. */
  logs(options?: JobLogsOptions): AsyncGenerator<string, void, undefined>;
  /** Reads the job once. */
  get(options?: { signal?: AbortSignal }): Promise<JobOf<S>>;
  /** `JobService.Cancel`; `wait()` then ends with CANCELLED. */
  cancel(options?: { signal?: AbortSignal }): Promise<void>;
}

/**
 * A handle on a job this process did not submit (found by `listJobs`, or a
 * `ref` saved before a restart). Checks the ids first: bad ones fail with
 * INVALID_ARGUMENT naming the field, before any call.
 *
 * @example
 * ```ts
 * const job = jobHandle(cloud, JobService, { clusterId, jobId });
 * await job.wait({ timeoutMs: 3_600_000 });
 * // later, in another process:
 * const again = jobHandle(cloud, JobService, JSON.parse(savedRef));
 * ```
 */
export function jobHandle<S extends JobServiceDesc>(cloud: YandexCloud, service: S, ref: JobRef | YandexJobRef): YandexJobHandle<S> {
  const method = "jobHandle";
  const refuse = (text: string) => localError(Code.InvalidArgument, `jobHandle: ${text}`, { method, attempts: 0 });
  if (ref === null || typeof ref !== "object") throw refuse("ref: expected { clusterId, jobId }");
  for (const field of ["clusterId", "jobId"] as const) {
    if (typeof ref[field] !== "string" || ref[field] === "") throw refuse(`${field}: expected a non-empty string, got ${JSON.stringify(ref[field]) ?? String(ref[field])}`);
  }
  const { cloud: refCloud, service: refService } = ref as Partial<YandexJobRef>;
  if (refCloud !== undefined && refCloud !== "yandex") throw refuse(`cloud: this ref is of ${JSON.stringify(refCloud)}, not "yandex"`);
  if (refService !== undefined && refService !== service.typeName) {
    throw refuse(`service: this ref is of ${JSON.stringify(refService)}, not ${service.typeName}`);
  }
  const where: JobRef = { clusterId: ref.clusterId, jobId: ref.jobId };
  const jobs = cloud.client(service as JobServiceDesc);
  return {
    ...where,
    id: where.jobId,
    ref: { cloud: "yandex", service: service.typeName, ...where },
    wait: (waitOptions) => waitForJob(cloud, service, where, waitOptions),
    logs: (logOptions) => jobLogs(cloud, service, where, logOptions),
    get: async (getOptions) => (await jobs.get(where, getOptions)) as JobOf<S>,
    cancel: async (cancelOptions) => {
      await jobs.cancel(where, cancelOptions);
    },
  };
}

import type { Job_Status as DataprocJobStatus } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { Job_Status as SparkServiceJobStatus } from "../../gen/yandex/cloud/spark/v1/job_pb.js";

/**
 * A job status of either service. The two `Job_Status` enums are distinct
 * TypeScript enums with the same names and numbers, so the helpers below
 * accept both and decide by number.
 */
export type JobStatus = DataprocJobStatus | SparkServiceJobStatus;

/** A status, or anything carrying one (a `Job` of either service). */
export type JobStatusLike = JobStatus | { readonly status: JobStatus };

/** Name of a status value, e.g. `"RUNNING"`. */
export type JobStatusName = keyof typeof DataprocJobStatus;

// Numbers are the proto's; a test checks them against both generated enums.
// Kept local so that these helpers load no descriptors.
const names = [
  "STATUS_UNSPECIFIED",
  "PROVISIONING",
  "PENDING",
  "RUNNING",
  "ERROR",
  "DONE",
  "CANCELLED",
  "CANCELLING",
] as const satisfies readonly JobStatusName[];

const ERROR = 4;
const DONE = 5;
const CANCELLED = 6;
const active: ReadonlySet<number> = new Set([1, 2, 3, 7]); // PROVISIONING, PENDING, RUNNING, CANCELLING

function valueOf(s: JobStatusLike): number {
  return typeof s === "number" ? s : s.status;
}

/**
 * Whether the job has finished for good: DONE, ERROR or CANCELLED. Stop
 * polling (and following logs) here.
 *
 * @example
 * ```ts
 * while (!isTerminal(job)) {
 *   await sleep(5_000);
 *   job = await jobs.get({ clusterId, jobId });
 * }
 * ```
 */
export function isTerminal(s: JobStatusLike): boolean {
  const v = valueOf(s);
  return v === DONE || v === ERROR || v === CANCELLED;
}

/** Whether the job finished successfully (DONE). */
export function isSucceeded(s: JobStatusLike): boolean {
  return valueOf(s) === DONE;
}

/** Whether the job finished with a failure (ERROR). */
export function isFailed(s: JobStatusLike): boolean {
  return valueOf(s) === ERROR;
}

/** Whether the job was stopped on request (CANCELLED; not CANCELLING, which is still active). */
export function isCancelled(s: JobStatusLike): boolean {
  return valueOf(s) === CANCELLED;
}

/**
 * Whether the job is on its way: PROVISIONING, PENDING, RUNNING or
 * CANCELLING. Not simply "status is RUNNING" (compare with
 * `Job_Status.RUNNING` for that). STATUS_UNSPECIFIED and values unknown to
 * this package are neither active nor terminal.
 */
export function isActive(s: JobStatusLike): boolean {
  return active.has(valueOf(s));
}

/**
 * The proto name of a status, for logs and messages. A number this package
 * does not know (a newer server) comes back as its decimal string rather than
 * `undefined`, so it still prints.
 *
 * @example
 * ```ts
 * statusName(job); // "RUNNING"
 * statusName(Job_Status.DONE); // "DONE"
 * ```
 */
export function statusName(s: JobStatusLike): JobStatusName | `${number}` {
  const v = valueOf(s);
  return names[v] ?? `${v}`;
}

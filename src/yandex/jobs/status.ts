import type { Job_Status as DataprocJobStatus } from "../../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { Job_Status as SparkServiceJobStatus } from "../../../gen/yandex/cloud/spark/v1/job_pb.js";
import type { JobPhase } from "../../core/job-model.js";

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

/**
 * The one job-status table of the package: each status of
 * `dataproc.v1.Job.Status` / `spark.v1.Job.Status` (same names and numbers in
 * both; a test checks them against both generated enums) with its phase
 * (`phase`: how the helpers here treat it; `jobPhase`: the cloud-neutral
 * {@link JobPhase} that `jobPhase()` reports, through `./phase.ts`).
 * The helpers below and the emulator read it; nothing else lists statuses.
 * Kept free of descriptors so that loading it loads no protos.
 *
 * @internal
 */
export const jobStatusTable = {
  STATUS_UNSPECIFIED: { value: 0, phase: "unknown", jobPhase: "unknown" },
  PROVISIONING: { value: 1, phase: "active", jobPhase: "pending" },
  PENDING: { value: 2, phase: "active", jobPhase: "pending" },
  RUNNING: { value: 3, phase: "active", jobPhase: "running" },
  ERROR: { value: 4, phase: "terminal", jobPhase: "failed" },
  DONE: { value: 5, phase: "terminal", jobPhase: "succeeded" },
  CANCELLED: { value: 6, phase: "terminal", jobPhase: "cancelled" },
  CANCELLING: { value: 7, phase: "active", jobPhase: "cancelling" },
} as const satisfies Record<JobStatusName, { value: number; phase: "unknown" | "active" | "terminal"; jobPhase: JobPhase }>;

const entries = Object.entries(jobStatusTable) as [JobStatusName, (typeof jobStatusTable)[JobStatusName]][];
const nameOf: ReadonlyMap<number, JobStatusName> = new Map(entries.map(([name, s]) => [s.value, name]));
const phases: ReadonlyMap<number, string> = new Map(entries.map(([, s]) => [s.value, s.phase]));
const { ERROR, DONE, CANCELLED } = { ERROR: 4, DONE: 5, CANCELLED: 6 } as const satisfies {
  [K in "ERROR" | "DONE" | "CANCELLED"]: (typeof jobStatusTable)[K]["value"];
};

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
  return phases.get(valueOf(s)) === "terminal";
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
  return phases.get(valueOf(s)) === "active";
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
  return nameOf.get(v) ?? `${v}`;
}

/**
 * Job specs, kinds and statuses for both job services: builders that make
 * invalid specs fail to compile, a kind for exhaustive `switch`es, and status
 * predicates.
 *
 * @example
 * ```ts
 * const request = create(CreateJobRequestSchema, {
 *   clusterId,
 *   jobSpec: dataprocJobs.hive({ queries: ["SELECT 1"] }),
 * });
 * if (isTerminal(job) && !isSucceeded(job)) throw new Error(statusName(job));
 * ```
 *
 * @module
 */
export { dataprocJobs } from "./dataproc-specs.js";
export type {
  DataprocHiveSpec,
  DataprocJobCase,
  DataprocJobSpec,
  DataprocMapreduceSpec,
  DataprocPysparkSpec,
  DataprocSparkSpec,
} from "./dataproc-specs.js";
export { managedSparkJobs } from "./managed-spark-specs.js";
export type {
  ManagedSparkConnectSpec,
  ManagedSparkJobCase,
  ManagedSparkJobSpec,
  ManagedSparkPysparkSpec,
  ManagedSparkSparkSpec,
} from "./managed-spark-specs.js";
export type { ExactlyOne } from "./spec-types.js";
export { jobKind, narrowJob } from "./kind.js";
export type {
  AnyJob,
  DataprocJobKind,
  DataprocNarrowedJob,
  JobKind,
  ManagedSparkJobKind,
  ManagedSparkNarrowedJob,
} from "./kind.js";
export { isActive, isCancelled, isFailed, isSucceeded, isTerminal, statusName } from "./status.js";
export type { JobStatus, JobStatusLike, JobStatusName } from "./status.js";
export type { CreateJobMetadataOf, JobOf, JobRef, JobServiceDesc } from "./job-services.js";
export { waitForJob } from "./wait-for-job.js";
export type { WaitForJobOptions } from "./wait-for-job.js";
export { listJobs } from "./list-jobs.js";
export type { ListJobsOptions } from "./list-jobs.js";
export { jobLogs, jobLogStream } from "./job-logs.js";
export type { JobLogsOptions } from "./job-logs.js";
export { submitJob } from "./submit-job.js";
export { jobHandle } from "./job-handle.js";
export type { YandexJobHandle, YandexJobRef } from "./job-handle.js";
export type { CreateJobRequestOf, SubmittedJob } from "./submit-job.js";

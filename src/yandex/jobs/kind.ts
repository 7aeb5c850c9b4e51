import type { Job as DataprocJob } from "../../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { CreateJobRequest as DataprocCreateJobRequest } from "../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import type { Job as SparkServiceJob } from "../../../gen/yandex/cloud/spark/v1/job_pb.js";
import type { CreateJobRequest as SparkServiceCreateJobRequest } from "../../../gen/yandex/cloud/spark/v1/job_service_pb.js";

/** Anything with a `jobSpec` oneof whose cases are named `<kind>Job`. */
type JobSpecOneof = { case: string; value: unknown } | { case: undefined; value?: undefined };

/**
 * `{ kind, spec }` for each member of a `jobSpec` oneof: `sparkJob` → `spark`,
 * `sparkConnectJob` → `sparkConnect`, …; no case set → `unknown`.
 */
type NarrowedSpec<S extends JobSpecOneof> = S extends { case: `${infer K}Job`; value: infer V }
  ? { readonly kind: K; readonly spec: V }
  : { readonly kind: "unknown"; readonly spec: undefined };

/** A Data Proc `Job` or `CreateJobRequest`, narrowed by {@link narrowJob}. */
export type DataprocNarrowedJob = NarrowedSpec<DataprocJob["jobSpec"]>;

/** A Managed Spark `Job` or `CreateJobRequest`, narrowed by {@link narrowJob}. */
export type ManagedSparkNarrowedJob = NarrowedSpec<SparkServiceJob["jobSpec"]>;

/**
 * Kinds of a Data Proc job: `"spark" | "pyspark" | "hive" | "mapreduce" | "unknown"`.
 * Derived from the generated oneof, so it follows the proto on regeneration.
 */
export type DataprocJobKind = DataprocNarrowedJob["kind"];

/** Kinds of a Managed Spark job: `"spark" | "pyspark" | "sparkConnect" | "unknown"`. */
export type ManagedSparkJobKind = ManagedSparkNarrowedJob["kind"];

/** Kinds of a job of either service. The shared kinds (`spark`, `pyspark`) have the same name. */
export type JobKind = DataprocJobKind | ManagedSparkJobKind;

/** A job (or create request) of either service. */
export type AnyJob = DataprocJob | DataprocCreateJobRequest | SparkServiceJob | SparkServiceCreateJobRequest;

/**
 * The kind of a job as a short literal, for an exhaustive `switch`.
 *
 * Why not `job.jobSpec.case`: the kinds read the same for both services
 * (`"spark"` is `"spark"` whether the job came from Data Proc or Managed
 * Spark, so one `switch` serves code that handles both), and a job without a
 * spec is an explicit `"unknown"` that the `switch` must handle. That happens
 * when the server sends a kind newer than this package (the field lands in
 * `$unknown`), so treat it as "cannot display", not as an error.
 *
 * @example
 * ```ts
 * switch (jobKind(job)) {
 *   case "spark": case "pyspark": return "Spark";
 *   case "hive": return "Hive";
 *   case "mapreduce": return "MapReduce";
 *   case "unknown": return "?";
 * }
 * ```
 */
export function jobKind(job: DataprocJob | DataprocCreateJobRequest): DataprocJobKind;
export function jobKind(job: SparkServiceJob | SparkServiceCreateJobRequest): ManagedSparkJobKind;
export function jobKind(job: AnyJob): JobKind;
export function jobKind(job: AnyJob): JobKind {
  return narrowJob(job).kind;
}

/**
 * The kind of a job together with its spec, as a union discriminated by
 * `kind`: switching on `kind` narrows `spec` to that kind's message (which
 * switching on `jobKind(job)` cannot do).
 *
 * @example
 * ```ts
 * const j = narrowJob(job); // a dataproc.v1.Job
 * if (j.kind === "hive") console.log(j.spec.continueOnFailure);
 * ```
 */
export function narrowJob(job: DataprocJob | DataprocCreateJobRequest): DataprocNarrowedJob;
export function narrowJob(job: SparkServiceJob | SparkServiceCreateJobRequest): ManagedSparkNarrowedJob;
export function narrowJob(job: AnyJob): DataprocNarrowedJob | ManagedSparkNarrowedJob;
export function narrowJob(job: AnyJob): DataprocNarrowedJob | ManagedSparkNarrowedJob {
  const { case: specCase, value } = job.jobSpec;
  if (specCase === undefined) return { kind: "unknown", spec: undefined };
  // Every generated case is `<kind>Job`; the overloads state the result type.
  return { kind: specCase.slice(0, -"Job".length), spec: value } as DataprocNarrowedJob | ManagedSparkNarrowedJob;
}

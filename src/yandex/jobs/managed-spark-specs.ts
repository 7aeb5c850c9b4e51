import {
  PysparkJobSchema,
  SparkConnectJobSchema,
  SparkJobSchema,
} from "../../../gen/yandex/cloud/spark/v1/job_pb.js";
import type { PysparkJob, SparkConnectJob, SparkJob } from "../../../gen/yandex/cloud/spark/v1/job_pb.js";
import type { CreateJobRequest } from "../../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import { buildMessage } from "./build.js";
import type { OneofCase, Simplify, SpecInput } from "./spec-types.js";

/** Cases of Managed Spark's `CreateJobRequest.job_spec` (and `Job.job_spec`). */
export type ManagedSparkJobCase = NonNullable<CreateJobRequest["jobSpec"]["case"]>;

/**
 * A set Managed Spark `jobSpec` oneof: what the builders return and what
 * `CreateJobRequest.jobSpec` accepts. Its messages are `yandex.cloud.spark.v1`
 * types, so it does not type-check in a Data Proc request (nor the reverse).
 */
export type ManagedSparkJobSpec<C extends ManagedSparkJobCase = ManagedSparkJobCase> = OneofCase<
  CreateJobRequest["jobSpec"],
  C
>;

/** Input of {@link managedSparkJobs}.spark: `mainJarFileUri` is required (proto `(required)`). */
export type ManagedSparkSparkSpec = Simplify<SpecInput<SparkJob, "mainJarFileUri">>;

/** Input of {@link managedSparkJobs}.pyspark: `mainPythonFileUri` is required (proto `(required)`). */
export type ManagedSparkPysparkSpec = Simplify<SpecInput<PysparkJob, "mainPythonFileUri">>;

/** Input of {@link managedSparkJobs}.sparkConnect: every field is optional. */
export type ManagedSparkConnectSpec = Simplify<SpecInput<SparkConnectJob>>;

/**
 * A Spark (Java/Scala) job for Managed Spark's `CreateJobRequest.jobSpec`.
 *
 * @example
 * ```ts
 * managedSparkJobs.spark({ mainJarFileUri: "s3a://b/app.jar", mainClass: "com.example.App" });
 * ```
 */
function spark(spec: ManagedSparkSparkSpec): ManagedSparkJobSpec<"sparkJob"> {
  return { case: "sparkJob", value: buildMessage(SparkJobSchema, spec, "managedSparkJobs.spark") };
}

/**
 * A PySpark job for Managed Spark's `CreateJobRequest.jobSpec`.
 *
 * @example
 * ```ts
 * managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", args: ["--day", "2024-01-01"] });
 * ```
 */
function pyspark(spec: ManagedSparkPysparkSpec): ManagedSparkJobSpec<"pysparkJob"> {
  return { case: "pysparkJob", value: buildMessage(PysparkJobSchema, spec, "managedSparkJobs.pyspark") };
}

/**
 * A Spark Connect server job; the argument may be omitted.
 *
 * @example
 * ```ts
 * managedSparkJobs.sparkConnect({ packages: ["org.apache.spark:spark-avro_2.12:3.5.1"] });
 * ```
 */
function sparkConnect(spec: ManagedSparkConnectSpec = {}): ManagedSparkJobSpec<"sparkConnectJob"> {
  return {
    case: "sparkConnectJob",
    value: buildMessage(SparkConnectJobSchema, spec, "managedSparkJobs.sparkConnect"),
  };
}

/**
 * Builders for Managed Spark job specs (`yandex.cloud.spark.v1`). Each returns
 * the `{ case, value }` for `CreateJobRequest.jobSpec`, with the message made
 * by `create()`; required fields are required at the type level. Values are
 * not checked here: the client validates requests against the proto
 * constraints before sending. Lists and maps are copied, unknown keys are a
 * `TypeError`, as for `dataprocJobs`.
 *
 * @example
 * ```ts
 * const request = create(CreateJobRequestSchema, {
 *   clusterId: "c9q…",
 *   jobSpec: managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py" }),
 * });
 * ```
 */
export const managedSparkJobs = { spark, pyspark, sparkConnect } as const;

import {
  HiveJobSchema,
  MapreduceJobSchema,
  PysparkJobSchema,
  SparkJobSchema,
} from "../../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { HiveJob, MapreduceJob, PysparkJob, SparkJob } from "../../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { CreateJobRequest } from "../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { buildMessage } from "./build.js";
import type { FlatOneof } from "./build.js";
import type { ExactlyOne, OneofCase, Simplify, SpecInput } from "./spec-types.js";

/** Cases of Data Proc's `CreateJobRequest.job_spec` (and `Job.job_spec`). */
export type DataprocJobCase = NonNullable<CreateJobRequest["jobSpec"]["case"]>;

/**
 * A set Data Proc `jobSpec` oneof: what the builders return and what
 * `CreateJobRequest.jobSpec` accepts. `DataprocJobSpec<"hiveJob">` is one case.
 */
export type DataprocJobSpec<C extends DataprocJobCase = DataprocJobCase> = OneofCase<CreateJobRequest["jobSpec"], C>;

/** Input of {@link dataprocJobs}.spark: `mainJarFileUri` is required (proto `(required)`). */
export type DataprocSparkSpec = Simplify<SpecInput<SparkJob, "mainJarFileUri">>;

/** Input of {@link dataprocJobs}.pyspark: `mainPythonFileUri` is required (proto `(required)`). */
export type DataprocPysparkSpec = Simplify<SpecInput<PysparkJob, "mainPythonFileUri">>;

/**
 * Input of {@link dataprocJobs}.mapreduce: the `driver` oneof becomes exactly
 * one of `mainJarFileUri` (a jar whose manifest names the driver) or
 * `mainClass` (a class already on the classpath).
 */
export type DataprocMapreduceSpec = Simplify<
  SpecInput<MapreduceJob, never, "driver"> & ExactlyOne<{ mainJarFileUri: string; mainClass: string }>
>;

/**
 * Input of {@link dataprocJobs}.hive: the `query_type` oneof becomes exactly
 * one of `queryFileUri` (a script) or `queries` (the statements inline; the
 * builder wraps them in the `QueryList` message the proto needs because a
 * oneof cannot hold a repeated field).
 */
export type DataprocHiveSpec = Simplify<
  SpecInput<HiveJob, never, "queryType"> & ExactlyOne<{ queryFileUri: string; queries: readonly string[] }>
>;

const mapreduceDriver: FlatOneof = {
  oneof: "driver",
  alternatives: [
    { key: "mainJarFileUri", member: "mainJarFileUri" },
    { key: "mainClass", member: "mainClass" },
  ],
};

const hiveQueryType: FlatOneof = {
  oneof: "queryType",
  alternatives: [
    { key: "queryFileUri", member: "queryFileUri" },
    // Copied like every other list: `create` would keep the caller's array.
    { key: "queries", member: "queryList", wrap: (q) => ({ queries: Array.isArray(q) ? [...(q as unknown[])] : q }) },
  ],
};

/**
 * A Spark (Java/Scala) job for Data Proc's `CreateJobRequest.jobSpec`.
 *
 * @example
 * ```ts
 * create(CreateJobRequestSchema, {
 *   clusterId,
 *   jobSpec: dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", args: ["x"] }),
 * });
 * ```
 */
function spark(spec: DataprocSparkSpec): DataprocJobSpec<"sparkJob"> {
  return { case: "sparkJob", value: buildMessage(SparkJobSchema, spec, "dataprocJobs.spark") };
}

/**
 * A PySpark job for Data Proc's `CreateJobRequest.jobSpec`.
 *
 * @example
 * ```ts
 * dataprocJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", pythonFileUris: ["s3a://b/lib.zip"] });
 * ```
 */
function pyspark(spec: DataprocPysparkSpec): DataprocJobSpec<"pysparkJob"> {
  return { case: "pysparkJob", value: buildMessage(PysparkJobSchema, spec, "dataprocJobs.pyspark") };
}

/**
 * A Hive job: give `queryFileUri` or `queries`, not both.
 *
 * @example
 * ```ts
 * dataprocJobs.hive({ queries: ["CREATE TABLE t (x INT)", "SELECT count(*) FROM t"] });
 * dataprocJobs.hive({ queryFileUri: "s3a://b/report.sql", scriptVariables: { day: "2024-01-01" } });
 * ```
 *
 * @throws TypeError when (untyped) callers pass both alternatives.
 */
function hive(spec: DataprocHiveSpec): DataprocJobSpec<"hiveJob"> {
  return { case: "hiveJob", value: buildMessage(HiveJobSchema, spec, "dataprocJobs.hive", [hiveQueryType]) };
}

/**
 * A MapReduce job: give `mainJarFileUri` or `mainClass`, not both.
 *
 * @example
 * ```ts
 * dataprocJobs.mapreduce({ mainClass: "org.apache.hadoop.examples.WordCount", args: ["in", "out"] });
 * ```
 *
 * @throws TypeError when (untyped) callers pass both alternatives.
 */
function mapreduce(spec: DataprocMapreduceSpec): DataprocJobSpec<"mapreduceJob"> {
  return {
    case: "mapreduceJob",
    value: buildMessage(MapreduceJobSchema, spec, "dataprocJobs.mapreduce", [mapreduceDriver]),
  };
}

/**
 * Builders for Data Proc job specs (`yandex.cloud.dataproc.v1`). Each returns
 * the `{ case, value }` for `CreateJobRequest.jobSpec`, with the message made
 * by `create()`; required fields are required and nested oneofs are flat,
 * mutually exclusive properties, so an invalid spec does not compile. Values
 * are not checked here: the client validates requests against the proto
 * constraints before sending.
 *
 * Named `dataprocJobs` (not `dataproc`) so it does not collide with a
 * namespace import of `dataproc-connect/dataproc/v1`.
 *
 * @example
 * ```ts
 * const request = create(CreateJobRequestSchema, {
 *   clusterId: "c9q…",
 *   name: "wordcount",
 *   jobSpec: dataprocJobs.mapreduce({ mainClass: "WordCount", args: ["in", "out"] }),
 * });
 * ```
 */
export const dataprocJobs = { spark, pyspark, hive, mapreduce } as const;

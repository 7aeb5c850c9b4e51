/**
 * Yandex Managed Spark jobs API, package `yandex.cloud.spark.v1`: the `Job`
 * resource with its Spark, PySpark and Spark Connect specs, the request and
 * response messages, and the `JobService` descriptor to build a client from.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { CreateJobRequestSchema } from "dataproc-connect/spark/v1";
 *
 * const request = create(CreateJobRequestSchema, {
 *   clusterId: "c9q…",
 *   jobSpec: { case: "pysparkJob", value: { mainPythonFileUri: "s3a://bucket/main.py" } },
 * });
 * ```
 *
 * @module
 */
// Every file of the package (generated): a new service's .proto is exported here by `npm run generate`.
export * from "../../../../gen/yandex/cloud/spark/v1/index.js";

/**
 * Yandex Data Proc jobs API, package `yandex.cloud.dataproc.v1`: the `Job`
 * resource with its Spark, PySpark, Hive and MapReduce specs, the request and
 * response messages, and the `JobService` descriptor to build a client from.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { CreateJobRequestSchema, JobService } from "dataproc-connect/dataproc/v1";
 *
 * const request = create(CreateJobRequestSchema, {
 *   clusterId: "c9q…",
 *   jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://bucket/app.jar" } },
 * });
 * ```
 *
 * @module
 */
// Every file of the package (generated): a new service's .proto is exported here by `npm run generate`.
export * from "../../../../gen/yandex/cloud/dataproc/v1/index.js";

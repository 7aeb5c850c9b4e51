import { createRegistry } from "@bufbuild/protobuf";
import type { DescFile, Registry } from "@bufbuild/protobuf";
import { lazyRegistry } from "../core/lazy-registry.js";
import { file_google_api_annotations } from "../../gen/google/api/annotations_pb.js";
import { file_google_api_http } from "../../gen/google/api/http_pb.js";
import { file_google_rpc_error_details } from "../../gen/google/rpc/error_details_pb.js";
import { file_google_rpc_status } from "../../gen/google/rpc/status_pb.js";
import { file_yandex_cloud_api_operation } from "../../gen/yandex/cloud/api/operation_pb.js";
import { file_yandex_cloud_dataproc_v1_job } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import { file_yandex_cloud_dataproc_v1_job_service } from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { file_yandex_cloud_iam_v1_iam_token_service } from "../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { file_yandex_cloud_operation_operation } from "../../gen/yandex/cloud/operation/operation_pb.js";
import { file_yandex_cloud_operation_operation_service } from "../../gen/yandex/cloud/operation/operation_service_pb.js";
import { file_yandex_cloud_spark_v1_job } from "../../gen/yandex/cloud/spark/v1/job_pb.js";
import { file_yandex_cloud_spark_v1_job_service } from "../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import { file_yandex_cloud_validation } from "../../gen/yandex/cloud/validation_pb.js";

/**
 * Every .proto file this package ships, imports included.
 *
 * `createRegistry(file)` registers only the types of that one file, not of the
 * files it imports, so anything that must resolve a type by name (unpacking an
 * `Operation`'s `Any` fields, JSON of `google.rpc.Status` details) needs the
 * whole list. A new service adds its files here.
 */
export const apiFiles: readonly DescFile[] = [
  file_google_api_http,
  file_google_api_annotations,
  file_google_rpc_status,
  file_google_rpc_error_details,
  file_yandex_cloud_validation,
  file_yandex_cloud_api_operation,
  file_yandex_cloud_operation_operation,
  file_yandex_cloud_operation_operation_service,
  file_yandex_cloud_iam_v1_iam_token_service,
  file_yandex_cloud_dataproc_v1_job,
  file_yandex_cloud_dataproc_v1_job_service,
  file_yandex_cloud_spark_v1_job,
  file_yandex_cloud_spark_v1_job_service,
];

/**
 * A registry of every message, enum, extension and service in {@link apiFiles}.
 * It is built on its first lookup, so creating one (every client does) costs
 * nothing until an error detail or an operation payload is decoded.
 *
 * @example
 * ```ts
 * import { anyUnpack } from "@bufbuild/protobuf/wkt";
 * const job = anyUnpack(operation.response!, createApiRegistry());
 * ```
 */
export function createApiRegistry(): Registry {
  return lazyRegistry(() => createRegistry(...apiFiles));
}

/**
 * Long-running operations, package `yandex.cloud.operation`: the `Operation`
 * every mutating call returns, the `OperationService` to poll or cancel it,
 * `google.rpc.Status`, the type of a failed operation's `error`, and the
 * `google.rpc.RequestInfo` detail that errors carry.
 *
 * @example
 * ```ts
 * import { OperationService } from "dataproc-connect/operation";
 * // const op = await client(OperationService).get({ operationId });
 * ```
 *
 * @module
 */
export * from "../../../gen/yandex/cloud/operation/operation_pb.js";
export * from "../../../gen/yandex/cloud/operation/operation_service_pb.js";
export * from "../../../gen/google/rpc/status_pb.js";
export * from "../../../gen/google/rpc/error_details_pb.js";

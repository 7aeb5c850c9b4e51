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
// Every file of each package (generated).
export * from "../../../gen/yandex/cloud/operation/index.js";
export * from "../../../gen/google/rpc/index.js";

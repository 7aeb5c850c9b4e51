/**
 * Yandex Cloud: `createYandexCloud` (gRPC and REST clients from service
 * descriptors, IAM tokens renewed lazily), credentials, typed operations,
 * the Data Proc and Managed Spark job helpers and the Yandex error type.
 * Services live in their own subpaths (`dataproc-connect/dataproc/v1`,
 * `…/spark/v1`, `…/operation`, `…/iam/v1`). The root `dataproc-connect`
 * exports all of this too, beside what every cloud shares.
 *
 * @example
 * ```ts
 * import { createYandexCloud, fromEnvironment } from "dataproc-connect/yandex";
 * import { JobService } from "dataproc-connect/dataproc/v1";
 *
 * const cloud = createYandexCloud({ credentials: fromEnvironment() });
 * const { jobs } = await cloud.client(JobService).list({ clusterId: "c9q…" });
 * cloud.close();
 * ```
 *
 * @module
 */
export { createYandexCloud } from "./cloud.js";
export type { YandexCloud, YandexCloudOptions } from "./cloud.js";
export type { TransportKind, TransportOverrides } from "./transport.js";
export { defaultKeepAlive } from "../grpc/transport.js";
export type { KeepAlive } from "../grpc/transport.js";
export { YandexCloudError } from "./errors.js";
export type { ErrorContext } from "./errors.js";
export { defaultEndpoint, resolveEndpoint, isLoopback, isAllowedPlaintext } from "./endpoint.js";
export type { EndpointOverrides } from "./endpoint.js";
export { isReadOnly } from "./method-kind.js";
export { defaultRetryPolicy, isRetryable } from "./retry.js";
export type { RetryPolicy } from "./retry.js";
export * from "./credentials/index.js";
export { apiFiles, createApiRegistry } from "./registry.js";
export type { YandexClient } from "./client.js";
export type { OperationTypes } from "./operation-types.js";
export { OperationError } from "./operation/errors.js";
export type { TypedOperation, OperationHelpers } from "./operation/typed-operation.js";
export type { WaitOptions } from "./operation/wait.js";
export * from "./jobs/index.js";
export * from "./clusters/index.js";

/**
 * dataproc-connect: typed Connect clients for the Yandex Data Proc and
 * Managed Spark job APIs.
 *
 * This root holds what every service shares: the client factory, credentials,
 * the error type and validation. Service messages and descriptors live in the
 * per-service entry points (`dataproc-connect/dataproc/v1`, `…/spark/v1`,
 * `…/operation`, `…/iam/v1`).
 *
 * @example
 * ```ts
 * import { createYandexCloud, fromEnvironment } from "dataproc-connect";
 * import { JobService } from "dataproc-connect/dataproc/v1";
 *
 * const cloud = createYandexCloud({ credentials: fromEnvironment() });
 * const { jobs } = await cloud.client(JobService).list({ clusterId: "c9q…" });
 * cloud.close();
 * ```
 *
 * @module
 */
export { createYandexCloud } from "./client/factory.js";
export type { YandexCloud, YandexCloudOptions } from "./client/factory.js";
export { CloudError } from "./core/cloud-error.js";
export type { CloudErrorContext, CloudErrorJson } from "./core/cloud-error.js";
export type { TransportKind, TransportOverrides } from "./client/transport-select.js";
export { YandexCloudError } from "./client/errors.js";
export type { ErrorContext } from "./client/errors.js";
export type { DebugSink } from "./client/interceptors/attempt.js";
export { defaultEndpoint, resolveEndpoint, isLoopback, isAllowedPlaintext } from "./client/endpoint.js";
export type { EndpointOverrides } from "./client/endpoint.js";
export { isReadOnly } from "./client/method-kind.js";
export { defaultRetryPolicy, isRetryable } from "./client/interceptors/retry.js";
export { defaultRetryBudget } from "./core/retry-budget.js";
export type { RetryBudgetSettings } from "./core/retry-budget.js";
export type { RetryPolicy } from "./client/interceptors/retry.js";
export * from "./credentials/index.js";
export { validateMessage, assertValid, ValidationError } from "./validation/index.js";
export type { Violation } from "./validation/index.js";
export { apiFiles, createApiRegistry } from "./registry.js";
export type { YandexClient } from "./client/yandex-client.js";
export { OperationError } from "./operation/errors.js";
export type { TypedOperation, OperationHelpers } from "./operation/typed-operation.js";
export type { WaitOptions } from "./operation/wait.js";
export type { PollOptions, PollPolicy } from "./core/poll.js";
export { version } from "./version.js";
export { realSleep } from "./operation/sleep.js";
export type { Sleep } from "./operation/sleep.js";
export * from "./jobs/index.js";

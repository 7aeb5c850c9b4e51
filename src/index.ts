/**
 * dataproc-connect: typed Connect clients for cloud big-data job APIs.
 *
 * This root holds what every cloud shares (`CloudError`, poll and retry
 * types, the job model — `JobHandle`, `JobWaitOptions`, `jobPhase` —,
 * validation, the version) and, for the programs written before the
 * clouds had entries of their own, everything `dataproc-connect/yandex`
 * exports. Each cloud has its entry (`dataproc-connect/yandex`, `…/aws`,
 * `…/huawei`) and each service its subpath (`dataproc-connect/dataproc/v1`,
 * `…/aws/emr-serverless`, `…/huawei/mrs/v2`).
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
export { CloudError } from "./core/cloud-error.js";
export type { CloudErrorContext, CloudErrorJson } from "./core/cloud-error.js";
export { CloudCredentialsError } from "./core/credentials-error.js";
export type { CredentialsErrorOptions } from "./core/credentials-error.js";
export type { DebugSink } from "./core/attempt.js";
export type { DebugLogger } from "./core/debug.js";
export { defaultRetryBudget } from "./core/retry-budget.js";
export type { RetryBudgetSettings } from "./core/retry-budget.js";
export { validateMessage, assertValid, ValidationError } from "./validation/index.js";
export type { Violation } from "./validation/index.js";
export type { PollOptions, PollPolicy } from "./core/poll.js";
export type { CloudLifecycle, CloudOptions } from "./core/cloud-base.js";
export type { MeterProviderLike, OtelAttributeValue, OtelAttributes, OtelContext, OtelHistogram, OtelSpan, OtelTracer, TracerProviderLike } from "./core/otel-types.js";
export type { JobHandle, JobLink, JobPhase, JobRefBase, JobWaitOptions } from "./core/job-model.js";
export { jobPhase } from "./job-phase.js";
export type { AnyCloudJob } from "./job-phase.js";
export { version } from "./version.js";
export { realSleep } from "./core/sleep.js";
export type { Sleep } from "./core/sleep.js";
export * from "./yandex/index.js";

/**
 * Huawei Cloud MRS job execution objects, API v1.1 (Sahara-compatible,
 * documented as "not recommended"): `JobExecutionService.cancelJobExecution`.
 * Use it with `createHuaweiCloud` from `dataproc-connect/huawei`.
 *
 * @example
 * ```ts
 * const { jobExecution } = await cloud.client(JobExecutionService).cancelJobExecution({ jobExecutionId });
 * zonelessUtc(jobExecution?.updatedAt);
 * ```
 *
 * @module
 */
// Every file of the package (generated).
export * from "../../../../gen/huawei/mrs/v1/index.js";
export { zonelessUtc } from "./times.js";

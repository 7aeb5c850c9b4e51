/**
 * Huawei Cloud: `createHuaweiCloud` (REST/JSON clients signed with
 * SDK-HMAC-SHA256), credentials, the signer and the error type. Services
 * live in `dataproc-connect/huawei/mrs/v1` and `/mrs/v2`. No `node:` module
 * on this path: it runs on Node, Deno, Bun and fetch-only runtimes.
 *
 * @example
 * ```ts
 * import { createHuaweiCloud, huaweiCredentials } from "dataproc-connect/huawei";
 * const cloud = createHuaweiCloud({ region: "cn-north-4", projectId, credentials: huaweiCredentials({ accessKey, secretKey }) });
 * ```
 *
 * @module
 */
export { createHuaweiCloud } from "./cloud.js";
export type { HuaweiCloud, HuaweiCloudOptions } from "./cloud.js";
export type { HuaweiRetryPolicy } from "./retry.js";
export { mrsEndpoint } from "./endpoint.js";
export { defaultRetryBudget } from "../core/retry-budget.js";
export type { RetryBudgetSettings } from "../core/retry-budget.js";
export * from "./credentials/index.js";
export { huaweiSigner } from "./signing/signer.js";
export type { HuaweiSignerOptions } from "./signing/signer.js";
export { SigningLog } from "./signing/signing-log.js";
export { HuaweiCloudError } from "./errors/huawei-cloud-error.js";
export type { HuaweiErrorFields } from "./errors/huawei-cloud-error.js";
export { huaweiErrorDecoder } from "./errors/decoder.js";

/**
 * AWS: `createAwsCloud` (SigV4-signed REST/JSON clients from service
 * descriptors), credentials in the AWS SDK's default order, the SigV4
 * signer and the AWS error type. Services live in subpaths
 * (`dataproc-connect/aws/emr-serverless`).
 *
 * @example
 * ```ts
 * import { createAwsCloud, awsCredentials } from "dataproc-connect/aws";
 * const aws = createAwsCloud({ region: "us-east-1", credentials: awsCredentials({ accessKeyId, secretAccessKey }) });
 * ```
 *
 * @module
 */
export { createAwsCloud } from "./cloud.js";
export type { AwsCloud, AwsCloudOptions } from "./cloud.js";
export * from "./credentials/index.js";
export { AwsError, awsErrorDecoder, classifyAwsError, sanitizeErrorType } from "./errors.js";
export type { AwsErrorJson } from "./errors.js";
export { defaultAwsRetryPolicy } from "./retry.js";
export { defaultRetryBudget } from "../core/retry-budget.js";
export type { RetryBudgetSettings } from "../core/retry-budget.js";
export type { AwsRetryPolicy } from "./retry.js";
export { sigV4Signer } from "./sigv4/signer.js";
export type { SigV4SignerOptions } from "./sigv4/signer.js";
export { signV4 } from "./sigv4/sign.js";
export type { SigningParams, SigningRequest, SigningResult } from "./sigv4/sign.js";
export { restJson1Hook } from "./protocol/rest-json1.js";
export { defaultAwsEndpoint, signingNameOf } from "./endpoint.js";

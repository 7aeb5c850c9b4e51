/**
 * IAM token exchange, package `yandex.cloud.iam.v1`: `IamTokenService.Create`
 * turns an OAuth token or a service-account JWT into a short-lived IAM token.
 *
 * @example
 * ```ts
 * import { IamTokenService } from "dataproc-connect/iam/v1";
 * // const { iamToken, expiresAt } = await client(IamTokenService).create({
 * //   identity: { case: "jwt", value: signedJwt },
 * // });
 * ```
 *
 * @module
 */
// Every file of the package (generated).
export * from "../../../../gen/yandex/cloud/iam/v1/index.js";

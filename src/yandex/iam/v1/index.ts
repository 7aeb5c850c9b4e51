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
export * from "../../../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";

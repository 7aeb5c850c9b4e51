import type { RejectionRule } from "../../core/credential-rejection.js";
import { AwsError } from "../errors.js";
import type { AwsCredentialProvider } from "./types.js";

/** The AWS error types that mean "these credentials are expired or unknown", as the AWS SDK treats them. */
export const expiredCredentialErrors: ReadonlySet<string> = new Set([
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
]);

/**
 * AWS's part of the one reaction to an authentication failure
 * ({@link forgetRejectedCredentials}): credentials the service calls expired
 * are dropped, so the next call resolves fresh ones (rotated container or
 * instance-role keys). Static keys have nothing to forget.
 *
 * @example
 * ```ts
 * interceptors.push(forgetRejectedCredentials(awsRejectionRule(credentials)));
 * ```
 */
export function awsRejectionRule(credentials: AwsCredentialProvider): RejectionRule<unknown> {
  return {
    rejected: (error) => error instanceof AwsError && expiredCredentialErrors.has(error.awsErrorType),
    forget: () => credentials.invalidate?.(),
  };
}

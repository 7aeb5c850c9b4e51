import { CloudCredentialsError } from "../../core/credentials-error.js";

/**
 * Huawei credentials could not be built or fetched: a missing environment
 * variable, an unreachable ECS metadata service, a malformed answer.
 * Messages name the source and the field, never a secret.
 * The Huawei face of {@link CloudCredentialsError}.
 */
export class HuaweiCredentialsError extends CloudCredentialsError {
  override readonly name = "HuaweiCredentialsError";
}

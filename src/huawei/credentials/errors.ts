/**
 * Huawei credentials could not be built or fetched: a missing environment
 * variable, an unreachable ECS metadata service, a malformed answer.
 * Messages name the source and the field, never a secret.
 */
export class HuaweiCredentialsError extends Error {
  override readonly name = "HuaweiCredentialsError";
}

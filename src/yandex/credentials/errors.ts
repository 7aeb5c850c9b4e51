/**
 * A credential could not be built or could not produce a token: a malformed
 * key file, a missing environment variable, an unreachable metadata service.
 * Messages name the field or source and never contain secret material.
 */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

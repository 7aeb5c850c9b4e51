import { CloudCredentialsError } from "../../core/credentials-error.js";

/**
 * A credential could not be built or could not produce a token: a malformed
 * key file, a missing environment variable, an unreachable metadata service.
 * Messages name the field or source and never contain secret material.
 * The Yandex face of {@link CloudCredentialsError}.
 */
export class CredentialsError extends CloudCredentialsError {
  override readonly name = "CredentialsError";
}

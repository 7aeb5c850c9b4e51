import { CloudCredentialsError } from "../../core/credentials-error.js";

/**
 * A credential provider could not give credentials. `tryNext` says whether a
 * chain may go on to its next provider (the source is simply not configured
 * here) or must stop (it is configured but broken: a bad file, a container
 * endpoint that answers garbage). Messages name the source and the variable or
 * file, never a secret. The AWS face of {@link CloudCredentialsError}: here
 * `tryNext` is always said, not defaulted.
 */
export class AwsCredentialsError extends CloudCredentialsError {
  override name = "AwsCredentialsError";

  constructor(message: string, options: { tryNext: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A credential provider could not give credentials. `tryNext` says whether a
 * chain may go on to its next provider (the source is simply not configured
 * here) or must stop (it is configured but broken: a bad file, a container
 * endpoint that answers garbage). Messages name the source and the variable or
 * file, never a secret.
 */
export class AwsCredentialsError extends Error {
  override name = "AwsCredentialsError";
  readonly tryNext: boolean;

  constructor(message: string, options: { tryNext: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.tryNext = options.tryNext;
  }
}

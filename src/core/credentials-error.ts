/** What a {@link CloudCredentialsError} is built with besides its message. */
export interface CredentialsErrorOptions {
  /**
   * The source is simply not configured here (a variable unset, no such
   * profile, nobody at the metadata address): a chain may go on to its next
   * source. Default false: the source is configured but broken, and a chain
   * stops with this error.
   */
  readonly tryNext?: boolean;
  readonly cause?: unknown;
}

/**
 * A credential source could not give credentials, on any cloud: a malformed
 * key file, a missing environment variable, an unreachable or lying metadata
 * service. Each cloud's public class (`CredentialsError`,
 * `AwsCredentialsError`, `HuaweiCredentialsError`) extends it, so code that
 * serves several clouds can catch one type. `tryNext` tells a chain of
 * sources whether to try the next one ({@link firstAvailable}). Messages name
 * the source and the field or variable, never a secret.
 *
 * @example
 * ```ts
 * throw new CredentialsError("oauthToken: the token is empty");
 * if (error instanceof CloudCredentialsError && error.tryNext) continue; // next source
 * ```
 */
export class CloudCredentialsError extends Error {
  override name = "CloudCredentialsError";
  /** A chain may go on to its next source (this one is not configured here). */
  readonly tryNext: boolean;

  constructor(message?: string, options: CredentialsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.tryNext = options.tryNext ?? false;
  }
}

import { redacted } from "../../core/redact.js";

/**
 * One set of AWS credentials, as a provider resolved it.
 *
 * Never logged: providers hand out {@link redactedIdentity} objects, whose
 * secret and token are invisible to `util.inspect` and `JSON.stringify`.
 */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (STS, SSO, container, instance role). */
  readonly sessionToken?: string;
  /** When they stop working, in ms since the epoch; absent = never. */
  readonly expiresAt?: number;
}

/** What a provider may use while resolving. */
export interface AwsCredentialContext {
  /** Ends this caller's wait (a call's deadline or abort). */
  readonly signal?: AbortSignal;
  /**
   * Aborts when the client asking is closed: a lookup every asking client
   * has closed is stopped (a metadata endpoint that does not answer).
   */
  readonly closeSignal?: AbortSignal;
}

/**
 * A source of AWS credentials: static keys, the environment, shared files,
 * the ECS/EKS container endpoint, EC2 instance metadata, or a chain of them.
 * `resolve` is called lazily (on the first signed call) and may be called on
 * every call: the built-in providers cache their result until 5 minutes
 * before it expires, with one lookup in flight at a time.
 *
 * @example
 * ```ts
 * const cloud = createAwsCloud({ region: "eu-west-1", credentials: awsCredentials({ accessKeyId, secretAccessKey }) });
 * ```
 */
export interface AwsCredentialProvider {
  /** Short, non-secret description for messages, e.g. `"environment"`. */
  readonly kind: string;
  resolve(context?: AwsCredentialContext): Promise<AwsCredentialIdentity>;
  /**
   * The service said the credentials are expired or unknown
   * (`ExpiredTokenException`, …): forget the cached ones so the next
   * `resolve` looks them up again. Optional; static keys have nothing to do.
   */
  invalidate?(): void;
}

/**
 * A frozen identity whose secret and session token are kept in closures, so
 * `util.inspect`, `console.log`, `JSON.stringify` and `String` show only the
 * key id (which AWS treats as non-secret) and the expiry (the shared
 * {@link redacted}).
 */
export function redactedIdentity(identity: AwsCredentialIdentity): AwsCredentialIdentity {
  const { accessKeyId, secretAccessKey, sessionToken, expiresAt } = identity;
  const out = Object.create(null, {
    accessKeyId: { value: accessKeyId, enumerable: true },
    secretAccessKey: { get: () => secretAccessKey, enumerable: false },
    sessionToken: { get: () => sessionToken, enumerable: false },
    expiresAt: { value: expiresAt, enumerable: expiresAt !== undefined },
  }) as AwsCredentialIdentity;
  const summary = {
    accessKeyId,
    secretAccessKey: "[redacted]",
    ...(sessionToken !== undefined ? { sessionToken: "[redacted]" } : {}),
    ...(expiresAt !== undefined ? { expiresAt: Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : String(expiresAt) } : {}),
  };
  return Object.freeze(redacted(out, summary, { label: "AwsCredentials", text: `AwsCredentials(${accessKeyId})` }));
}

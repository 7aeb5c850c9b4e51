/**
 * One broken constraint.
 *
 * @example
 * ```ts
 * {
 *   path: "spark_job.args[3]",
 *   rule: "length <=10000",
 *   message: "spark_job.args[3]: length 10001 exceeds <=10000",
 * }
 * ```
 */
export interface Violation {
  /**
   * Where: proto field names joined by dots, with `[i]` for repeated elements
   * and `["key"]` for map entries (`[#i]` when the key is too long to show).
   * For `exactly_one` it is the oneof's name.
   */
  readonly path: string;
  /** The constraint as declared: `required`, `length <=50`, `map_key.pattern …`. */
  readonly rule: string;
  /**
   * `path: what is wrong`, one line. Never contains the offending value,
   * which may be a credential; lengths, counts and bounds only.
   */
  readonly message: string;
}

/**
 * Thrown by `assertValid` when a message breaks one or more constraints.
 * Its message lists every violation on one line, so a log entry or a failed
 * call shows all problems at once instead of one per attempt.
 *
 * @example
 * ```ts
 * try {
 *   assertValid(CreateJobRequestSchema, request);
 * } catch (e) {
 *   if (e instanceof ValidationError) console.error(e.violations.map((v) => v.path));
 *   // e.message: "invalid yandex.cloud.dataproc.v1.CreateJobRequest: cluster_id: is required; …"
 * }
 * ```
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  /** Every violation found, in field order. */
  readonly violations: readonly Violation[];
  /** Fully qualified name of the invalid message type. */
  readonly typeName: string;

  constructor(typeName: string, violations: readonly Violation[]) {
    super(`invalid ${typeName}: ${violations.map((v) => v.message).join("; ")}`);
    this.typeName = typeName;
    this.violations = Object.freeze([...violations]);
  }
}

import { Code } from "@connectrpc/connect";

/** One resource a name lookup saw: its id and name. */
export interface NamedCandidate {
  readonly id: string;
  readonly name: string;
}

/**
 * The one rule of every `find…ByName` helper, written once: exactly one
 * resource of that name is the answer; none is NOT_FOUND; more than one is
 * FAILED_PRECONDITION naming every candidate's id.
 *
 * Why FAILED_PRECONDITION and not INVALID_ARGUMENT: the name given is a
 * perfectly good name — what stops the lookup is the state of the account
 * (two resources share it, which EMR Serverless and MRS allow), and that
 * only changes when someone renames or deletes one. gRPC's guide says
 * exactly this for FAILED_PRECONDITION ("the system is not in a state
 * required for the operation"), and a caller that retries on
 * INVALID_ARGUMENT-never / FAILED_PRECONDITION-after-fix reads it right.
 *
 * `fail` builds the cloud's own error (its `CloudError` subclass), so the
 * caller catches the same type as for any call of that cloud.
 *
 * @example
 * ```ts
 * const app = pickByName(found, "etl", { what: "EMR Serverless application", where: "in eu-west-1", fail: (code, text) => localAwsError(code, text, { method }) });
 * ```
 * @internal
 */
export function pickByName<T extends NamedCandidate>(
  found: readonly T[],
  name: string,
  how: { readonly what: string; readonly where: string; readonly fail: (code: Code, message: string) => Error },
): T {
  const matching = found.filter((c) => c.name === name);
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw how.fail(Code.NotFound, `no ${how.what} named ${JSON.stringify(name)} ${how.where}`);
  const shown = matching.slice(0, 20).map((c) => c.id);
  const more = matching.length > shown.length ? ` and ${matching.length - shown.length} more` : "";
  throw how.fail(
    Code.FailedPrecondition,
    `${matching.length} ${how.what}s are named ${JSON.stringify(name)} ${how.where} (ids ${shown.join(", ")}${more}); pass the id of the one you mean`,
  );
}

/**
 * Refuses a name that cannot be looked up (not a string, or empty) before
 * any call, naming the field.
 *
 * @internal
 */
export function nameArgument(name: unknown, field: string, fail: (message: string) => Error): string {
  if (typeof name !== "string" || name === "") {
    throw fail(`${field}: expected a non-empty string, got ${JSON.stringify(name) ?? typeof name}`);
  }
  return name;
}

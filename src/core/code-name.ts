import { Code } from "@connectrpc/connect";

/**
 * gRPC status code names as the gRPC spec and the cloud docs spell them
 * (`NOT_FOUND`, `CANCELLED`), indexed by code number. Connect's own `Code`
 * enum spells them in camel case (`NotFound`, `Canceled`); logs, JSON and
 * support tickets use these.
 */
const names = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** A gRPC status code name such as `"NOT_FOUND"`. */
export type CodeName = (typeof names)[number];

/**
 * The spec name of a code; a number outside the table comes back as `CODE_<n>`.
 *
 * @example
 * ```ts
 * codeName(Code.NotFound); // "NOT_FOUND"
 * ```
 */
export function codeName(code: Code | number): CodeName | `CODE_${number}` {
  return names[code] ?? `CODE_${code}`;
}

/**
 * The code of a spec name, the inverse of {@link codeName}.
 *
 * @example
 * ```ts
 * codeFromName("NOT_FOUND"); // Code.NotFound
 * ```
 */
export function codeFromName(name: CodeName): Code {
  return names.indexOf(name) as Code;
}

// A compile-time check that the table follows Connect's numbering.
const _check: [typeof Code.Canceled, typeof Code.Unauthenticated] = [1, 16];
void _check;

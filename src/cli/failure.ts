/**
 * What the CLI prints when a command fails, in both forms:
 *
 * - human: one line on stderr, `error: <message>`;
 * - `--json`: one line on stderr, a JSON object, so that stdout carries
 *   results only and a script can still parse why it failed:
 *
 * ```json
 * {"error":{"code":"NOT_FOUND","exitCode":1,"message":"[not_found] job c9q… not found (method …, request-id …)",
 *   "method":"/yandex.cloud.dataproc.v1.JobService/Get","requestId":"…","serverTraceId":"…"}}
 * ```
 *
 * `code` is the gRPC status name (`NOT_FOUND`, `INVALID_ARGUMENT`, …), or
 * `USAGE` for a bad command line and `INTERRUPTED` for Ctrl-C / SIGTERM.
 * `violations` lists what the client's validation refused (nothing was sent).
 * Nothing here loads the client library.
 *
 * @module
 */
import { ExitCode } from "./exit.js";

export interface Failure {
  readonly exitCode: number;
  /** `USAGE`, `INTERRUPTED`, or a gRPC status name. */
  readonly code: string;
  /** One line, without the `error: ` prefix. */
  readonly message: string;
  /** More fields of the JSON object: ids, violations, the job left running. */
  readonly extra: Readonly<Record<string, unknown>>;
}

export function failure(exitCode: number, code: string, message: string, extra: Record<string, unknown> = {}): Failure {
  return { exitCode, code, message: oneLine(message), extra };
}

/** A usage error: exit 2, code `USAGE`. */
export function usageFailure(message: string): Failure {
  return failure(ExitCode.usage, "USAGE", message);
}

/** The text to write on stderr for `f`, human or JSON, ending in a newline. */
export function formatFailure(f: Failure, json: boolean): string {
  if (!json) return `${f.code === "INTERRUPTED" ? "" : "error: "}${f.message}\n`;
  return `${JSON.stringify({ error: { code: f.code, exitCode: f.exitCode, message: f.message, ...f.extra } })}\n`;
}

/** `NotFound` (Connect's `Code` names) → `NOT_FOUND` (the gRPC status name). */
export function codeName(code: number): string {
  const names = [
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
  ];
  return names[code] ?? "UNKNOWN";
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * An error that already knows what the CLI prints (e.g. a `--cluster-name`
 * that names no cluster, with the flag in its message): `runCli` prints
 * its {@link Failure} as is.
 */
export class CliFailure extends Error {
  override readonly name = "CliFailure";
  readonly failure: Failure;
  constructor(f: Failure) {
    super(f.message);
    this.failure = f;
  }
}

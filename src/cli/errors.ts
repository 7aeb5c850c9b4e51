/**
 * Turns an error into the one line the CLI prints and its exit code.
 *
 * - Usage and input errors exit 2: a {@link UsageError}, a request the
 *   client's validation refused (nothing was sent), any INVALID_ARGUMENT
 *   answer (the input was wrong, e.g. a bad `--filter`), and credentials that
 *   cannot be built or found (`CredentialsError`: a bad key file, nothing in
 *   the environment).
 * - Everything else exits 1: remote errors print
 *   `error: [not_found] … (method …, request-id …, server-trace-id …)` — the
 *   library's message, which carries the ids support asks for and never a
 *   credential.
 *
 * No stack traces: the message is always one line.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { CredentialsError, YandexCloudError } from "../index.js";
import { ExitCode, UsageError } from "./exit.js";

export function describeError(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError) return { code: ExitCode.usage, message: `error: ${oneLine(error.message)}` };
  const credentials = findCredentialsError(error);
  if (credentials !== undefined) {
    return { code: ExitCode.usage, message: `error: credentials: ${oneLine(credentials.message)}` };
  }
  if (error instanceof YandexCloudError && error.code === Code.InvalidArgument) {
    const reason =
      error.violations.length > 0
        ? `invalid request (not sent): ${error.violations.map((v) => v.message).join("; ")}`
        : error.message;
    return { code: ExitCode.usage, message: `error: ${oneLine(reason)}` };
  }
  if (error instanceof ConnectError) return { code: ExitCode.failed, message: `error: ${oneLine(error.message)}` };
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return { code: ExitCode.failed, message: `error: ${oneLine(text)}` };
}

/** A CredentialsError itself, or the one a call failed with (the client wraps it). */
function findCredentialsError(error: unknown): CredentialsError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof CredentialsError) return e;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

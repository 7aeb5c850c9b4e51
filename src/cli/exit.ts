/**
 * The exit-code policy of the `dataproc-connect` command, in one place so
 * that scripts can rely on it:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (for `submit --wait`/`--follow`: the job ended DONE; for `cancel --wait`: it ended CANCELLED) |
 * | 1 | the job ended otherwise (ERROR, CANCELLED, or DONE for `cancel --wait`), or a remote or unexpected error |
 * | 2 | usage or input error: nothing was sent |
 * | 130 / 143 | interrupted by SIGINT / SIGTERM (the job keeps running) |
 *
 * @module
 */

export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
  terminated: 143,
} as const;

/**
 * A usage or input error: a bad flag, a missing value, an invalid
 * combination, a request the client-side validation rejected. The message is
 * one line; the command exits with {@link ExitCode.usage}.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The exit code for a run stopped by `signal`. The CLI's own entry point
 * aborts with the signal name as the reason, so SIGTERM can be told apart.
 */
export function interruptedExitCode(signal: AbortSignal): number {
  return signal.reason === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted;
}

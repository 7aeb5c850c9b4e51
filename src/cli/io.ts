/**
 * What the CLI reads from and writes to. The real process passes
 * `process.stdout`, `process.stderr`, `process.env` and a signal aborted on
 * SIGINT/SIGTERM; tests pass in-memory streams, so every command also runs
 * in-process.
 *
 * @module
 */

/** A text sink: `process.stdout` and `process.stderr` fit as they are. */
export interface CliStream {
  /** Writes `text` as is (no newline added). `false` means: wait for `drain`. */
  write(text: string): boolean;
  /** True when a terminal is attached: only then is a progress line drawn. */
  readonly isTTY?: boolean;
  /** Width of that terminal; the progress line is cut to fit it. */
  readonly columns?: number;
  /** For back-pressure on large logs; streams without it are never waited on. */
  once?(event: "drain", listener: () => void): unknown;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /**
   * Aborted on SIGINT/SIGTERM (the reason is the signal name): waits and
   * log follows stop, and long-running commands shut down and return.
   */
  readonly signal: AbortSignal;
  /** Where credentials come from (`YC_IAM_TOKEN`, …). Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

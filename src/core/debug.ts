import type { DebugSink } from "./attempt.js";
import type { SecretScrubber } from "./secret-scrubber.js";

/**
 * A structured logger for the `debug` option: pino's (and bunyan's, and
 * most loggers') `debug(fields, message)`. Each attempt is one call with the
 * fields of the debug line, never a secret.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * createAwsCloud({ debug: pino({ level: "debug" }) });
 * // {"level":20,"method":"/aws.emr_serverless.v1.EmrServerlessService/GetJobRun","attempt":1,"outcome":"OK",…,"msg":"dataproc-connect attempt"}
 * ```
 */
export interface DebugLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

/** One attempt, as the debug output receives it. @internal */
export interface AttemptRecord {
  /** `/package.Service/Method`. */
  readonly method: string;
  readonly endpoint: string;
  readonly attempt: number;
  /** `OK` or the status code name. */
  readonly outcome: string;
  readonly durationMs: number;
  /** Request and response ids (`x-client-request-id`, `x-request-id`, …) that were set. */
  readonly ids: Readonly<Record<string, string>>;
}

/** Where the attempt interceptor reports each attempt. @internal */
export type AttemptDebug = (record: AttemptRecord) => void;

/**
 * The text line of an attempt (what a {@link DebugSink} receives):
 *
 *     dataproc-connect: /example.v1.JobService/Get https://… attempt 1 NOT_FOUND 3.1ms x-client-request-id=… x-request-id=…
 *
 * @internal
 */
export function debugLine(record: AttemptRecord): string {
  const ids = Object.entries(record.ids).map(([k, v]) => `${k}=${v}`);
  return `dataproc-connect: ${record.method} ${record.endpoint} attempt ${record.attempt} ${record.outcome} ${record.durationMs.toFixed(1)}ms ${ids.join(" ")}`.trimEnd();
}

/**
 * The `debug` option of every cloud: a function receives the lines, an
 * object with `debug(fields, message)` receives structured records, `true`
 * prints lines to stderr, and without the option `DATAPROC_CONNECT_DEBUG=1`
 * (or `true`, `yes`) switches it on. Everything is scrubbed of the secrets
 * the cloud sent. Anything else is a TypeError naming the rule.
 *
 * @example
 * ```ts
 * debugOutput(undefined, { DATAPROC_CONNECT_DEBUG: "1" }, scrubber); // lines to stderr
 * ```
 * @internal
 */
export function debugOutput(option: unknown, env: Readonly<Record<string, string | undefined>>, scrubber: SecretScrubber): AttemptDebug | undefined {
  if (typeof option === "function") {
    const sink = option as DebugSink;
    return (record) => sink(scrubber.text(debugLine(record)));
  }
  if (option !== null && typeof option === "object") {
    const logger = option as Partial<DebugLogger>;
    if (typeof logger.debug !== "function") throw new TypeError("debug: expected true/false, a function (line) => void, or a logger with debug(fields, message)");
    return (record) => {
      const fields: Record<string, unknown> = { method: record.method, endpoint: scrubber.text(record.endpoint), attempt: record.attempt, outcome: record.outcome, durationMs: Math.round(record.durationMs * 10) / 10 };
      for (const [k, v] of Object.entries(record.ids)) fields[k] = scrubber.text(v);
      logger.debug!.call(logger, fields, "dataproc-connect attempt");
    };
  }
  if (option !== undefined && typeof option !== "boolean") throw new TypeError(`debug: expected true/false, a function (line) => void, or a logger with debug(fields, message), got ${typeof option}`);
  const on = option ?? ["1", "true", "yes"].includes((env.DATAPROC_CONNECT_DEBUG ?? "").trim().toLowerCase());
  return on ? (record) => console.error(scrubber.text(debugLine(record))) : undefined;
}

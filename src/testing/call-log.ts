import type { StatusName } from "./errors.js";

/** How a logged call ended. `RESET` means the emulator reset the stream or connection. */
export type CallOutcome = "ok" | StatusName | `CODE_${number}` | "RESET";

/**
 * One call as the emulator saw it. Secrets never appear here: the
 * `authorization` header keeps only its scheme, and request bodies (which may
 * hold OAuth tokens or JWTs) are not recorded at all.
 */
export interface CallLogEntry {
  /** Full gRPC path, e.g. `/yandex.cloud.dataproc.v1.JobService/Create`. */
  readonly method: string;
  /** When the call arrived, in emulator-clock milliseconds. */
  readonly time: number;
  /** Request headers, lower-case names, with credentials redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `idempotency-key` header, when sent. */
  readonly idempotencyKey?: string;
  /** The `x-request-id` the emulator answered with. */
  readonly requestId: string;
  /** `ok`, the gRPC status name of the error, or `RESET`. */
  readonly outcome: CallOutcome;
  /** The injected fault, if any (e.g. `UNAVAILABLE`, `reset-stream`, `latency 50ms`). */
  readonly fault?: string;
}

const redactedHeaders = new Set(["authorization", "cookie", "x-api-key"]);

/**
 * Copies request headers for the call log, replacing credentials.
 *
 * @example
 * ```ts
 * redactHeaders(new Headers({ authorization: "Bearer t1.secret" }));
 * // { authorization: "Bearer [REDACTED]" }
 * ```
 */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (redactedHeaders.has(name)) {
      const scheme = /^\s*(\S+)\s+\S/.exec(value)?.[1];
      out[name] = scheme === undefined ? "[REDACTED]" : `${scheme} [REDACTED]`;
    } else {
      out[name] = value;
    }
  });
  return out;
}

/**
 * Whether a gRPC method path matches a filter: the full path, or a suffix
 * that starts at a `/` or `.` boundary. `"JobService/Create"` matches both
 * job services' Create; `"Create"` also matches `IamTokenService/Create`.
 *
 * @example
 * ```ts
 * matchesMethod("/yandex.cloud.spark.v1.JobService/Get", "JobService/Get"); // true
 * matchesMethod("/yandex.cloud.spark.v1.JobService/Get", "ervice/Get");     // false
 * ```
 */
export function matchesMethod(path: string, filter: string): boolean {
  if (path === filter) return true;
  if (!path.endsWith(filter)) return false;
  const before = path.charAt(path.length - filter.length - 1);
  return before === "/" || before === "." || filter.startsWith("/");
}

/**
 * The emulator's record of calls, oldest first, bounded so a long-running
 * emulator does not grow without limit (the oldest entries are dropped).
 */
export class CallLog {
  readonly #entries: CallLogEntry[] = [];
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  /** Every recorded call, oldest first (a snapshot). */
  get entries(): readonly CallLogEntry[] {
    return this.#entries.slice();
  }

  record(entry: CallLogEntry): void {
    this.#entries.push(Object.freeze(entry));
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /** Calls whose method matches `filter` (see {@link matchesMethod}). */
  to(filter: string): CallLogEntry[] {
    return this.#entries.filter((e) => matchesMethod(e.method, filter));
  }
}

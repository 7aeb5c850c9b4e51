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
 * A position in the call log, from {@link CallLog.mark}: the calls recorded
 * after it are the ones a test caused, whatever other tests did before.
 */
export interface CallLogMark {
  /** Sequence number of the next call to be recorded. */
  readonly seq: number;
}

/** What {@link CallLog.waitFor} waits for. */
export interface CallWaitOptions {
  /** Only calls recorded after this mark count (default: every call kept). */
  readonly since?: CallLogMark;
  /** Only calls with this outcome count. */
  readonly outcome?: CallOutcome;
  /** Stops waiting; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

interface Waiter {
  readonly check: () => boolean;
}

/**
 * The emulator's record of calls, oldest first, bounded so a long-running
 * emulator does not grow without limit (the oldest entries are dropped).
 *
 * Tests wait on it instead of sleeping: {@link CallLog.waitFor} resolves when
 * the calls have been recorded, {@link CallLog.whenIdle} when no call the
 * server received is still unrecorded, and {@link CallLog.mark} gives each
 * test its own view of a log other tests write to.
 *
 * @example
 * ```ts
 * const mark = emulator.mark();
 * await emulator.waitForCalls("IamTokenService/Create", 1, { since: mark }); // the background refresh ran
 * emulator.callsSince(mark, "JobService/List"); // only this test's Lists
 * ```
 */
export class CallLog {
  readonly #entries: CallLogEntry[] = [];
  readonly #limit: number;
  /** Sequence number of `#entries[0]`. */
  #first = 0;
  #inFlight = 0;
  readonly #waiters = new Set<Waiter>();

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  /** Every recorded call, oldest first (a snapshot). */
  get entries(): readonly CallLogEntry[] {
    return this.#entries.slice();
  }

  /** Calls the server has received but not yet recorded (still being handled). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Counts a call the server has just received; {@link depart} ends it. */
  arrive(): void {
    this.#inFlight++;
  }

  /** The server is done with a call {@link arrive} counted: answered, recorded and its stream closed. */
  depart(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    this.#wake();
  }

  /** Records a finished call. */
  record(entry: CallLogEntry): void {
    this.#entries.push(Object.freeze(entry));
    if (this.#entries.length > this.#limit) {
      const drop = this.#entries.length - this.#limit;
      this.#entries.splice(0, drop);
      this.#first += drop;
    }
    this.#wake();
  }

  /** Empties the call log. Prefer {@link mark}: clearing races with concurrent tests. */
  clear(): void {
    this.#first += this.#entries.length;
    this.#entries.length = 0;
  }

  /** The current end of the log, to read or wait for only later calls. */
  mark(): CallLogMark {
    return Object.freeze({ seq: this.#first + this.#entries.length });
  }

  /** Calls recorded after `mark`, optionally only those matching `filter`. */
  since(mark: CallLogMark, filter?: string): CallLogEntry[] {
    const from = Math.max(0, mark.seq - this.#first);
    const entries = this.#entries.slice(from);
    return filter === undefined ? entries : entries.filter((e) => matchesMethod(e.method, filter));
  }

  /** Calls whose method matches `filter` (see {@link matchesMethod}). */
  to(filter: string): CallLogEntry[] {
    return this.#entries.filter((e) => matchesMethod(e.method, filter));
  }

  /**
   * Resolves with the matching calls once at least `count` calls to
   * `filter` (see {@link matchesMethod}; `""` for any method) have been
   * recorded. No polling and no timeout of its own: the test's timeout
   * bounds it.
   */
  waitFor(filter: string, count: number, options: CallWaitOptions = {}): Promise<CallLogEntry[]> {
    const matching = (): CallLogEntry[] =>
      (options.since === undefined ? this.#entries : this.since(options.since)).filter(
        (e) => (filter === "" || matchesMethod(e.method, filter)) && (options.outcome === undefined || e.outcome === options.outcome),
      );
    return this.#until(() => {
      const found = matching();
      return found.length >= count ? found : undefined;
    }, options.signal);
  }

  /**
   * Resolves once no call is in flight: every call the server has received
   * has been answered (or failed) and recorded. Resolves at once when idle.
   */
  whenIdle(signal?: AbortSignal): Promise<void> {
    return this.#until(() => (this.#inFlight === 0 ? true : undefined), signal).then(() => undefined);
  }

  #until<T>(probe: () => T | undefined, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const now = probe();
      if (now !== undefined) return resolve(now);
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) return false;
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
          return true;
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) if (waiter.check()) this.#waiters.delete(waiter);
  }
}

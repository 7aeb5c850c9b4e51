import type { Clock } from "./clock.js";
import type { Sleep } from "./sleep.js";

/**
 * How a helper polls: the one vocabulary shared by `operation.wait()`,
 * `waitForJob()` / `submitJob().wait()` and `jobLogs({ follow: true })`.
 */
export interface PollOptions {
  /**
   * Ends the wait at once: the poll or pause in progress is cancelled and
   * the helper rejects with its cloud's error (a `CloudError`) whose code is CANCELED
   * (DEADLINE_EXCEEDED when the reason is a `TimeoutError`, as from
   * `AbortSignal.timeout()`; the reason's own code when it is a
   * `ConnectError`) and whose `cause` is the abort reason. The operation or
   * job itself goes on on the server: cancel it to stop it.
   */
  readonly signal?: AbortSignal;
  /**
   * Give up after this long, measured on the client's clock: the helper
   * rejects with its cloud's error, DEADLINE_EXCEEDED. No limit by default.
   */
  readonly timeoutMs?: number;
  /** First delay between polls. */
  readonly initialDelayMs?: number;
  /**
   * Longest delay between polls (unless the server asks for more). With the
   * `"growing-cap"` {@link PollPolicy} this is where the cap starts.
   */
  readonly maxDelayMs?: number;
  /**
   * How the cap on the delay behaves over a long wait: `"fixed-cap"` (the
   * default) or `"growing-cap"` for jobs that run for many minutes. See
   * {@link PollPolicy}.
   *
   * @example
   * ```ts
   * // an hour-long job: 85 polls instead of 366
   * await operation.wait({ policy: "growing-cap" });
   * ```
   */
  readonly policy?: PollPolicy;
}

/**
 * How the delay between polls is capped.
 *
 * Delays start at `initialDelayMs` and grow ×1.5 per poll; the policy says
 * how far they may grow.
 *
 * - `"fixed-cap"` (default): up to `maxDelayMs` and no further. Right for
 *   jobs of seconds to a few minutes: a 120 s operation costs 18 polls and
 *   is seen at most 10 s (`maxDelayMs`) after it ends. An hour costs 366
 *   polls, most of them pointless.
 * - `"growing-cap"`: the cap is a tenth of the time waited so far, never
 *   below `maxDelayMs` and never above 60 s (or `maxDelayMs`, if larger):
 *   `cap = min(max(maxDelayMs, elapsed / 10), max(60 s, maxDelayMs))`.
 *   Until `elapsed` reaches 10 × `maxDelayMs` (100 s for `operation.wait()`,
 *   300 s for AWS job runs) it is exactly `"fixed-cap"`, so short jobs poll
 *   the same; after that each delay is about 10 % of the wait so far, i.e.
 *   the job is seen at most ~10 % later than it ended (≤ 60 s). For
 *   `operation.wait()` an hour then costs 85 polls instead of 366 (AWS job
 *   runs: 75 instead of 128), with a mean detection delay of about 30 s.
 *
 * Why 1/10 and 60 s: the issue asked for ~360 polls an hour down to ~80.
 * Any schedule whose gaps never exceed a ceiling C needs at least 3600 s / C
 * polls an hour, so a 30 s ceiling cannot go below 120; 60 s is the
 * smallest round ceiling that reaches ~80, and a relative bound of 10 %
 * keeps the delay small next to what the job itself took (a 10 minute job is
 * seen within a minute). Server hints (`x-operation-poll-interval`) are a
 * floor under either policy. Progress seen by the helper (new log text)
 * starts the elapsed time over.
 */
export type PollPolicy = "fixed-cap" | "growing-cap";

/** `"growing-cap"`: the cap is this fraction of the time waited so far… */
export const growingCapFraction = 0.1;
/** …up to this ceiling (or the helper's `maxDelayMs`, if larger). */
export const growingCapCeilingMs = 60_000;

/** Defaults of one helper; delays grow by `factor` from initial to max. */
export interface PollDefaults {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor?: number;
}

/** The errors a poller raises, made by the helper that owns it (it knows method and endpoint). */
export interface PollFailures {
  /** The time budget ran out after `polls` polls. */
  timeout(timeoutMs: number, polls: number): Error;
  /** The signal (or the client's close) aborted a pause. */
  aborted(reason: unknown, polls: number): Error;
}

/**
 * The one polling primitive: a backoff with a deadline on an injected clock.
 * Helpers call {@link Poller.pause} between polls; it waits the current
 * delay (at least a server's hint, never past the deadline), grows the
 * delay ×1.5 up to the cap of the {@link PollPolicy}, and throws the helper's timeout error once
 * the deadline has passed. {@link Poller.reset} goes back to the first
 * delay (progress was seen).
 *
 * @example
 * ```ts
 * const poller = new Poller(cloud, options, { initialDelayMs: 500, maxDelayMs: 5_000 }, failures);
 * while (!done(await get())) await poller.pause();
 * ```
 * @internal
 */
export class Poller {
  /** Pauses taken so far (= polls after the first). */
  pauses = 0;
  readonly #env: { readonly clock: Clock; readonly sleep: Sleep };
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #deadline: number;
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #failures: PollFailures;
  readonly #growing: boolean;
  #delay: number;
  #since: number;

  constructor(
    env: { readonly clock: Clock; readonly sleep: Sleep },
    options: PollOptions,
    defaults: PollDefaults,
    failures: PollFailures,
  ) {
    for (const field of ["timeoutMs", "initialDelayMs", "maxDelayMs"] as const) pollNumber(field, options[field]);
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new TypeError(`signal: expected an AbortSignal, got ${typeof options.signal}`);
    }
    this.#env = env;
    this.#signal = options.signal;
    this.#timeoutMs = options.timeoutMs;
    this.#deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : env.clock.now() + options.timeoutMs;
    this.#max = options.maxDelayMs ?? defaults.maxDelayMs;
    this.#initial = Math.min(options.initialDelayMs ?? defaults.initialDelayMs, this.#max);
    this.#factor = defaults.factor ?? 1.5;
    this.#failures = failures;
    this.#growing = pollPolicy(options.policy) === "growing-cap";
    this.#delay = this.#initial;
    this.#since = env.clock.now();
  }

  /** The cap on the next delay, `elapsedMs` into the wait (see {@link PollPolicy}). */
  capAt(elapsedMs: number): number {
    if (!this.#growing) return this.#max;
    return Math.min(Math.max(this.#max, elapsedMs * growingCapFraction), Math.max(growingCapCeilingMs, this.#max));
  }

  /** The signal to pass to each poll. */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** Throws the abort error when the signal has fired. */
  checkAborted(): void {
    if (this.#signal?.aborted) throw this.#failures.aborted(this.#signal.reason, this.pauses);
  }

  /**
   * Waits before the next poll. `floorMs` is a server's hint (the shortest
   * delay it allows). Throws the timeout error when the deadline has passed.
   */
  async pause(floorMs = 0): Promise<void> {
    const remaining = this.#deadline - this.#env.clock.now();
    if (remaining <= 0) throw this.#failures.timeout(this.#timeoutMs ?? 0, this.pauses + 1);
    const delay = Math.min(Math.max(this.#delay, floorMs), remaining);
    try {
      await this.#env.sleep(delay, this.#signal);
    } catch (error) {
      throw this.#failures.aborted(this.#signal?.aborted ? this.#signal.reason : error, this.pauses + 1);
    }
    this.pauses++;
    // A server's hint is a floor: never poll faster than it asks, but keep
    // backing off towards the cap, so a long wait costs few polls.
    const cap = this.capAt(this.#env.clock.now() - this.#since);
    this.#delay = Math.max(floorMs, Math.min(this.#delay * this.#factor, cap));
  }

  /** Progress was seen: the next pause is the first delay again (and a growing cap starts over). */
  reset(): void {
    this.#delay = this.#initial;
    this.#since = this.#env.clock.now();
  }
}

/**
 * Checks a `policy` option (plain JavaScript can pass anything): `undefined`
 * is the default, anything but the two names is a TypeError naming it.
 *
 * @internal
 */
export function pollPolicy(policy: unknown): PollPolicy {
  if (policy === undefined || policy === "fixed-cap") return "fixed-cap";
  if (policy === "growing-cap") return policy;
  throw new TypeError(`policy: expected "fixed-cap" or "growing-cap", got ${JSON.stringify(policy) ?? String(policy)}`);
}

/**
 * Checks a delay or time budget of {@link PollOptions} (plain JavaScript can
 * pass a string or a negative number, which would poll in a tight loop or
 * never time out): `undefined` or a finite number ≥ 0 (`timeoutMs` may
 * also be `Infinity`), else a TypeError naming the field.
 *
 * @internal
 */
export function pollNumber(field: string, value: unknown): void {
  if (value === undefined) return;
  const ok = typeof value === "number" && value >= 0 && (Number.isFinite(value) || (field === "timeoutMs" && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    throw new TypeError(`${field}: expected a number of milliseconds ≥ 0, got ${JSON.stringify(value) ?? String(value)}`);
  }
}

import type { Clock } from "../credentials/types.js";
import type { Sleep } from "../operation/sleep.js";

/**
 * How a helper polls: the one vocabulary shared by `operation.wait()`,
 * `waitForJob()` / `submitJob().wait()` and `jobLogs({ follow: true })`.
 */
export interface PollOptions {
  /**
   * Ends the wait at once: the poll or pause in progress is cancelled and
   * the helper rejects with a `YandexCloudError` whose code is CANCELED
   * (DEADLINE_EXCEEDED when the reason is a `TimeoutError`, as from
   * `AbortSignal.timeout()`; the reason's own code when it is a
   * `ConnectError`) and whose `cause` is the abort reason. The operation or
   * job itself goes on on the server: cancel it to stop it.
   */
  readonly signal?: AbortSignal;
  /**
   * Give up after this long, measured on the client's clock: the helper
   * rejects with a `YandexCloudError` DEADLINE_EXCEEDED. No limit by default.
   */
  readonly timeoutMs?: number;
  /** First delay between polls. */
  readonly initialDelayMs?: number;
  /** Longest delay between polls (unless the server asks for more). */
  readonly maxDelayMs?: number;
}

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
 * delay ×1.5 up to the maximum, and throws the helper's timeout error once
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
  #delay: number;

  constructor(
    env: { readonly clock: Clock; readonly sleep: Sleep },
    options: PollOptions,
    defaults: PollDefaults,
    failures: PollFailures,
  ) {
    this.#env = env;
    this.#signal = options.signal;
    this.#timeoutMs = options.timeoutMs;
    this.#deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : env.clock.now() + options.timeoutMs;
    this.#max = options.maxDelayMs ?? defaults.maxDelayMs;
    this.#initial = Math.min(options.initialDelayMs ?? defaults.initialDelayMs, this.#max);
    this.#factor = defaults.factor ?? 1.5;
    this.#failures = failures;
    this.#delay = this.#initial;
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
    this.#delay = Math.max(floorMs, Math.min(this.#delay * this.#factor, this.#max));
  }

  /** Progress was seen: the next pause is the first delay again. */
  reset(): void {
    this.#delay = this.#initial;
  }
}

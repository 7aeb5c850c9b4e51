import { ConnectError } from "@connectrpc/connect";
import type { Clock } from "../yandex/credentials/types.js";
import { asConnectError } from "../core/connect-error.js";

/** The clock interface the client uses too: milliseconds since the Unix epoch. */
export type { Clock };

/** Wall-clock time, for demos and the CLI. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/**
 * A clock that only moves when told to, so tests never sleep for real.
 *
 * It starts at the current wall-clock time (rounded down to a whole second)
 * rather than at some fixed date: clients that sign JWTs with their own
 * `Date.now()` are then accepted without setup.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(Date.parse("2025-01-01T00:00:00Z"));
 * clock.advance(1500);
 * new Date(clock.now()).toISOString(); // "2025-01-01T00:00:01.500Z"
 * ```
 */
export class ManualClock implements Clock {
  #now: number;

  constructor(start: number | Date = Math.floor(Date.now() / 1000) * 1000) {
    this.#now = toMs(start);
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (must not be negative). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance: expected a non-negative number of ms, got ${ms}`);
    }
    this.#now += ms;
  }

  /**
   * A `sleep` for client code under test that moves this clock instead of
   * waiting: pass it as `createYandexCloud({ clock, sleep: clock.sleep })` and
   * polls, backoffs and waits finish at once while the emulator sees the time
   * pass. It still honours an AbortSignal.
   */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(asConnectError(signal.reason));
    // Whole milliseconds: jittered delays are fractional, and timestamps the
    // emulator derives from the clock must stay encodable.
    this.advance(Math.ceil(Math.max(0, ms)));
    return Promise.resolve();
  };

  /** Jumps to an absolute time; going backwards is allowed but rarely meaningful. */
  set(time: number | Date): void {
    this.#now = toMs(time);
  }
}

function toMs(time: number | Date): number {
  const ms = typeof time === "number" ? time : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time: ${String(time)}`);
  return ms;
}

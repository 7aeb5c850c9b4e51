/**
 * The emulator's notion of "now".
 *
 * Everything time-dependent in the emulator (job phases, log growth, token
 * expiry, JWT `iat`/`exp` checks, operation timestamps) reads this clock and
 * nothing else. Job state is derived from the clock at read time, never driven
 * by timers, so a {@link ManualClock} needs no ticking: move it and the next
 * call sees the new state.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const emulator = await startEmulator({ clock });
 * clock.advance(10_000); // every job created before is now ~10 s older
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

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

/**
 * Waits `ms` of real time, or rejects with the signal's reason once it aborts.
 * Used for injected latency, which models the network and therefore runs on
 * wall-clock time even when the emulator uses a {@link ManualClock}.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

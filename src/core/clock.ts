/**
 * Milliseconds since the epoch, as `Date.now()` gives them. Credentials, the
 * retry budget, waits and signing read time only through a clock so that
 * tests (and the emulator's manual clock) can move it.
 *
 * @example
 * ```ts
 * const frozen: Clock = { now: () => Date.UTC(2026, 0, 1) };
 * ```
 */
export interface Clock {
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

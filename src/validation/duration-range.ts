import { parseRange } from "./range.js";
import type { Range } from "./range.js";

/**
 * The `value` option on a `google.protobuf.Duration` field: the range grammar
 * of range.ts with a unit on every bound, as the public Yandex Cloud API
 * writes it (`AutoscalingConfig.measurement_duration` is `"1m-10m"`,
 * `warmup_duration` is `"<=10m"`). Units are Go's: `ns`, `us`, `ms`, `s`,
 * `m`, `h`.
 *
 * Why nanoseconds as `bigint`: a Duration is `seconds` (int64) plus `nanos`,
 * so its exact size only fits a bigint; comparing there needs no rounding.
 *
 * @example
 * ```ts
 * const r = parseDurationRange("1m-10m");
 * r.miss(durationNanos({ seconds: 30n, nanos: 0 })); // "is below 1m-10m"
 * ```
 */
export function parseDurationRange(text: string): Range {
  let unitless = true;
  const inNanos = text.replace(/(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)\b/g, (_, amount: string, unit: string) => {
    unitless = false;
    return String(toNanos(amount, unit));
  });
  if (unitless) {
    throw new SyntaxError(`invalid duration range "${text}": every bound needs a unit (ns, us, ms, s, m or h), e.g. "1m-10m"`);
  }
  const range = parseRange(inNanos);
  const relabel = (phrase: string | undefined): string | undefined => phrase?.replace(inNanos, text);
  return { text, test: range.test, miss: (n) => relabel(range.miss(n)) };
}

const nanosPer: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

function toNanos(amount: string, unit: string): bigint {
  const [whole, fraction = ""] = amount.split(".");
  const per = nanosPer[unit]!;
  // "1.5h": whole part exactly, then the fraction digit by digit.
  let nanos = BigInt(whole!) * per;
  let scale = per;
  for (const digit of fraction) {
    scale /= 10n;
    nanos += BigInt(digit) * scale;
  }
  return nanos;
}

/**
 * The length of a Duration message in nanoseconds, or `undefined` for a value
 * that is not one (types are checked elsewhere).
 */
export function durationNanos(value: unknown): bigint | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { seconds, nanos } = value as { seconds?: unknown; nanos?: unknown };
  if (typeof seconds !== "bigint" || typeof nanos !== "number") return undefined;
  return seconds * 1_000_000_000n + BigInt(nanos);
}

/**
 * The range grammar of the validation options, Yandex's and ours alike
 * (`value`, `size`, `length`, `bytes` and the parts of `map_key`).
 *
 * | text    | accepts            |
 * | ------- | ------------------ |
 * | `<=50`  | n ≤ 50             |
 * | `<2048` | n < 2048           |
 * | `>=1`   | n ≥ 1              |
 * | `>0`    | n > 0              |
 * | `5`     | n = 5              |
 * | `1-128` | 1 ≤ n ≤ 128 (both ends inclusive) |
 *
 * Bounds are decimal numbers, optionally signed and with a fraction
 * (`0.5-1.5`, `-10-10`), so the same grammar serves `double` fields.
 *
 * Comparison is exact for 64-bit integers: protobuf-es hands int64 values over
 * as `bigint`, and turning them into `number` would round above 2^53 (a
 * `page_size` of 2^53 + 1 must not pass a `<=2^53` check). Integer bounds
 * are therefore kept as `bigint` as well.
 *
 * @example
 * ```ts
 * const r = parseRange("<2048");
 * r.test(2049);       // false
 * r.miss(2049);       // "exceeds <2048"
 * parseRange("1-128").miss(0n); // "is below 1-128"
 * ```
 */
export interface Range {
  /** The range as declared in the .proto file, e.g. `<=50`. */
  readonly text: string;
  /** True when `n` lies in the range. NaN never does. */
  test(n: number | bigint): boolean;
  /**
   * Why `n` is outside the range, as a phrase to follow the measured quantity
   * ("exceeds <=50", "is below >=1", "is outside 1-128", "is not 5"), or
   * `undefined` when `n` is inside. The phrase names the bound, never `n`.
   */
  miss(n: number | bigint): string | undefined;
}

/** A bound kept both as `number` and, when integral, as an exact `bigint`. */
interface Bound {
  readonly num: number;
  /** Exact value when the bound is an integer. */
  readonly int: bigint | undefined;
  /** floor(bound), exact; equals `int` for integers. */
  readonly floor: bigint;
}

const numberPattern = String.raw`[-+]?\d+(?:\.\d+)?`;
const operatorForm = new RegExp(`^(<=|<|>=|>)?\\s*(${numberPattern})$`);
const intervalForm = new RegExp(`^(${numberPattern})\\s*-\\s*(${numberPattern})$`);

/**
 * Parses a range string. Throws a `SyntaxError` naming the text when it does
 * not follow the grammar: a malformed option is a defect of the .proto file
 * and must surface, not silently disable the check.
 */
export function parseRange(text: string): Range {
  const trimmed = text.trim();
  const op = operatorForm.exec(trimmed);
  if (op !== null) {
    const bound = parseBound(op[2]!);
    switch (op[1]) {
      case "<=":
        return single(text, bound, (c) => c <= 0, "exceeds");
      case "<":
        return single(text, bound, (c) => c < 0, "exceeds");
      case ">=":
        return single(text, bound, (c) => c >= 0, "is below");
      case ">":
        return single(text, bound, (c) => c > 0, "is below");
      default:
        return single(text, bound, (c) => c === 0, "is not");
    }
  }
  const interval = intervalForm.exec(trimmed);
  if (interval !== null) {
    const lo = parseBound(interval[1]!);
    const hi = parseBound(interval[2]!);
    if (lo.num > hi.num) {
      throw new SyntaxError(`invalid range "${text}": lower bound exceeds upper bound`);
    }
    return {
      text,
      test: (n) => compare(n, lo) >= 0 && compare(n, hi) <= 0,
      miss(n) {
        if (compare(n, lo) < 0) return `is below ${text}`;
        if (compare(n, hi) > 0) return `exceeds ${text}`;
        return Number.isNaN(n) ? `is outside ${text}` : undefined;
      },
    };
  }
  throw new SyntaxError(
    `invalid range "${text}": expected "<=N", "<N", ">=N", ">N", "N" or "A-B"`,
  );
}

/** A range with one bound; `accepts` gets the sign of `compare(n, bound)`. */
function single(
  text: string,
  bound: Bound,
  accepts: (sign: number) => boolean,
  verb: string,
): Range {
  const test = (n: number | bigint): boolean => accepts(compare(n, bound));
  return {
    text,
    test,
    miss: (n) => (test(n) ? undefined : `${verb} ${text}`),
  };
}

function parseBound(digits: string): Bound {
  const num = Number(digits);
  const [whole, fraction = ""] = digits.split(".");
  const wholeInt = BigInt(whole!);
  if (/^0*$/.test(fraction)) {
    return { num, int: wholeInt, floor: wholeInt };
  }
  // A fractional bound: floor() of a negative number is one below its whole part.
  return { num, int: undefined, floor: num < 0 ? wholeInt - 1n : wholeInt };
}

/**
 * Sign of `n - bound`: negative, zero or positive; NaN when `n` is NaN (every
 * comparison with NaN is then false, so NaN is never in range).
 */
function compare(n: number | bigint, bound: Bound): number {
  if (typeof n === "bigint") {
    if (bound.int !== undefined) return n < bound.int ? -1 : n > bound.int ? 1 : 0;
    // Non-integral bound: an integer is either <= floor(bound) < bound, or > bound.
    return n <= bound.floor ? -1 : 1;
  }
  if (bound.int !== undefined && !Number.isSafeInteger(bound.num) && Number.isInteger(n)) {
    // A huge integer bound is not exact as a number; compare as bigints.
    return compare(BigInt(n), bound);
  }
  return n < bound.num ? -1 : n > bound.num ? 1 : n === bound.num ? 0 : Number.NaN;
}

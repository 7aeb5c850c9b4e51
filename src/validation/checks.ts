import { durationNanos, parseDurationRange } from "./duration-range.js";
import { parseRange } from "./range.js";
import { codePointLength } from "./text.js";

/**
 * One compiled constraint on a single value: a scalar field's value, one
 * element of a repeated field, or one key or value of a map.
 *
 * Checks are built once per field (see rules.ts) and then only run, so regular
 * expressions and range bounds are parsed a single time.
 *
 * @example
 * ```ts
 * const c = lengthCheck("<2048");
 * c.rule;                   // "length <2048"
 * c.check("x".repeat(2049)); // "length 2049 exceeds <2048"
 * ```
 */
export interface ElementCheck {
  /** The constraint as declared, e.g. `length <=50` or `map_key.pattern [a-z]+`. */
  readonly rule: string;
  /**
   * A phrase describing the failure, or `undefined` when `value` passes.
   * The phrase may hold lengths and bounds but never the value itself:
   * values can be credentials (an OAuth token in `CreateIamTokenRequest`).
   * A value of an unexpected JavaScript type passes: types are checked
   * first, by types.ts, and a value of the wrong type never gets here.
   */
  check(value: unknown): string | undefined;
}

/** Whether a check applies to a map key (rule `map_key.*`, phrase "key …"). */
export type Target = "value" | "key";

/** `length`: string length in code points (see {@link codePointLength}). */
export function lengthCheck(text: string, target: Target = "value"): ElementCheck {
  const range = parseRange(text);
  const subject = target === "key" ? "key length" : "length";
  return {
    rule: `${rulePrefix(target)}length ${text}`,
    check(value) {
      if (typeof value !== "string") return undefined;
      const n = codePointLength(value);
      const miss = range.miss(n);
      return miss === undefined ? undefined : `${subject} ${n} ${miss}`;
    },
  };
}

/**
 * `pattern`: the whole string must match. The declared expression is wrapped
 * as `^(?:…)$`, so `|[a-z][-a-z0-9]{1,61}[a-z0-9]` accepts "" or a name, and
 * never a string that merely contains a name.
 */
export function patternCheck(source: string, target: Target = "value"): ElementCheck {
  const re = compilePattern(source);
  const phrase = `${target === "key" ? "key does" : "does"} not match pattern ${shownPattern(source)}`;
  return {
    rule: `${rulePrefix(target)}pattern ${source}`,
    check: (value) => (typeof value !== "string" || re.test(value) ? undefined : phrase),
  };
}

/**
 * The pattern as a message shows it: without an empty alternative at either
 * end. `|[a-z][-a-z0-9]{1,61}[a-z0-9]` means "empty or a name"; a value that
 * fails it is never empty, so the message names only the part it missed
 * (the rule keeps the declared text).
 *
 * @example
 * ```ts
 * shownPattern("|[a-z][-a-z0-9]{1,61}[a-z0-9]"); // "[a-z][-a-z0-9]{1,61}[a-z0-9]"
 * ```
 */
export function shownPattern(source: string): string {
  let shown = source;
  if (shown.startsWith("|")) shown = shown.slice(1);
  if (shown.endsWith("|") && !shown.endsWith("\\|")) shown = shown.slice(0, -1);
  return shown === "" ? source : shown;
}

/**
 * `value`: numeric range. Accepts `number`, `bigint` (int64 fields) and
 * decimal strings (int64 fields with `jstype = JS_STRING`, integer map keys);
 * strings are read as exact `bigint`s. The phrase omits the value.
 */
export function valueCheck(text: string, target: Target = "value"): ElementCheck {
  const range = parseRange(text);
  const subject = target === "key" ? "key value" : "value";
  return {
    rule: `${rulePrefix(target)}value ${text}`,
    check(value) {
      const n = toNumeric(value);
      if (n === undefined) return undefined;
      const miss = range.miss(n);
      return miss === undefined ? undefined : `${subject} ${miss}`;
    },
  };
}

/** `value` on a `google.protobuf.Duration` field: bounds with units, e.g. `1m-10m`. */
export function durationValueCheck(text: string): ElementCheck {
  const range = parseDurationRange(text);
  return {
    rule: `value ${text}`,
    check(value) {
      const n = durationNanos(value);
      if (n === undefined) return undefined;
      const miss = range.miss(n);
      return miss === undefined ? undefined : `duration ${miss}`;
    },
  };
}

/** `bytes`: size of a bytes value in bytes. */
export function bytesCheck(text: string): ElementCheck {
  const range = parseRange(text);
  return {
    rule: `bytes ${text}`,
    check(value) {
      if (!(value instanceof Uint8Array)) return undefined;
      const miss = range.miss(value.byteLength);
      return miss === undefined ? undefined : `byte length ${value.byteLength} ${miss}`;
    },
  };
}

function rulePrefix(target: Target): string {
  return target === "key" ? "map_key." : "";
}

/**
 * Compiles a declared pattern anchored at both ends. Yandex Cloud's patterns
 * are RE2 expressions matched on code points, so the `u` flag is preferred;
 * some RE2-valid escapes (`\@`) are syntax errors under `u`, and such patterns
 * fall back to a plain expression. An expression invalid either way throws:
 * it is a defect of the .proto file.
 */
function compilePattern(source: string): RegExp {
  const anchored = `^(?:${source})$`;
  try {
    return new RegExp(anchored, "u");
  } catch {
    try {
      return new RegExp(anchored);
    } catch (cause) {
      throw new SyntaxError(`invalid pattern "${source}"`, { cause });
    }
  }
}

function toNumeric(value: unknown): number | bigint | undefined {
  switch (typeof value) {
    case "number":
    case "bigint":
      return value;
    case "string":
      try {
        return BigInt(value);
      } catch {
        return Number.NaN; // not an integer: never in range
      }
    default:
      return undefined;
  }
}

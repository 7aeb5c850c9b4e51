/**
 * A small declarative flag parser on top of `node:util` `parseArgs`.
 *
 * Why not `parseArgs` with `strict: true` alone: its errors are long
 * multi-line hints, it refuses values that start with `-` (which program
 * arguments such as `--arg --verbose` need), and it lets a single-valued
 * flag repeat silently (last one wins). Here `parseArgs` only tokenises
 * (`strict: false, tokens: true`) and every rule is checked against the
 * {@link FlagSpec}s, failing with a one-line {@link UsageError}.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { UsageError } from "./exit.js";

/** One `--flag`, as the parser and the help text see it. */
export interface FlagSpec {
  /** Long name without the dashes, kebab-case (`main-jar-file-uri`). */
  readonly name: string;
  readonly type: "string" | "boolean";
  /** May be given several times; values are kept in order. */
  readonly multiple?: boolean;
  /** One-letter alias (only `-h` is used). */
  readonly short?: string;
  /** Placeholder of the value in the help text (`URI`, `KEY=VALUE`). */
  readonly value?: string;
  /** One line for the help text. */
  readonly description: string;
  /**
   * Accept a next argument that starts with `-` as the value (`--arg -v`).
   * Off by default, so `--cluster --json` is an error, not a cluster named "--json".
   */
  readonly dashValues?: boolean;
  /** The only values allowed. */
  readonly choices?: readonly string[];
}

/** The flags of one command line, read back by name. */
export class Flags {
  readonly #values: ReadonlyMap<string, string | boolean | string[]>;

  constructor(values: ReadonlyMap<string, string | boolean | string[]>) {
    this.#values = values;
  }

  /** Whether the flag was given at all. */
  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** A single-valued string flag, or `undefined` when absent. */
  string(name: string): string | undefined {
    const value = this.#values.get(name);
    return typeof value === "string" ? value : undefined;
  }

  /** A repeatable string flag's values (empty when absent). */
  strings(name: string): string[] {
    const value = this.#values.get(name);
    return Array.isArray(value) ? [...value] : [];
  }

  /** A boolean flag. */
  boolean(name: string): boolean {
    return this.#values.get(name) === true;
  }

  /** Names of the flags given, in spec order of first appearance. */
  names(): string[] {
    return [...this.#values.keys()];
  }
}

export interface ParsedArgs {
  /** `--help` or `-h` was among the flags: show help, ignore everything else. */
  readonly help: boolean;
  readonly flags: Flags;
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` against `specs`. `--help`/`-h` wins over any other problem,
 * so `submit spark --bogus --help` still shows the help.
 *
 * @throws UsageError for an unknown flag, a missing or unexpected value, a
 *   repeated single-valued flag or a value outside `choices`.
 *
 * @example
 * ```ts
 * const { flags, positionals } = parseFlags(["get", "c9q…", "--json"], [{ name: "json", type: "boolean", description: "…" }]);
 * flags.boolean("json"); // true
 * ```
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const s of specs) options[s.name] = s.short === undefined ? { type: s.type } : { type: s.type, short: s.short };
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });

  if (tokens.some((t) => t.kind === "option" && t.name === "help" && byName.has("help"))) {
    return { help: true, flags: new Flags(new Map()), positionals: [] };
  }
  const values = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue; // the `--` terminator
    const spec = byName.get(token.name);
    if (spec === undefined) {
      const near = closest(token.name, specs.map((s) => s.name));
      throw new UsageError(`unknown flag ${token.rawName}${near === undefined ? "" : ` (did you mean --${near}?)`}`);
    }
    const flag = `--${spec.name}`;
    let value: string | boolean;
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value`);
      value = true;
    } else {
      if (token.value === undefined) throw new UsageError(`${flag} needs a value`);
      if (!token.inlineValue && token.value.startsWith("-") && spec.dashValues !== true) {
        throw new UsageError(`${flag} needs a value (got ${token.value}; write ${flag}=VALUE for a value starting with "-")`);
      }
      if (spec.choices !== undefined && !spec.choices.includes(token.value)) {
        throw new UsageError(`${flag} must be one of ${spec.choices.join(", ")} (got ${JSON.stringify(token.value)})`);
      }
      value = token.value;
    }
    if (spec.multiple === true) {
      const list = (values.get(spec.name) as string[] | undefined) ?? [];
      list.push(value as string);
      values.set(spec.name, list);
    } else {
      if (values.has(spec.name)) throw new UsageError(`${flag} is given more than once`);
      values.set(spec.name, value);
    }
  }
  return { help: false, flags: new Flags(values), positionals };
}

/**
 * Reads repeatable `KEY=VALUE` values (`--property`, `--script-variable`)
 * into a record. The key must be non-empty and unique; the value may contain
 * `=` and may be empty.
 *
 * @throws UsageError naming the flag and the bad value.
 */
export function keyValues(flag: string, values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${flag} takes KEY=VALUE (got ${JSON.stringify(item)})`);
    const key = item.slice(0, eq);
    if (Object.hasOwn(out, key)) throw new UsageError(`--${flag} sets ${JSON.stringify(key)} more than once`);
    out[key] = item.slice(eq + 1);
  }
  return out;
}

/**
 * The name in `names` nearest to `typed` — within a third of its length in
 * edits, or one that starts with it — for "did you mean". `undefined` when
 * nothing is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * closest("clustr", ["cluster", "service"]); // "cluster"
 * closest("xyz", ["cluster", "service"]);    // undefined
 * ```
 */
export function closest(typed: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const distance = name.startsWith(typed) && typed.length >= 3 ? 0.5 : editDistance(typed, name);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : undefined;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours (`lsit` → `list`: 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

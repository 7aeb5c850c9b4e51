/** `util.inspect.custom` without importing node:util (Deno and Bun honour it too). */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** How a {@link redacted} object names itself. */
export interface RedactionOptions {
  /**
   * The word before the summary in `util.inspect` output, e.g.
   * `"AwsCredentials"`. Default: the object's class name, or none for a
   * plain object.
   */
  readonly label?: string;
  /** What `String(target)` gives; by default it is left alone. */
  readonly text?: string;
}

/**
 * Makes `util.inspect`, `console.log`, `JSON.stringify` (and, when asked,
 * `String`) of an object that holds a secret show only a harmless summary.
 * The secret itself stays in a `#private` field or a closure, which neither
 * inspect nor JSON can see; this keeps the output tidy and makes the promise
 * explicit. Every cloud's credentials, keys and cloud objects use it, so the
 * rule is written once. No `node:` import: the REST path runs it on Deno,
 * Bun and workers.
 *
 * @example
 * ```ts
 * return redacted({ kind: "static", accessKey: () => keys }, { kind: "static", accessKey: maskAccessKey(ak) });
 * // inspect → {"kind":"static","accessKey":"QTWA…"}, JSON the same, never the secret key
 * ```
 */
export function redacted<T extends object>(target: T, summary: Readonly<Record<string, string>>, options: RedactionOptions = {}): T {
  const label = options.label ?? (target.constructor && target.constructor !== Object ? target.constructor.name : "");
  const prefix = label ? `${label} ` : "";
  Object.defineProperties(target, {
    [inspectCustom]: { value: () => `${prefix}${JSON.stringify(summary)}`, enumerable: false },
    toJSON: { value: () => ({ ...summary }), enumerable: false },
    ...(options.text === undefined ? {} : { toString: { value: () => options.text, enumerable: false } }),
  });
  return target;
}

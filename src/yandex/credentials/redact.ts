/** `util.inspect.custom` without importing node:util (Deno and Bun honour it too). */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * Makes `util.inspect`, `console.log` and `JSON.stringify` of a credential
 * print only a harmless summary. Secrets themselves live in `#private` fields,
 * which neither inspect nor JSON can see; this keeps the output tidy and makes
 * the promise explicit.
 */
export function redacted<T extends object>(target: T, summary: Record<string, string>): T {
  Object.defineProperties(target, {
    [inspectCustom]: { value: () => `${target.constructor.name} ${JSON.stringify(summary)}`, enumerable: false },
    toJSON: { value: () => ({ ...summary }), enumerable: false },
  });
  return target;
}

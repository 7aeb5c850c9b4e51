import { inspect } from "node:util";

/**
 * Makes `util.inspect`, `console.log` and `JSON.stringify` of a credential
 * print only a harmless summary. Secrets themselves live in `#private` fields,
 * which neither inspect nor JSON can see; this keeps the output tidy and makes
 * the promise explicit.
 */
export function redacted<T extends object>(target: T, summary: Record<string, string>): T {
  Object.defineProperties(target, {
    [inspect.custom]: { value: () => `${target.constructor.name} ${inspect(summary)}`, enumerable: false },
    toJSON: { value: () => ({ ...summary }), enumerable: false },
  });
  return target;
}

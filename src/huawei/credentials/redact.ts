/**
 * Makes `util.inspect`, `console.log` and `JSON.stringify` print only a
 * harmless summary of an object holding secrets. It uses the well-known
 * `Symbol.for("nodejs.util.inspect.custom")` rather than `node:util`, so it
 * is safe on the fetch-only REST path (Deno, Bun, edge).
 */
export function redacted<T extends object>(target: T, summary: Record<string, string>): T {
  const name = target.constructor?.name && target.constructor !== Object ? `${target.constructor.name} ` : "";
  Object.defineProperties(target, {
    [inspectCustom]: { value: () => `${name}${JSON.stringify(summary)}`, enumerable: false },
    toJSON: { value: () => ({ ...summary }), enumerable: false },
  });
  return target;
}

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** The first 4 characters of an access key id (never of a secret), e.g. `"QTWA…"`. */
export function maskAccessKey(accessKey: string): string {
  return accessKey.length <= 4 ? "…" : `${accessKey.slice(0, 4)}…`;
}

/**
 * A Node built-in module, loaded only when called, so that modules which
 * merely *may* need one (reading a key file, a Node `Readable`) keep the
 * package's REST entry graph free of `node:` imports and load on Deno, Bun
 * and workers. Uses `process.getBuiltinModule` (Node ≥ 20.16; Deno and Bun
 * have it too).
 *
 * @example
 * ```ts
 * const fs = nodeBuiltin<typeof import("node:fs")>("node:fs", "reading a key file");
 * ```
 */
export function nodeBuiltin<T>(name: string, why: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = proc?.getBuiltinModule?.(name);
  if (module === undefined) {
    throw new Error(`${why} needs the Node built-in ${name}, which this runtime does not provide`);
  }
  return module as T;
}

/**
 * Environment variables as a plain record, on runtimes that have
 * `process.env` (Node, Bun, Deno's Node compatibility), and an empty record
 * elsewhere (browsers, edge runtimes). No `node:` import, so the REST path
 * can use it.
 *
 * @internal
 */
export function runtimeEnv(): Readonly<Record<string, string | undefined>> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

/**
 * Prints a warning once per process for each distinct `key`: through
 * `process.emitWarning` where it exists (so `--no-warnings` and
 * `process.on("warning")` work), else `console.warn`.
 *
 * @internal
 */
export function warnOnce(key: string, message: string, code: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  const proc = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process;
  if (typeof proc?.emitWarning === "function") proc.emitWarning(message, { code });
  else console.warn(`${code}: ${message}`);
}

const warned = new Set<string>();

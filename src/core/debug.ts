import type { DebugSink } from "./attempt.js";

/**
 * The `debug` option of every cloud: a function receives the lines, `true`
 * prints them to stderr, and without the option `DATAPROC_CONNECT_DEBUG=1`
 * (or `true`, `yes`) switches it on.
 *
 * @example
 * ```ts
 * debugSink(undefined, { DATAPROC_CONNECT_DEBUG: "1" }); // (line) => console.error(line)
 * ```
 * @internal
 */
export function debugSink(option: boolean | DebugSink | undefined, env: Readonly<Record<string, string | undefined>>): DebugSink | undefined {
  if (typeof option === "function") return option;
  const on = option ?? ["1", "true", "yes"].includes((env.DATAPROC_CONNECT_DEBUG ?? "").trim().toLowerCase());
  return on ? (line) => console.error(line) : undefined;
}

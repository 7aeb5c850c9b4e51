/**
 * Reads a v1.1 time such as `"2017-05-25T07:28:12"` (no zone; MRS means
 * UTC) as a `Date`. Strings that carry a zone (`Z`, `+08:00`) are read with
 * it. `undefined` for an unset or malformed value, never an Invalid Date.
 *
 * @example
 * ```ts
 * zonelessUtc("2017-05-25T07:28:12")?.toISOString(); // "2017-05-25T07:28:12.000Z"
 * zonelessUtc(jobExecution.endTime);                  // undefined while still running
 * ```
 */
export function zonelessUtc(value: string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? "Z"}`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

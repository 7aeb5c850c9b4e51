/**
 * `X-Sdk-Date` values: UTC in the ISO 8601 basic format `YYYYMMDDTHHMMSSZ`
 * (Go `BasicDateFormat = "20060102T150405Z"`).
 *
 * @example
 * ```ts
 * formatSdkDate(Date.UTC(2006, 0, 2, 15, 4, 5)); // "20060102T150405Z"
 * ```
 */
export function formatSdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Parses an `X-Sdk-Date` value into milliseconds since the epoch, or `undefined` when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  return check.getUTCDate() === d && check.getUTCMonth() === mo - 1 ? ms : undefined;
}

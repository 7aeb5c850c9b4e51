/**
 * Cuts a one-line status to the width of the terminal it is redrawn on.
 *
 * Why: a line redrawn in place with `\r` must never wrap — the carriage
 * return goes back to the start of the last screen row only, so every
 * redraw of a wrapped line leaves one more stale row behind (a 125-column
 * line on an 80-column terminal stacked up 91 rows in the demo). The text
 * is kept to `columns - 1` characters (the last column would make some
 * terminals wrap early), ending in `…` when cut. Without a known width
 * (`undefined` or 0) the text is returned as is.
 *
 * @example
 * ```ts
 * fitWidth("job c9q0123456789 RUNNING 4.2s", 20); // "job c9q012345678…"  (19 characters)
 * fitWidth("short", 80);                         // "short"
 * ```
 */
export function fitWidth(text: string, columns: number | undefined): string {
  if (columns === undefined || !(columns > 0)) return text;
  const max = Math.max(1, Math.floor(columns) - 1);
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join("")}…`;
}

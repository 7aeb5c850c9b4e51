/**
 * Shows a value taken from input (a path, key id, URL) inside a one-line
 * error message: as is when it is plain printable ASCII without spaces, else
 * JSON-quoted, so a crafted value can neither break the line nor forge a log
 * entry.
 *
 * @example
 * ```ts
 * display("ajekey01");            // ajekey01
 * display("aje1\nFAKE LOG LINE"); // "aje1\nFAKE LOG LINE"
 * ```
 */
export function display(value: string): string {
  return /^[\x21-\x7e]+$/.test(value) && !value.includes('"') ? value : JSON.stringify(value);
}

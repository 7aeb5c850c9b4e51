/**
 * Character counting and path formatting shared by the validator.
 */

/**
 * Length of `s` in Unicode code points, the unit of the `length` option.
 *
 * Yandex Cloud checks lengths on the server in Go, where a "character" is a
 * rune (code point). JavaScript's `s.length` counts UTF-16 code units, so a
 * name made of emoji would appear twice as long as the service measures it and
 * be rejected locally although the service accepts it. A surrogate pair
 * therefore counts once; a lone surrogate (malformed) counts once as well.
 *
 * @example
 * ```ts
 * codePointLength("abc"); // 3
 * codePointLength("😀");  // 1 (while "😀".length === 2)
 * ```
 */
export function codePointLength(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * Longest map key (in code points) that may appear in a violation path.
 * Longer keys are replaced by their position, so a pasted secret used as a key
 * by mistake is not echoed into logs in full.
 */
export const maxKeyInPath = 128;

/**
 * Path of one map entry: `properties["spark.executor.memory"]` for a string
 * key (JSON-quoted so spaces and quotes stay unambiguous), `limits[5]` for
 * an integer or bool key, and `properties[#3]` (0-based position in iteration
 * order) when a key is too long to show.
 */
export function mapEntryPath(
  fieldPath: string,
  key: string,
  index: number,
  stringKey: boolean,
): string {
  if (codePointLength(key) > maxKeyInPath) return `${fieldPath}[#${index}]`;
  return stringKey ? `${fieldPath}[${JSON.stringify(key)}]` : `${fieldPath}[${key}]`;
}

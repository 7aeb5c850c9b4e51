/**
 * Percent-encodes everything but the RFC 3986 unreserved set
 * (`A-Z a-z 0-9 - _ . ~`), byte by byte over UTF-8, with upper-case hex.
 * This is the `escape` both Huawei SDKs use for canonical paths and queries
 * (Go `core/auth/signer/signer.go`; the Node core's `urlEncode` since 3.1.x),
 * and unlike `encodeURIComponent` it also encodes `!'()*`.
 *
 * @example
 * ```ts
 * rfc3986("一 (&=?!#%.*)"); // "%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
 * ```
 */
export function rfc3986(text: string): string {
  let out = "";
  for (const byte of utf8.encode(text)) {
    out += unreserved(byte) ? String.fromCharCode(byte) : `%${hex[byte >> 4]}${hex[byte & 15]}`;
  }
  return out;
}

/**
 * Decodes `%XY` escapes (and nothing else: `+` stays a plus sign, as RFC 3986
 * reads it). Malformed escapes are kept as written, so a path the server would
 * take literally is signed literally.
 */
export function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8
 * forms: what Go's `sort.Strings` (and so the gateway) uses. Plain `<` on JS
 * strings compares UTF-16 units and differs for astral characters.
 */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i]!.codePointAt(0) ?? 0) - (y[i]!.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const utf8 = new TextEncoder();
const hex = "0123456789ABCDEF";

function unreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e // - . _ ~
  );
}

/** Visible ASCII, with spaces allowed only between visible characters. */
const safeHeaderValue = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Why a credential cannot go into an HTTP header, or `undefined` when it
 * can. Every cloud asks this of each credential value before it is sent
 * (a bearer token, `x-amz-security-token`, `X-Security-Token`, a metadata
 * session token, a container authorization token), whether it came from
 * code, the environment or a metadata service.
 *
 * Why check at all: `fetch` (undici) refuses a value with CR, LF or NUL
 * with "invalid header value" *followed by the whole value*, which would
 * put the secret into the error, its `cause` chain and every log that
 * prints it. A value with leading or trailing spaces is silently trimmed
 * by `fetch`, so what was signed differs from what is sent. The rule here
 * (visible ASCII, inner spaces) admits every real token and key: they are
 * base64, base64url, JWTs or hex. The answer names the rule and the first
 * offending character by kind and index, never the value.
 *
 * @example
 * ```ts
 * headerValueProblem("abc\r\nx", "the session token from environment");
 * // 'the session token from environment cannot be sent as an HTTP header value: it has a CR (carriage return) at index 3; …'
 * headerValueProblem("IQoJb3JpZ2lu", "the session token"); // undefined
 * ```
 */
export function headerValueProblem(value: string, what: string): string | undefined {
  if (safeHeaderValue.test(value)) return undefined;
  const prefix = `${what} cannot be sent as an HTTP header value`;
  if (value === "") return `${prefix}: it is empty`;
  const rule = "only visible ASCII characters, with spaces between them, are allowed";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (c === 0x20 && i > 0 && i < value.length - 1) continue;
    return `${prefix}: it has ${characterKind(c)} at index ${i}; ${rule}`;
  }
  return `${prefix}; ${rule}`;
}

/** A character's kind for a message; control characters by name or code, anything else only as a kind. */
function characterKind(code: number): string {
  switch (code) {
    case 0x0d:
      return "a CR (carriage return)";
    case 0x0a:
      return "an LF (line feed)";
    case 0x00:
      return "a NUL";
    case 0x20:
      return "a leading or trailing space";
    case 0x09:
      return "a tab";
    default:
      return code < 0x20 || code === 0x7f ? `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})` : "a non-ASCII character";
  }
}

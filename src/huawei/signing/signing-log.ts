import type { HttpRequestParts } from "../../rest/types.js";
import type { SignatureParts } from "./algorithm.js";

/**
 * The canonical requests of the last few signed attempts, so that a
 * signature failure can show ours beside the one APIG echoes
 * (`APIGW.0301 … canonicalRequest:GET|/v1.1/…/|…`). Holds no secrets: a
 * canonical request has the method, path, query, signed header values (the
 * security token is replaced) and the body hash only.
 *
 * @example
 * ```ts
 * const log = new SigningLog();
 * const signer = huaweiSigner({ credentials, onSigned: log.record });
 * log.find("GET|/v1.1/p/job-executions/j/cancel/|…"); // our canonical request, '|' for '\n'
 * ```
 */
export class SigningLog {
  readonly #entries: string[] = [];
  readonly #size: number;

  constructor(size = 32) {
    this.#size = size;
  }

  /** Keeps the canonical request of one signed attempt (bound: pass it as `onSigned`). */
  readonly record = (_request: HttpRequestParts, parts: SignatureParts): void => {
    this.#entries.push(hideSecurityToken(parts.canonicalRequest));
    if (this.#entries.length > this.#size) this.#entries.shift();
  };

  /**
   * Ours for the request APIG echoed (`|` for `\n`), with `|` for `\n`
   * too: the newest one with the same method and `x-sdk-date` (the path
   * itself may be what differs, e.g. `%3A` against `%253A`), else the newest
   * with the same method and the same path once percent-decoded;
   * `undefined` when none matches.
   */
  find(echoed: string): string | undefined {
    const [method, path = ""] = echoed.split("|");
    const date = /x-sdk-date:([0-9TZ]+)/.exec(echoed)?.[1];
    const sameMethod = this.#entries.filter((entry) => entry.split("\n", 1)[0] === method);
    const byDate = date ? sameMethod.filter((entry) => entry.includes(`\nx-sdk-date:${date}\n`)) : [];
    const byPath = sameMethod.filter((entry) => decodeFully(entry.split("\n")[1] ?? "") === decodeFully(path));
    return (byDate.at(-1) ?? byPath.at(-1))?.replaceAll("\n", "|");
  }
}

/** Undoes percent-encoding however many times it was applied. */
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 4 && current.includes("%"); i++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}

/** The security token is signed but is a secret: keep its length only. */
function hideSecurityToken(canonical: string): string {
  return canonical.replace(/\nx-security-token:([^\n]*)/, (_m, token: string) => `\nx-security-token:<${token.length} chars>`);
}

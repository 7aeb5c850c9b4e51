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
   * Ours for the request APIG echoed (`|` for `\n`): the newest one with the
   * same method, path and `x-sdk-date`, or else the newest with the same
   * method and path; `undefined` when none matches.
   */
  find(echoed: string): string | undefined {
    const [method, path] = echoed.split("|");
    const date = /x-sdk-date:([0-9TZ]+)/.exec(echoed)?.[1];
    const samePath = this.#entries.filter((entry) => {
      const [m, p] = entry.split("\n");
      return m === method && p === path;
    });
    const sameDate = date ? samePath.filter((entry) => entry.includes(`\nx-sdk-date:${date}\n`)) : [];
    return (sameDate.at(-1) ?? samePath.at(-1))?.replaceAll("\n", "|");
  }
}

/** The security token is signed but is a secret: keep its length only. */
function hideSecurityToken(canonical: string): string {
  return canonical.replace(/\nx-security-token:([^\n]*)/, (_m, token: string) => `\nx-security-token:<${token.length} chars>`);
}

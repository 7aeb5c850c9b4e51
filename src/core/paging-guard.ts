/**
 * The one guard of every paged reader (job lists, job-run lists, log
 * pages) against a server that can keep it reading forever.
 *
 * Why: a reader follows the server's next-page token until it is empty. A
 * server (broken, or a proxy replaying a cached page) that hands back a
 * token it already gave, or that alternates two tokens, makes the reader
 * send requests in a tight loop for as long as the process lives — one
 * such log server drew 401 requests in 0.4 s. The guard remembers the
 * tokens of one read and turns a loop into an INTERNAL error the caller
 * sees, through the provider's own error type (`fail`).
 *
 * - Lists: a token seen before (the first one the read started from
 *   included) is a loop.
 * - Logs: a reader that follows a growing log rightly asks for the current
 *   token again (it has caught up and waits), so a repeat alone is no loop.
 *   A token already answered with text, answered with text again, is (the
 *   same output would be handed out forever); and while the reader is not
 *   following (or drains after the job ended), a token it already asked
 *   for since the last text arrived is a cycle that yields no new bytes.
 *
 * @example
 * ```ts
 * const guard = new PagingGuard("ListJobRuns", (message) => localAwsError(Code.Internal, message, { method }));
 * let token = request.nextToken ?? "";
 * guard.start(token);
 * do { const page = await list(token); yield* page.items; token = page.nextToken; if (token) guard.nextPage(token); } while (token);
 * ```
 * @internal
 */
export class PagingGuard {
  readonly #what: string;
  readonly #fail: (message: string) => Error;
  /** Lists: every token of this read. */
  readonly #seen = new Set<string>();
  /** Logs: tokens answered with text. */
  readonly #answered = new Set<string>();
  /** Logs: tokens asked for since text last arrived. */
  readonly #quiet = new Set<string>();

  /**
   * @param what the call, for the message (e.g. `"ListLog of job j1"`)
   * @param fail builds the provider's INTERNAL error from the message
   */
  constructor(what: string, fail: (message: string) => Error) {
    this.#what = what;
    this.#fail = fail;
  }

  /** Lists: the token the read starts from (the caller's, or empty). */
  start(token: string): void {
    this.#seen.add(token);
  }

  /**
   * Lists: the server's token for the next page; throws for one seen before
   * in this read. A list paged by offset passes what identifies a page
   * instead (its items' ids) and names it in `label`.
   */
  nextPage(token: string, label = "page token"): void {
    if (this.#seen.has(token)) {
      throw this.#fail(`${this.#what} returned the ${label} ${shown(token)} again; stopped instead of paging forever`);
    }
    this.#seen.add(token);
  }

  /**
   * Logs: one page was answered for `token` with `bytes` of content and
   * `next` as its next-page token. `settled` is true when the reader is not
   * following (or drains after the job ended): then a token already asked
   * for since the last text is a cycle. Throws for a loop.
   */
  logPage(token: string, bytes: number, next: string, settled: boolean): void {
    if (bytes > 0) {
      if (this.#answered.has(token)) {
        throw this.#fail(`${this.#what} answered page token ${shown(token)} again with text; stopped instead of repeating the same output forever`);
      }
      this.#answered.add(token);
      this.#quiet.clear();
      return;
    }
    this.#quiet.add(token);
    if (settled && next !== token && this.#quiet.has(next)) {
      throw this.#fail(
        `${this.#what} cycled through ${this.#quiet.size} page tokens back to ${shown(next)} without new text; stopped instead of reading empty pages forever`,
      );
    }
  }
}

/** A token as quoted in a message: JSON, at most 64 characters of it. */
function shown(token: string): string {
  return JSON.stringify(token.length > 64 ? `${token.slice(0, 64)}…` : token);
}

/**
 * Where each kind of output goes, human or `--json`:
 *
 * - results: human text on stdout, or one JSON object per line on stdout;
 * - notes for people (e.g. `job … submitted` while `--follow` owns stdout):
 *   stderr, and never in `--json` mode;
 * - log text: as is on stdout, or `{"jobId","log"}` objects with `--json`;
 * - progress: stderr; a live line on a terminal, a line per status change
 *   otherwise, nothing with `--json` (see progress.ts).
 *
 * Writes honour back-pressure, so following a large log into a slow pipe
 * does not buffer it all in memory.
 *
 * @module
 */
import type { CliIo, CliStream } from "./io.js";
import { Progress } from "./progress.js";

export class Output {
  readonly json: boolean;
  readonly progress: Progress;
  readonly #io: CliIo;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
    this.progress = new Progress(io.stderr, io.stdout, json);
  }

  /**
   * A result: `human` (one or more lines) or `json` as one line. `toStderr`
   * sends the human text to stderr, for when stdout carries a log.
   */
  async result(human: string, json: unknown, toStderr = false): Promise<void> {
    this.progress.done();
    if (this.json) await write(this.#io.stdout, `${JSON.stringify(json)}\n`);
    else await write(toStderr ? this.#io.stderr : this.#io.stdout, `${human}\n`);
  }

  /** A line for people only, on stdout (a table header, an early job id); nothing with `--json`. */
  async line(text: string): Promise<void> {
    if (this.json) return;
    this.progress.done();
    await write(this.#io.stdout, `${text}\n`);
  }

  /** A line for people only, on stderr; nothing with `--json`. */
  note(text: string): void {
    if (!this.json) this.progress.around(`${text}\n`, () => this.#io.stderr.write(`${text}\n`), true);
  }

  /** A chunk of a job's log. */
  async log(jobId: string, text: string): Promise<void> {
    const chunk = this.json ? `${JSON.stringify({ jobId, log: text })}\n` : text;
    let flushed: Promise<void> | undefined;
    this.progress.around(chunk, () => {
      flushed = write(this.#io.stdout, chunk);
    });
    await flushed;
  }
}

/** Writes and, if the stream asks for it, waits for `drain`. */
function write(stream: CliStream, text: string): Promise<void> {
  if (stream.write(text) || stream.once === undefined) return Promise.resolve();
  return new Promise((resolve) => stream.once!("drain", resolve));
}

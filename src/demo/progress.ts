import { fitWidth } from "../util/fit.js";

/** Where the demo's progress goes: `process.stderr` fits as it is. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width; read on every redraw, so a resized window is followed. */
  readonly columns?: number;
}

/**
 * Live progress on stderr. On a terminal it redraws one line in place
 * (status of every job and the elapsed time), cut to the terminal's width
 * with an ellipsis: a line wider than the terminal wraps, and `\r` returns
 * only to the start of its last row, so every redraw would leave a row
 * behind. Anywhere else (CI logs, pipes) it prints a plain, uncut line only
 * when something changed, so logs stay readable.
 *
 * @example
 * ```ts
 * const progress = new Progress(process.stderr);
 * progress.update("spark RUNNING · hive PENDING");
 * progress.done();
 * ```
 */
export class Progress {
  readonly #stream: ProgressStream;
  readonly #started = Date.now();
  #last = "";
  #drawn = false;

  constructor(stream: ProgressStream = process.stderr) {
    this.#stream = stream;
  }

  get elapsedSeconds(): string {
    return ((Date.now() - this.#started) / 1000).toFixed(1);
  }

  /** Shows `text`; on a TTY it replaces the previous line. */
  update(text: string): void {
    if (this.#stream.isTTY) {
      const line = `${this.elapsedSeconds.padStart(5)}s  ${text}`;
      this.#stream.write(`\r\x1b[K${fitWidth(line, this.#stream.columns)}`);
      this.#drawn = true;
    } else if (text !== this.#last) {
      this.#stream.write(`[${this.elapsedSeconds.padStart(5)}s] ${text}\n`);
    }
    this.#last = text;
  }

  /** Ends the in-place line so that normal output can follow. */
  done(): void {
    if (this.#drawn) this.#stream.write("\n");
    this.#drawn = false;
  }
}

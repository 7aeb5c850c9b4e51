/**
 * Live progress on stderr. On a terminal it redraws one line in place
 * (status of every job and the elapsed time); anywhere else (CI logs, pipes)
 * it prints a plain line only when something changed, so logs stay readable.
 */
export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #started = Date.now();
  #last = "";
  #drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#stream = stream;
  }

  get elapsedSeconds(): string {
    return ((Date.now() - this.#started) / 1000).toFixed(1);
  }

  /** Shows `text`; on a TTY it replaces the previous line. */
  update(text: string): void {
    if (this.#stream.isTTY) {
      this.#stream.write(`\r\x1b[K${this.elapsedSeconds.padStart(5)}s  ${text}`);
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

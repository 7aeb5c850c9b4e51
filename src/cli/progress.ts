/**
 * The one-line progress display (`job c9q… RUNNING 4.2s`) on stderr.
 *
 * On a terminal the line is redrawn in place (`\r` + erase line) as the
 * status changes and every 100 ms for the elapsed time, cut to the
 * terminal's width so that it never wraps (a wrapped line stacks up a row
 * per redraw); the timer is unref'd so it never keeps the process alive.
 * When stdout is the same terminal, text printed there (a followed log)
 * erases the line first and redraws it after a complete line, so the two
 * never mix.
 *
 * Without a terminal (CI, pipes) each change of the status is printed once
 * as a plain line (`job c9q… RUNNING 4.2s`), so a log shows how a wait went;
 * with `--json` nothing is printed (stderr then carries only errors).
 *
 * @module
 */
import { fitWidth } from "../util/fit.js";
import type { CliStream } from "./io.js";

const erase = "\r\x1b[2K";

export class Progress {
  readonly #stream: CliStream;
  readonly #enabled: boolean;
  /** No terminal, not `--json`: print each new status as a line. */
  readonly #plain: boolean;
  #lastPlain: string | undefined;
  /** stdout is a terminal too: assume it is the same one. */
  readonly #sharesTerminal: boolean;
  /** The last text printed on stdout ended mid-line: do not draw over it. */
  #midLine = false;
  #text: string | undefined;
  #since = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;

  constructor(stderr: CliStream, stdout: CliStream, json = false) {
    this.#stream = stderr;
    this.#enabled = stderr.isTTY === true;
    this.#plain = !this.#enabled && !json;
    this.#sharesTerminal = stdout.isTTY === true;
  }

  /** Shows `text` followed by the time elapsed since `since` (ms epoch), and keeps it ticking. */
  show(text: string, since: number): void {
    if (this.#plain && text !== this.#lastPlain) {
      this.#lastPlain = text;
      this.#stream.write(`${text} ${formatDuration(Date.now() - since)}\n`);
    }
    if (!this.#enabled) return;
    this.#text = text;
    this.#since = since;
    this.#draw();
    this.#timer ??= setInterval(() => this.#draw(), 100);
    this.#timer.unref?.();
  }

  /** Runs `write`, which prints `text` on stdout (or stderr), without mixing it with the line. */
  around(text: string, write: () => void, onStderr = false): void {
    if (!this.#enabled || (!onStderr && !this.#sharesTerminal)) return write();
    if (this.#drawn) this.#stream.write(erase);
    this.#drawn = false;
    write();
    this.#midLine = !text.endsWith("\n");
    this.#draw();
  }

  /** Erases the line and stops the timer. */
  done(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#text = undefined;
    if (this.#drawn) this.#stream.write(erase);
    this.#drawn = false;
  }

  #draw(): void {
    if (this.#text === undefined || this.#midLine) return;
    const line = `${this.#text} ${formatDuration(Date.now() - this.#since)}`;
    this.#stream.write(`${erase}${fitWidth(line, this.#stream.columns)}`);
    this.#drawn = true;
  }
}

/**
 * A duration for people: `0.4s`, `3.2s`, `2m05s`, `1h02m`.
 *
 * @example
 * ```ts
 * formatDuration(3_210); // "3.2s"
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  return `${m}m${String(total % 60).padStart(2, "0")}s`;
}

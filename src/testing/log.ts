import { mulberry32 } from "./faults.js";

/**
 * A job's driver log: deterministic text derived from the job id, at most
 * `size` bytes of UTF-8 in whole lines (each ends with `\n`, as a real
 * Spark driver log does), generated on first read.
 *
 * Lines deliberately contain multi-byte characters ("→" is 3 bytes, "é" 2,
 * "🚀" 4). `ListLog` pages are cut at exact byte counts, as `page_size` says,
 * so a page boundary can fall inside a character: clients must join the
 * pages' bytes before decoding (see {@link JobLog.page}).
 *
 * @example
 * ```ts
 * const log = new JobLog("c9qjob", 4096, Date.now());
 * log.page(0, log.size, 100).content; // the first 100 bytes
 * ```
 */
export class JobLog {
  readonly #seed: string;
  readonly #requested: number;
  readonly #startMs: number;
  #bytes: Buffer | undefined;

  constructor(seed: string, size: number, startMs: number) {
    this.#seed = seed;
    this.#requested = size;
    this.#startMs = startMs;
  }

  /**
   * Total size in bytes: at most the requested size, cut after the last
   * whole line that fits, so the log is lines that each end with `\n`.
   */
  get size(): number {
    return this.#buffer().length;
  }

  /**
   * How many bytes are readable when `fraction` (0…1) of the run has
   * elapsed: whole lines only while running, the full log at 1.
   */
  visibleLength(fraction: number): number {
    const buf = this.#buffer();
    if (fraction >= 1) return buf.length;
    if (fraction <= 0) return 0;
    const target = Math.floor(buf.length * fraction);
    if (target === 0) return 0;
    return buf.lastIndexOf(0x0a, target - 1) + 1;
  }

  /**
   * Reads from `offset` up to `limit`, at most `pageSize` bytes. The cut is
   * exact, so it may split a multi-byte character between two pages.
   */
  page(offset: number, limit: number, pageSize: number): { content: Uint8Array; end: number } {
    const end = Math.min(limit, offset + pageSize);
    return { content: this.#buffer().subarray(offset, end), end };
  }

  #buffer(): Buffer {
    if (this.#bytes === undefined) this.#bytes = generate(this.#seed, this.#requested, this.#startMs);
    return this.#bytes;
  }
}

function generate(seed: string, size: number, startMs: number): Buffer {
  const random = mulberry32(fnv1a(seed));
  const pick = (n: number): number => Math.floor(random() * n);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < size; i++) {
    const ts = new Date(startMs + i * 37).toISOString();
    const stage = 1 + (i >> 5);
    let line: string;
    // Kinds cycle so that every few hundred bytes hold each multi-byte character.
    switch (i % 5) {
      case 0:
        line = `${ts} INFO  [stage ${stage}] task ${pick(200)}/200 finished in ${10 + pick(900)} ms on executor ${1 + pick(8)} → shuffle ${pick(4096)} KiB`;
        break;
      case 1:
        line = `${ts} WARN  [executor ${1 + pick(8)}] résumé: GC pause ${pick(300)} ms, heap ${40 + pick(60)}% → ok`;
        break;
      case 2:
        line = `${ts} INFO  [sql] rows written: ${pick(1_000_000)} ✓ (partition ${pick(64)})`;
        break;
      case 3:
        line = `${ts} DEBUG [metrics] throughput ${pick(90_000)} rec/s 🚀 job ${seed}`;
        break;
      default:
        line = `${ts} INFO  [driver] stage ${stage} progress ${pick(101)}% — café-latency p99 ${pick(50)} ms`;
    }
    const chunk = Buffer.from(`${line}\n`, "utf8");
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = Buffer.concat(chunks, total);
  if (all.length <= size) return all;
  // Whole lines, as a real driver log has: cut after the last line that fits.
  const lastNewline = all.lastIndexOf(0x0a, size - 1);
  if (lastNewline >= 0) return all.subarray(0, lastNewline + 1);
  // Not even one line fits: a shortened first line, still ending with "\n".
  let end = size - 1;
  while (end > 0 && isContinuation(all[end]!)) end--;
  return Buffer.concat([all.subarray(0, end), Buffer.from("\n")]);
}

/** A byte that continues a multi-byte UTF-8 character (10xxxxxx). */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Encodes a byte offset into a `ListLog` page token. The token also names
 * the job, so a token of one job is rejected for another.
 */
export function encodeLogToken(jobId: string, offset: number): string {
  return Buffer.from(`log:${jobId}:${offset}`, "utf8").toString("base64url");
}

/** Decodes a `ListLog` page token; `undefined` if it is not one of this job's tokens. */
export function decodeLogToken(jobId: string, token: string): number | undefined {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const m = /^log:([^:]+):(\d{1,15})$/.exec(text);
  if (m === null || m[1] !== jobId) return undefined;
  return Number(m[2]);
}

// Small statistics helpers shared by the benchmarks.

/** Median of a list of numbers (NaN for an empty list). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0…100) of an already sorted typed array or array. */
export function percentileSorted(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Percentile of an unsorted list. */
export function percentile(values, p) {
  return percentileSorted(Float64Array.from(values).sort(), p);
}

/** A growable Float64Array for latency samples (no per-sample allocation). */
export class Samples {
  #buf = new Float64Array(1 << 16);
  length = 0;
  push(v) {
    if (this.length === this.#buf.length) {
      const next = new Float64Array(this.#buf.length * 2);
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf[this.length++] = v;
  }
  sorted() {
    return this.#buf.slice(0, this.length).sort();
  }
}

export const round = (v, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

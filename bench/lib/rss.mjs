// Samples the resident set size of this process every `intervalMs` and keeps the peak.
export function rssSampler(intervalMs = 50) {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    /** Returns the peak RSS in bytes so far; stops sampling unless `end` is false. */
    stop(end = true) {
      if (end) clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** Collects garbage (when run with --expose-gc) and returns the settled RSS in bytes. */
export async function settledRss() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage.rss();
}

export const MiB = 1024 * 1024;

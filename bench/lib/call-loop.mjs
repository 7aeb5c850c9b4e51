// The closed loop every per-call benchmark child runs: `concurrency` callers
// call `call()` back to back until `ms` have passed (or, with `calls`, until
// that many calls have started, whichever comes first). Latencies, wall time and
// the process's CPU over the window; the caller shapes the result.
import { Samples, percentileSorted } from "./stats.mjs";

/**
 * @param {() => Promise<unknown>} call
 * @param {{ concurrency: number, ms: number, calls?: number }} window
 * @returns {Promise<{ calls: number, elapsedMs: number, cpuUs: number, callsPerSec: number, p50: number, p99: number, errors: number, firstError: unknown }>}
 */
export async function callLoop(call, { concurrency, ms, calls = Number.POSITIVE_INFINITY }) {
  const samples = new Samples();
  let errors = 0;
  let firstError;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + ms;
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < calls && performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await call();
          samples.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const sorted = samples.sorted();
  return {
    calls: samples.length,
    elapsedMs,
    cpuUs: cpu.user + cpu.system,
    callsPerSec: (samples.length / elapsedMs) * 1000,
    p50: percentileSorted(sorted, 50),
    p99: percentileSorted(sorted, 99),
    errors,
    firstError,
  };
}

/**
 * Waits for `promise` unless `signal` aborts first. The underlying work is not
 * cancelled — it may be a refresh that other callers share — only this
 * caller's wait ends.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Wraps `load` so that concurrent callers share one run of it: while a run
 * is in flight every call gets that run's promise (each caller can still
 * stop waiting with its own signal); once it settles, the next call starts
 * a new one. Credential refreshes use it, so 200 callers cause one lookup.
 *
 * @example
 * ```ts
 * const refresh = singleFlight(() => fetchToken());
 * await Promise.all([refresh(), refresh()]); // one fetchToken() call
 * ```
 */
export function singleFlight<T>(load: () => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let inflight: Promise<T> | undefined;
  return (signal) => {
    if (!inflight) {
      const flight = load();
      inflight = flight;
      const clear = (): void => {
        if (inflight === flight) inflight = undefined;
      };
      flight.then(clear, clear);
    }
    return abortable(inflight, signal);
  };
}

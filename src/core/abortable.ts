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
 * One run of `load` that several callers may wait on. The run is told to
 * stop (the signal `load` got aborts, with the last leaver's reason) once
 * every caller that waited on it has stopped waiting, so a metadata lookup
 * nobody wants any more (every call ended, `close()` was called) does not
 * keep a socket and the process alive until its own timeout. A caller
 * without a signal waits for good, so the run is then never stopped; a run
 * nobody waits on yet (a background refresh) runs to its end.
 *
 * @example
 * ```ts
 * const run = sharedRun((signal) => fetch(url, { signal }).then((r) => r.text()));
 * const a = run.wait(callA.signal), b = run.wait(callB.signal);
 * // both calls abort: the fetch is aborted too
 * ```
 */
export function sharedRun<T>(load: (signal: AbortSignal) => Promise<T>): SharedRun<T> {
  const controller = new AbortController();
  let promise: Promise<T>;
  try {
    promise = load(controller.signal);
  } catch (error) {
    promise = Promise.reject(error);
  }
  let settled = false;
  let waiting = 0;
  let held = false;
  // Observed here, so a run whose waiters all left never rejects unhandled.
  promise.then(
    () => void (settled = true),
    () => void (settled = true),
  );
  return {
    promise,
    get abandoned() {
      return controller.signal.aborted;
    },
    wait(signal) {
      if (!signal) {
        held = true;
        return promise;
      }
      if (signal.aborted) return Promise.reject(signal.reason);
      waiting++;
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          waiting--;
          reject(signal.reason);
          if (waiting === 0 && !held && !settled) controller.abort(signal.reason);
        };
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
    },
  };
}

/** A run of {@link sharedRun}. */
export interface SharedRun<T> {
  /** The run itself; awaiting it does not count as waiting (it never stops the run). */
  readonly promise: Promise<T>;
  /** Everyone who waited left, and the run was told to stop: start a new one instead of joining it. */
  readonly abandoned: boolean;
  /** Waits for the run until `signal` aborts; the last waiter to leave stops the run. */
  wait(signal?: AbortSignal): Promise<T>;
}

/**
 * Wraps `load` so that concurrent callers share one run of it: while a run
 * is in flight every call joins it (each caller can still stop waiting with
 * its own signal); once it settles, the next call starts a new one. When
 * every caller of a run has stopped waiting, the run's signal aborts
 * ({@link sharedRun}). Credential refreshes use it, so 200 callers cause
 * one lookup, and `close()` (which aborts every call) ends that lookup.
 *
 * @example
 * ```ts
 * const refresh = singleFlight((signal) => fetchToken(signal));
 * await Promise.all([refresh(a), refresh(b)]); // one fetchToken() call
 * ```
 */
export function singleFlight<T>(load: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let inflight: SharedRun<T> | undefined;
  return (signal) => {
    // A caller that has already given up starts nothing.
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!inflight || inflight.abandoned) {
      const run = sharedRun(load);
      inflight = run;
      const clear = (): void => {
        if (inflight === run) inflight = undefined;
      };
      run.promise.then(clear, clear);
    }
    return inflight.wait(signal);
  };
}

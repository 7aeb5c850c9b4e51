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
 * One run of `load` that several callers may wait on, kept going for as long
 * as some client that asked for it is open. Each caller's own signal only
 * ends that caller's wait (the result is still cached for the next call, as
 * a shared refresh should be); the run itself is stopped (the signal `load`
 * got aborts) once every owner that held it (a client's close signal) has
 * aborted, so a metadata lookup whose clients all closed does not keep a
 * socket and the process alive until its own timeout. A hold without an
 * owner lasts for good: such a run is never stopped.
 *
 * @example
 * ```ts
 * const run = sharedRun((signal) => fetch(url, { signal }).then((r) => r.text()));
 * run.hold(cloud.closeSignal);
 * await run.wait(call.signal); // the call may give up; cloud.close() stops the fetch
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
  let forever = false;
  // One listener per distinct owner (thousands of calls of one client hold a run through one signal).
  const owners = new Map<AbortSignal, () => void>();
  const release = (): void => {
    settled = true;
    for (const [owner, onAbort] of owners) owner.removeEventListener("abort", onAbort);
    owners.clear();
  };
  // Observed here, so a run nobody waits for never rejects unhandled.
  promise.then(release, release);
  return {
    promise,
    get abandoned() {
      return controller.signal.aborted;
    },
    hold(owner) {
      if (settled || controller.signal.aborted) return;
      if (!owner) {
        forever = true;
        return;
      }
      if (owners.has(owner)) return;
      const onAbort = (): void => {
        owners.delete(owner);
        if (owners.size === 0 && !forever && !settled) controller.abort(owner.reason);
      };
      owners.set(owner, onAbort);
      if (owner.aborted) onAbort();
      else owner.addEventListener("abort", onAbort, { once: true });
    },
    wait(signal) {
      return abortable(promise, signal);
    },
  };
}

/** A run of {@link sharedRun}. */
export interface SharedRun<T> {
  /** The run itself. */
  readonly promise: Promise<T>;
  /** Every owner closed and the run was told to stop: start a new one instead of joining it. */
  readonly abandoned: boolean;
  /** Keeps the run going until `owner` aborts (a client's close signal); without an owner, for good. */
  hold(owner?: AbortSignal): void;
  /** Waits for the run until `signal` aborts; leaving does not stop the run. */
  wait(signal?: AbortSignal): Promise<T>;
}

/**
 * Wraps `load` so that concurrent callers share one run of it: while a run
 * is in flight every call joins it (each caller can still stop waiting with
 * its own signal); once it settles, the next call starts a new one. Each
 * call's `owner` (its client's close signal) holds the run; when every
 * owner has closed, the run's signal aborts ({@link sharedRun}).
 * Credential refreshes use it, so 200 callers cause one lookup, and
 * `close()` ends that lookup.
 *
 * @example
 * ```ts
 * const refresh = singleFlight((signal) => fetchToken(signal));
 * await Promise.all([refresh(callA.signal, cloud.closeSignal), refresh(callB.signal, cloud.closeSignal)]); // one fetchToken() call
 * ```
 */
export function singleFlight<T>(load: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal, owner?: AbortSignal) => Promise<T> {
  let inflight: SharedRun<T> | undefined;
  return (signal, owner) => {
    // A caller that has already given up, or whose client is closed, starts nothing.
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (owner?.aborted) return Promise.reject(owner.reason);
    if (!inflight || inflight.abandoned) {
      const run = sharedRun(load);
      inflight = run;
      const clear = (): void => {
        if (inflight === run) inflight = undefined;
      };
      run.promise.then(clear, clear);
    }
    inflight.hold(owner);
    return inflight.wait(signal);
  };
}

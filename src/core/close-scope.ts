/**
 * What a client's `close()` ends. Every call, pause and wait in flight takes
 * a signal from {@link CloseScope.link}; `close()` aborts all of them at once
 * with one reason. The scope keeps its own set instead of adding a listener
 * per call to one shared signal, so thousands of concurrent calls trigger no
 * "possible EventTarget memory leak" warning, and nothing is left behind
 * once a call ends (`dispose`).
 *
 * @example
 * ```ts
 * const scope = new CloseScope();
 * const linked = scope.link(options.signal);
 * try { await call({ signal: linked.signal }); } finally { linked.dispose(); }
 * scope.close(new Error("client closed"));
 * ```
 * @internal
 */
export class CloseScope {
  readonly #controller = new AbortController();
  readonly #open = new Set<AbortController>();
  /** Controllers of calls that succeeded (no listener left): ready for the next {@link lease}. */
  readonly #spare: AbortController[] = [];

  /** Aborts once {@link close} is called; the reason is the one given there. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * A signal that aborts when `signal` does (with its reason) or when the
   * scope closes (with the close reason), and a `dispose()` to call once the
   * work it serves is over.
   */
  link(signal?: AbortSignal): { readonly signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    if (this.signal.aborted) {
      controller.abort(this.signal.reason);
      return { signal: controller.signal, dispose: () => {} };
    }
    if (signal?.aborted) {
      controller.abort(signal.reason);
      return { signal: controller.signal, dispose: () => {} };
    }
    this.#open.add(controller);
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    return {
      signal: controller.signal,
      dispose: () => {
        this.#open.delete(controller);
        signal?.removeEventListener("abort", onAbort);
      },
    };
  }

  /**
   * Like {@link link}, for a Connect call's signal, plus `release()`: the
   * call succeeded, so Connect, the only listener, has already unlinked the
   * signal from its own controller, and the controller can serve a later
   * lease instead of a new one being made per call (an `AbortController`
   * costs several µs in Node, a visible share of a unary call's CPU).
   * `dispose()` (after a failure) never reuses the controller: a call that
   * failed early may have left Connect's listener behind. Either may be
   * called more than once; the first call counts.
   */
  lease(signal?: AbortSignal): { readonly signal: AbortSignal; release(): void; dispose(): void } {
    if (this.signal.aborted || signal?.aborted) {
      const linked = this.link(signal);
      return { signal: linked.signal, release: linked.dispose, dispose: linked.dispose };
    }
    const controller = this.#spare.pop() ?? new AbortController();
    this.#open.add(controller);
    let onAbort: (() => void) | undefined;
    if (signal) {
      onAbort = (): void => controller.abort(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    let ended = false;
    const end = (reuse: boolean): void => {
      if (ended) return;
      ended = true;
      this.#open.delete(controller);
      if (onAbort) signal!.removeEventListener("abort", onAbort);
      if (reuse && !controller.signal.aborted && !this.signal.aborted) this.#spare.push(controller);
    };
    return { signal: controller.signal, release: () => end(true), dispose: () => end(false) };
  }

  /** Aborts everything linked so far, and everything linked later, with `reason`. */
  close(reason: unknown): void {
    if (this.signal.aborted) return;
    this.#controller.abort(reason);
    for (const controller of this.#open) controller.abort(reason);
    this.#open.clear();
    this.#spare.length = 0;
  }
}

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

  /** Aborts everything linked so far, and everything linked later, with `reason`. */
  close(reason: unknown): void {
    if (this.signal.aborted) return;
    this.#controller.abort(reason);
    for (const controller of this.#open) controller.abort(reason);
    this.#open.clear();
  }
}

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
  lease(signal?: AbortSignal): Lease {
    if (this.signal.aborted || signal?.aborted) {
      const linked = this.link(signal);
      return { signal: linked.signal, release: linked.dispose, dispose: linked.dispose };
    }
    return new LeasedSignal(this.#spare.pop() ?? new AbortController(), signal, this.#open, this.#spare, this.#controller.signal);
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

/** A call's signal from {@link CloseScope.lease}. @internal */
export interface Lease {
  readonly signal: AbortSignal;
  /** The call succeeded: the controller may serve a later lease. */
  release(): void;
  /** The call failed or was abandoned: the controller is dropped. */
  dispose(): void;
}

/**
 * One object per call rather than a closure per method: a lease is made on
 * every unary call, so its allocation is part of every call's cost.
 */
class LeasedSignal implements Lease {
  readonly signal: AbortSignal;
  readonly #controller: AbortController;
  readonly #parent: AbortSignal | undefined;
  readonly #open: Set<AbortController>;
  readonly #spare: AbortController[];
  readonly #closed: AbortSignal;
  #onAbort: (() => void) | undefined;
  #ended = false;

  constructor(controller: AbortController, parent: AbortSignal | undefined, open: Set<AbortController>, spare: AbortController[], closed: AbortSignal) {
    this.#controller = controller;
    this.signal = controller.signal;
    this.#parent = parent;
    this.#open = open;
    this.#spare = spare;
    this.#closed = closed;
    open.add(controller);
    if (parent) {
      this.#onAbort = (): void => controller.abort(parent.reason);
      parent.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  release(): void {
    this.#end(true);
  }

  dispose(): void {
    this.#end(false);
  }

  #end(reuse: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#open.delete(this.#controller);
    if (this.#onAbort) this.#parent!.removeEventListener("abort", this.#onAbort);
    if (reuse && !this.signal.aborted && !this.#closed.aborted) this.#spare.push(this.#controller);
  }
}

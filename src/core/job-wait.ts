import type { Clock } from "./clock.js";
import type { JobWaitOptions } from "./job-model.js";
import { Poller } from "./poll.js";
import type { PollDefaults, PollFailures } from "./poll.js";
import type { Sleep } from "./sleep.js";
import { waitSpan } from "./tracing.js";

/** How long the one cancel call of `cancelOnAbort` may take (a real timer, `AbortSignal.timeout`). */
export const cancelOnAbortDeadlineMs = 30_000;

/** What a cloud gives {@link waitForJobEnd}: its clock, sleep and close signal. */
export interface JobWaitEnv {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly closeSignal: AbortSignal;
}

/** One cloud's job, for {@link waitForJobEnd}. */
export interface JobWaitSpec<J> {
  /** Delays when the caller gives none (the cloud's documented defaults). */
  readonly defaults: PollDefaults;
  /** The cloud's errors for a timeout and an abort; `last` is the last job read. */
  failures(last: () => J | undefined): PollFailures;
  /** The path of the method `read` calls (`/pkg.JobService/Get`): the wait's span is `wait JobService/Get`. */
  readonly method: string;
  /** Reads the job once. */
  read(signal: AbortSignal | undefined): Promise<J>;
  /** The provider status, to tell a change (for `onStatus`). */
  status(job: J): string;
  /** Whether the job will not change again. */
  isFinal(job: J): boolean;
  /** Requests a cancel (for `cancelOnAbort`). */
  cancel(signal: AbortSignal): Promise<void>;
}

/**
 * The one job wait of every cloud: reads the job until it is final, calls
 * `onStatus` on the first read and on each status change, backs off with the
 * shared {@link Poller}, and — with `cancelOnAbort` — cancels the job once
 * when the wait ends by its signal or `timeoutMs` (not on close, not on a
 * failed read) before rejecting.
 *
 * @example
 * ```ts
 * wait: (options) => waitForJobEnd(cloud, options, { defaults, failures, read, status: (r) => r.state, isFinal, cancel }),
 * ```
 * @internal
 */
export async function waitForJobEnd<J>(env: JobWaitEnv, options: JobWaitOptions<J> = {}, spec: JobWaitSpec<J>): Promise<J> {
  if (options.onStatus !== undefined && typeof options.onStatus !== "function") throw new TypeError(`onStatus: expected a function, got ${typeof options.onStatus}`);
  if (options.cancelOnAbort !== undefined && typeof options.cancelOnAbort !== "boolean") {
    throw new TypeError(`cancelOnAbort: expected true or false, got ${JSON.stringify(options.cancelOnAbort) ?? typeof options.cancelOnAbort}`);
  }
  let last: J | undefined;
  let timedOut = false;
  const failures = spec.failures(() => last);
  const poller = new Poller(env, options, spec.defaults, {
    timeout: (ms, polls) => {
      timedOut = true;
      return failures.timeout(ms, polls);
    },
    aborted: failures.aborted,
  });
  let lastStatus: string | undefined;
  const span = waitSpan(env, "wait", spec.method);
  try {
    for (;;) {
      poller.checkAborted();
      const job = await span.poll(() => spec.read(poller.signal));
      last = job;
      const status = spec.status(job);
      if (status !== lastStatus) {
        lastStatus = status;
        options.onStatus?.(job);
      }
      if (spec.isFinal(job)) {
        span.end();
        return job;
      }
      await poller.pause();
    }
  } catch (error) {
    span.end(error);
    const endedByCaller = (timedOut || options.signal?.aborted === true) && !env.closeSignal.aborted;
    if (options.cancelOnAbort === true && endedByCaller) await cancelOnce(spec, error);
    throw error;
  }
}

/**
 * The one cancel call of `cancelOnAbort`, under a deadline of its own (the
 * caller's signal has already fired). A failed cancel becomes `error.cause`,
 * so the caller learns the job may still be running.
 */
async function cancelOnce<J>(spec: JobWaitSpec<J>, error: unknown): Promise<void> {
  try {
    // A timer of its own (not the cloud's sleep): a test clock's sleep moves
    // time at once, which would end the cancel before it is sent.
    await spec.cancel(AbortSignal.timeout(cancelOnAbortDeadlineMs));
  } catch (cancelError) {
    if (error !== null && typeof error === "object") {
      Object.defineProperty(error, "cause", { value: cancelError, configurable: true, writable: true, enumerable: false });
    }
  }
}

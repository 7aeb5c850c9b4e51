import { ConnectError } from "@connectrpc/connect";
import { asConnectError } from "./connect-error.js";

/**
 * Waits `ms` or until `signal` aborts. Injectable so that tests driving the
 * emulator's manual clock can advance time instead of waiting for it.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The real sleep. Aborting clears the timer at once, so a cancelled wait
 * leaves nothing behind that keeps the process alive.
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(asConnectError(signal.reason));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(asConnectError(signal!.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

import { once } from "node:events";

/**
 * The next process warning, caught by the test instead of printed: a test
 * that makes the package warn on purpose (plaintext to a listed host) checks
 * the warning itself, so Node's printer is paused until it has arrived, and
 * `npm test` shows no warning a newcomer has to wonder about. Any other
 * listener keeps hearing it; `restore()` puts the printer back.
 *
 * @example
 * ```ts
 * const caught = catchNextWarning();
 * try { trigger(); expect((await caught.warning).code).toBe("X"); } finally { caught.restore(); }
 * ```
 */
export function catchNextWarning(): { readonly warning: Promise<Error & { code?: string }>; restore(): void } {
  // Node installs its printer as a "warning" listener at start-up; it is the
  // only one unless a test added its own, and all are put back as they were.
  const listeners = process.listeners("warning");
  for (const listener of listeners) process.removeListener("warning", listener);
  const warning = once(process, "warning").then(([emitted]) => emitted as Error & { code?: string });
  return {
    warning,
    restore: () => {
      for (const listener of listeners) process.on("warning", listener);
    },
  };
}

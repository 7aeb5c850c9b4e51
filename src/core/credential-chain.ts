import { CloudCredentialsError } from "./credentials-error.js";

/**
 * Asks each source in turn and returns the first one's answer. A source that
 * fails with a {@link CloudCredentialsError} whose `tryNext` is set (it is
 * not configured here) hands on to the next, and its message is kept; any
 * other failure (configured but broken, a bug) stops the chain with that
 * error, because silently using a lower-priority identity would be worse.
 * Once `signal` has aborted nobody waits any more, so the chain goes no
 * further. When every source handed on, `none(tried)` builds the error,
 * given the messages of what was tried, in order.
 *
 * @example
 * ```ts
 * const identity = await firstAvailable(providers, (p) => p.resolve(context), context.signal, (tried) =>
 *   new AwsCredentialsError(`no AWS credentials found; tried:\n  ${tried.join("\n  ")}`, { tryNext: false }));
 * ```
 */
export async function firstAvailable<S, T>(
  sources: readonly S[],
  ask: (source: S) => Promise<T>,
  signal: AbortSignal | undefined,
  none: (tried: readonly string[]) => Error,
): Promise<T> {
  const tried: string[] = [];
  for (const source of sources) {
    try {
      return await ask(source);
    } catch (error) {
      if (error instanceof CloudCredentialsError && error.tryNext && !signal?.aborted) {
        tried.push(error.message);
        continue;
      }
      throw error;
    }
  }
  throw none(tried);
}

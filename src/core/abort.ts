import { Code, ConnectError } from "@connectrpc/connect";
import { isConnectError } from "./connect-error.js";

/**
 * The code an abort reason stands for: a `ConnectError` keeps its own code
 * (a deadline is DEADLINE_EXCEEDED, `cloud.close()` is CANCELED), a
 * `TimeoutError` (from `AbortSignal.timeout()`) is DEADLINE_EXCEEDED, anything
 * else — `controller.abort()`, a custom reason — is CANCELED.
 *
 * @example
 * ```ts
 * abortCode(AbortSignal.timeout(10).reason); // Code.DeadlineExceeded (once fired)
 * ```
 */
export function abortCode(reason: unknown): Code {
  if (isConnectError(reason)) return reason.code;
  if (reason instanceof Error && reason.name === "TimeoutError") return Code.DeadlineExceeded;
  return Code.Canceled;
}

/** A short text for an abort reason, for messages. */
export function abortText(reason: unknown): string {
  if (isConnectError(reason)) return reason.rawMessage;
  if (reason instanceof Error) return reason.message || reason.name;
  return reason === undefined ? "aborted" : String(reason);
}

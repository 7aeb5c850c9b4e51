import { ConnectError } from "@connectrpc/connect";
import type { Code } from "@connectrpc/connect";

/**
 * Whether `value` is a `ConnectError`, our own errors included. Connect's
 * `instanceof ConnectError` accepts a subclass only when its `name` is
 * `"ConnectError"`, and ours keep names of their own (one per cloud) so that logs tell them apart; their prototype chain still
 * runs through the program's one `ConnectError`, which is what this checks.
 *
 * @example
 * ```ts
 * isConnectError(new AwsError(parts)); // true, although `instanceof ConnectError` is false
 * ```
 */
export function isConnectError(value: unknown): value is ConnectError {
  return value instanceof ConnectError || (typeof value === "object" && value !== null && ConnectError.prototype.isPrototypeOf(value));
}

/**
 * `ConnectError.from` that keeps our errors as they are: Connect's own would
 * wrap a `CloudError` (whose name is not `"ConnectError"`) into a new UNKNOWN
 * error and lose its code.
 *
 * @example
 * ```ts
 * asConnectError(cloudError).code; // the cloud error's code, not UNKNOWN
 * ```
 */
export function asConnectError(reason: unknown, code?: Code): ConnectError {
  return isConnectError(reason) ? reason : ConnectError.from(reason, code);
}

/**
 * The error our code raised, if Connect wrapped it on the way out. Connect's
 * call runner passes every failure through `ConnectError.from`, which does
 * not recognise our errors (see {@link isConnectError}) and wraps them as
 * UNKNOWN with the original as `cause`; the call guard takes it back.
 */
export function unwrapConnect(error: unknown): unknown {
  if (error instanceof ConnectError && Object.getPrototypeOf(error) === ConnectError.prototype) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== error && isConnectError(cause) && Object.getPrototypeOf(cause) !== ConnectError.prototype && cause.message === error.rawMessage) return cause;
  }
  return error;
}

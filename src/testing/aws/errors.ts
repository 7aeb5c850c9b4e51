import type { Code } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";

/**
 * A handler error that names the AWS error type the face should answer with
 * (`x-amzn-ErrorType`), since one Connect code stands for several AWS types.
 *
 * @example
 * ```ts
 * throw awsError(Code.InvalidArgument, "ValidationException", "Application x is in STOPPED state");
 * ```
 */
export function awsError(code: Code, type: string, message: string): ConnectError {
  return new ConnectError(message, code, { "x-amzn-errortype": type });
}

import { ConnectError } from "@connectrpc/connect";

const codes = new WeakMap<object, string>();

/**
 * Tags an emulator error with the MRS `error_code` the Huawei face writes
 * (the API reference gives e.g. 0162 "Failed to query the job", 0166 list,
 * 0168 submit, 0175 kill, 0161 batch delete). Returns the error.
 */
export function withHuaweiCode(error: unknown, code: string): unknown {
  if (error instanceof ConnectError && !codes.has(error)) codes.set(error, code);
  return error;
}

/** The code {@link withHuaweiCode} set, if any. */
export function huaweiCodeOf(error: ConnectError): string | undefined {
  return codes.get(error);
}

import { ConnectError } from "@connectrpc/connect";
import { isConnectError } from "../../core/connect-error.js";

/**
 * Carries the MRS `error_code` from a handler to the Huawei face. It rides
 * in the error's metadata because the REST server runs handlers through the
 * Connect protocol, which keeps headers but not the error instance; the face
 * writes its own headers, so this one never reaches a client.
 */
const errorCodeHeader = "x-emulator-huawei-error-code";

/**
 * Tags an emulator error with the MRS `error_code` the Huawei face writes
 * (the API reference gives e.g. 0162 "Failed to query the job", 0166 list,
 * 0168 submit, 0175 kill, 0161 batch delete). Returns the error.
 */
export function withHuaweiCode(error: unknown, code: string): unknown {
  if (isConnectError(error) && !error.metadata.has(errorCodeHeader)) error.metadata.set(errorCodeHeader, code);
  return error;
}

/** The code {@link withHuaweiCode} set, if any. */
export function huaweiCodeOf(error: ConnectError): string | undefined {
  return error.metadata.get(errorCodeHeader) ?? undefined;
}

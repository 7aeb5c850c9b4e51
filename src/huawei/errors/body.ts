/** Huawei's error fields found in a response body. */
export interface HuaweiErrorBody {
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly encodedAuthorizationMessage?: string;
  readonly requestId?: string;
}

/**
 * Reads a Huawei error body the way the Go SDK does (`core/sdkerr/errors.go`
 * `processServiceResponseError`): `error_code` + `error_msg`, else `code` +
 * `message`, else the first nested object that has either pair.
 * `encoded_authorization_message` and `request_id` are kept when present.
 *
 * @example
 * ```ts
 * readErrorBody({ error: { code: "MRS.0001", message: "no such cluster" } });
 * // { errorCode: "MRS.0001", errorMessage: "no such cluster" }
 * ```
 */
export function readErrorBody(json: unknown, depth = 0): HuaweiErrorBody | undefined {
  if (!isObject(json) || depth > 8) return undefined;
  const extra = {
    ...(str(json.encoded_authorization_message) ? { encodedAuthorizationMessage: str(json.encoded_authorization_message) } : {}),
    ...(str(json.request_id) ? { requestId: str(json.request_id) } : {}),
  };
  for (const [codeKey, messageKey] of [
    ["error_code", "error_msg"],
    ["code", "message"],
  ] as const) {
    const code = str(json[codeKey]);
    const message = str(json[messageKey]);
    if (code && message) return { errorCode: code, errorMessage: message, ...extra };
  }
  for (const value of Object.values(json)) {
    const nested = readErrorBody(value, depth + 1);
    if (nested) return { ...extra, ...nested };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string value, else `undefined` (numbers count: some services send numeric codes). */
function str(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

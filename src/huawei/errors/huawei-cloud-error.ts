import { ConnectError } from "@connectrpc/connect";
import type { Code } from "@connectrpc/connect";

/** What a Huawei Cloud error response said, beside the Connect code. */
export interface HuaweiErrorFields {
  /** Huawei's own code, e.g. `"APIGW.0301"` (gateway) or `"0162"` (MRS). Empty when the body had none. */
  readonly errorCode: string;
  /** The HTTP status of the response. */
  readonly httpStatus: number;
  /** `X-Request-Id` of the response (what Huawei support asks for). */
  readonly requestId?: string;
  /** IAM's encoded explanation of a permission failure, when sent. */
  readonly encodedAuthorizationMessage?: string;
}

/**
 * A failed Huawei Cloud call: a `ConnectError` (code from the HTTP status,
 * `metadata` = response headers) that keeps Huawei's `error_code`, the HTTP
 * status and the `X-Request-Id`.
 *
 * It extends `ConnectError` directly for now; once the shared `CloudError`
 * base (src/core/cloud-error.ts) lands it should extend that. Like it, it
 * keeps `name === "ConnectError"` (Connect recognises its errors by name and
 * would re-wrap any other) and answers `instanceof` by prototype.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof HuaweiCloudError && error.errorCode === "APIGW.0301") console.error(error.message);
 * }
 * ```
 */
export class HuaweiCloudError extends ConnectError implements HuaweiErrorFields {
  override name = "ConnectError";
  readonly errorCode: string;
  readonly httpStatus: number;
  readonly requestId?: string;
  readonly encodedAuthorizationMessage?: string;

  constructor(message: string, code: Code, fields: HuaweiErrorFields, metadata?: Headers) {
    super(message, code, metadata);
    this.errorCode = fields.errorCode;
    this.httpStatus = fields.httpStatus;
    if (fields.requestId) this.requestId = fields.requestId;
    if (fields.encodedAuthorizationMessage) this.encodedAuthorizationMessage = fields.encodedAuthorizationMessage;
  }

  /** Plain prototype-chain `instanceof` (the inherited check accepts any ConnectError). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.prototype.isPrototypeOf.call(HuaweiCloudError.prototype, value);
  }

  /** A clean object for logs: no headers, nothing secret. */
  toJSON(): Record<string, unknown> {
    return {
      error: "HuaweiCloudError",
      code: this.code,
      errorCode: this.errorCode,
      httpStatus: this.httpStatus,
      message: this.rawMessage,
      ...(this.requestId ? { requestId: this.requestId } : {}),
    };
  }
}

import { ConnectError } from "@connectrpc/connect";
import type { Code } from "@connectrpc/connect";
import { CloudError } from "../../core/cloud-error.js";
import type { CloudErrorJson } from "../../core/cloud-error.js";
import { failureOf, markFailure } from "../../core/failure.js";
import { asConnectError } from "../../core/connect-error.js";

/** What a Huawei Cloud error response said, beside the Connect code. */
export interface HuaweiErrorFields {
  /** Huawei's own code, e.g. `"APIGW.0301"` (gateway) or `"0162"` (MRS). Empty when no Huawei service answered. */
  readonly errorCode: string;
  /** The HTTP status of the response; 0 when none arrived. */
  readonly httpStatus: number;
  /** `X-Request-Id` of the response (what Huawei support asks for). */
  readonly requestId?: string;
  /** IAM's encoded explanation of a permission failure, when sent. */
  readonly encodedAuthorizationMessage?: string;
}

/** Where the call went, for the {@link CloudError} fields. */
export interface HuaweiCallContext {
  readonly method?: string;
  readonly endpoint?: string;
  readonly attempts?: number;
  readonly cause?: unknown;
}

/**
 * The one error type of the Huawei clients: every failure of a Huawei call
 * or helper (an error answer, a broken connection, a deadline, an abort, a
 * `wait()` that timed out, a closed cloud, credentials that failed, a
 * request refused by the client-side checks) is a `HuaweiCloudError`. It is
 * a {@link CloudError} (a `ConnectError` with `code`, plus `method`,
 * `endpoint`, `attempts`, `ids`, clean `toJSON()`) that keeps Huawei's
 * `error_code`, the HTTP status and the `X-Request-Id`. Never a secret.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof HuaweiCloudError && error.errorCode === "APIGW.0301") console.error(error.message);
 * }
 * ```
 */
export class HuaweiCloudError extends CloudError implements HuaweiErrorFields {
  override name = "HuaweiCloudError";

  readonly errorCode: string;
  readonly httpStatus: number;
  readonly requestId?: string;
  readonly encodedAuthorizationMessage?: string;

  constructor(message: string, code: Code, fields: HuaweiErrorFields, metadata?: Headers, context: HuaweiCallContext = {}) {
    super(
      message,
      code,
      { method: context.method ?? "", endpoint: context.endpoint, attempts: context.attempts, ids: { "x-request-id": fields.requestId } },
      { metadata, cause: context.cause },
    );
    Object.setPrototypeOf(this, new.target.prototype);
    this.errorCode = fields.errorCode;
    this.httpStatus = fields.httpStatus;
    if (fields.requestId) this.requestId = fields.requestId;
    if (fields.encodedAuthorizationMessage) this.encodedAuthorizationMessage = fields.encodedAuthorizationMessage;
  }

  /**
   * Any error of a Huawei call as a `HuaweiCloudError` naming the method,
   * endpoint and attempts; a decoded one keeps its Huawei fields, anything
   * else its code, message, metadata and retry mark.
   */
  static wrap(error: unknown, context: HuaweiCallContext & { method: string }): HuaweiCloudError {
    const connect = error instanceof HuaweiCloudError ? error : asConnectError(error);
    const base = connect instanceof HuaweiCloudError ? connect : undefined;
    const wrapped = new HuaweiCloudError(
      connect.rawMessage,
      connect.code,
      {
        errorCode: base?.errorCode ?? "",
        httpStatus: base?.httpStatus ?? 0,
        ...(base?.requestId ? { requestId: base.requestId } : {}),
        ...(base?.encodedAuthorizationMessage ? { encodedAuthorizationMessage: base.encodedAuthorizationMessage } : {}),
      },
      connect.metadata,
      { ...context, cause: base ? base.cause : connect === error ? (connect.cause ?? error) : error },
    );
    wrapped.message = `${wrapped.message} ${CloudError.describe(context, [])}`;
    return markFailure(wrapped, failureOf(connect));
  }

  /** A clean object for logs: no headers, nothing secret. */
  override toJSON(): CloudErrorJson & { errorCode: string; httpStatus: number; requestId?: string } {
    return {
      ...super.toJSON(),
      error: "HuaweiCloudError",
      errorCode: this.errorCode,
      httpStatus: this.httpStatus,
      ...(this.requestId ? { requestId: this.requestId } : {}),
    };
  }
}

/** A {@link HuaweiCloudError} raised on this side, nothing sent (or nothing answered). @internal */
export function localHuaweiError(code: Code, message: string, context: HuaweiCallContext = {}): HuaweiCloudError {
  const error = new HuaweiCloudError(message, code, { errorCode: "", httpStatus: 0 }, undefined, context);
  return markFailure(error, { origin: "local" });
}

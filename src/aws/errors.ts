import { Code, ConnectError } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import { CloudError } from "../core/cloud-error.js";
import type { CloudErrorContext, CloudErrorJson } from "../core/cloud-error.js";
import { failureOf, markFailure } from "../core/failure.js";
import { codeFromHttpStatus, retryAfterMs } from "../rest/http-status.js";
import type { ErrorBodyDecoder, HttpErrorResponse } from "../rest/types.js";
import { asConnectError } from "../core/connect-error.js";

/** `JSON.stringify(error)` of an {@link AwsError}: the {@link CloudErrorJson} fields plus AWS's. */
export interface AwsErrorJson extends CloudErrorJson {
  readonly error: string;
  /** The AWS error name; `""` when no AWS service answered (a broken connection, a deadline). */
  readonly awsErrorType: string;
  /** HTTP status of the answer; 0 when none arrived. */
  readonly httpStatus: number;
  readonly requestId: string | null;
}

/** What an {@link AwsError} is made from. */
export interface AwsErrorParts {
  readonly code: Code;
  /** The AWS error name (`ResourceNotFoundException`); `""` when no AWS service answered. */
  readonly awsErrorType: string;
  /** The service's own message (or what went wrong on this side). */
  readonly awsMessage: string;
  /** HTTP status of the answer; 0 when none arrived. */
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  /** `/package.Service/Method`, e.g. `/aws.emr_serverless.v1.EmrServerlessService/CancelJobRun`. */
  readonly method: string;
  readonly endpoint?: string;
  readonly attempts?: number;
  readonly headers?: Headers;
  readonly cause?: unknown;
  readonly violations?: CloudErrorContext["violations"];
}

/**
 * The one error type of the AWS clients: every failure of an AWS call or
 * helper — an AWS error answer, a broken connection, a deadline, an abort,
 * a `wait()` that timed out, a closed cloud, a refused plaintext endpoint,
 * credentials that could not be resolved, a request that failed
 * validation — is an `AwsError`. It is a {@link CloudError} (so a
 * `ConnectError` with `code`, and `method`, `endpoint`, `attempts`, `ids`,
 * a clean `toJSON()`), plus the AWS error name (`awsErrorType`, the `name`
 * the AWS SDK gives its error, `""` when no AWS service answered), the
 * service's message, the HTTP status and `x-amzn-RequestId`, which AWS
 * support asks for. It never holds a credential.
 *
 * @example
 * ```ts
 * try { await emr.getJobRun({ applicationId, jobRunId }); }
 * catch (e) { if (e instanceof AwsError && e.awsErrorType === "ResourceNotFoundException") … }
 * ```
 */
export class AwsError extends CloudError {
  override name = "AwsError";

  /** The AWS error name, sanitised (`ValidationException`); `""` when no AWS service answered. */
  readonly awsErrorType: string;
  /** The service's message, as the AWS SDK's `error.message` has it. */
  readonly awsMessage: string;
  /** HTTP status of the answer; 0 when none arrived. */
  readonly httpStatus: number;
  /** `x-amzn-RequestId` of the answer. */
  readonly requestId: string | undefined;

  constructor(parts: AwsErrorParts) {
    const text = parts.awsErrorType ? `${parts.awsErrorType}: ${parts.awsMessage}` : parts.awsMessage;
    const context: CloudErrorContext = {
      method: parts.method,
      endpoint: parts.endpoint,
      attempts: parts.attempts,
      ids: { "x-amzn-requestid": parts.requestId },
      violations: parts.violations,
    };
    super(text, parts.code, context, { metadata: parts.headers, cause: parts.cause });
    Object.setPrototypeOf(this, new.target.prototype);
    this.awsErrorType = parts.awsErrorType;
    this.awsMessage = parts.awsMessage;
    this.httpStatus = parts.httpStatus;
    this.requestId = parts.requestId;
    this.message = `${this.message} ${AwsError.describe(context, [["request-id", parts.requestId]])}`;
  }

  /**
   * Any error of an AWS call as an `AwsError`: an `AwsError` from the
   * decoder keeps its AWS fields and gets the call's endpoint and attempts;
   * anything else (a deadline, an abort, a broken connection, credentials
   * that failed) keeps its code, message, metadata and retry mark.
   */
  static wrap(error: unknown, context: { method: string; endpoint?: string; attempts?: number }): AwsError {
    const connect = error instanceof AwsError ? error : asConnectError(error);
    const base = connect instanceof AwsError ? connect : undefined;
    const wrapped = new AwsError({
      code: connect.code,
      awsErrorType: base?.awsErrorType ?? "",
      awsMessage: base?.awsMessage ?? connect.rawMessage,
      httpStatus: base?.httpStatus ?? 0,
      requestId: base?.requestId,
      method: context.method,
      endpoint: base?.endpoint ?? context.endpoint,
      attempts: context.attempts ?? base?.attempts,
      headers: connect.metadata,
      cause: base ? base.cause : connect === error ? (connect.cause ?? error) : error,
      violations: base?.violations,
    });
    return markFailure(wrapped, failureOf(connect));
  }

  override toJSON(): AwsErrorJson {
    return {
      ...super.toJSON(),
      message: this.awsMessage,
      awsErrorType: this.awsErrorType,
      httpStatus: this.httpStatus,
      requestId: this.requestId ?? null,
    };
  }
}

/** An {@link AwsError} raised on this side, before or instead of an answer (nothing for AWS to name). @internal */
export function localAwsError(code: Code, message: string, context: { method: string; endpoint?: string; attempts?: number; cause?: unknown; violations?: CloudErrorContext["violations"] }): AwsError {
  return markFailure(
    new AwsError({ code, awsErrorType: "", awsMessage: message, httpStatus: 0, requestId: undefined, ...context }),
    { origin: "local" },
  );
}

/**
 * The restJson1 error name: from `x-amzn-ErrorType`, else the body's
 * `__type`, else its `code`; cut at the first `:`, then keep what follows the
 * first `#` (`aws.protocoltests#FooError:http://…` → `FooError`).
 */
export function sanitizeErrorType(raw: string): string {
  let type = raw;
  const colon = type.indexOf(":");
  if (colon >= 0) type = type.slice(0, colon);
  const hash = type.indexOf("#");
  if (hash >= 0) type = type.slice(hash + 1);
  return type.trim();
}

const throttling = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "LimitExceededException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "BandwidthLimitExceeded",
]);

const authentication = new Set([
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "RequestExpired",
  "RequestTimeTooSkewed",
]);

/** The Connect code and the provider's retry verdict for an AWS error name. */
export function classifyAwsError(type: string, status: number): { code: Code; retryable?: boolean } {
  switch (type) {
    case "ValidationException":
      return { code: Code.InvalidArgument };
    case "ResourceNotFoundException":
      return { code: Code.NotFound };
    case "ConflictException":
      return { code: Code.AlreadyExists };
    case "ServiceQuotaExceededException":
      return { code: Code.ResourceExhausted, retryable: false };
    case "InternalServerException":
    case "InternalFailure":
    case "InternalServerError":
      return { code: Code.Internal, retryable: true };
    case "ServiceUnavailable":
    case "ServiceUnavailableException":
      return { code: Code.Unavailable, retryable: true };
    case "AccessDeniedException":
      return { code: Code.PermissionDenied };
  }
  if (throttling.has(type)) return { code: Code.ResourceExhausted, retryable: true };
  if (authentication.has(type)) return { code: Code.Unauthenticated, retryable: false };
  const code = codeFromHttpStatus(status);
  // Like the AWS SDK: 500, 502, 503, 504 are transient; 429 is throttling.
  if ([500, 502, 503, 504].includes(status)) return { code, retryable: true };
  if (status === 429) return { code: Code.ResourceExhausted, retryable: true };
  return { code };
}

function field(json: unknown, ...names: string[]): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  for (const name of names) {
    const value = (json as Record<string, unknown>)[name];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * The {@link ErrorBodyDecoder} for AWS JSON protocols (restJson1): the
 * error name from `x-amzn-ErrorType`, `__type` or `code`; the message from
 * `message` or `Message`; the request id from `x-amzn-RequestId`. The result
 * is an {@link AwsError} marked with the provider's retry verdict, so the
 * retry layer retries throttling and (for idempotent calls)
 * `InternalServerException`, never a quota error.
 *
 * @example
 * ```ts
 * createRestTransport({ baseUrl, registry, errorDecoder: awsErrorDecoder });
 * ```
 */
export const awsErrorDecoder: ErrorBodyDecoder = (response: HttpErrorResponse, method: DescMethod): ConnectError => {
  const header = response.headers.get("x-amzn-errortype");
  const raw = header ?? field(response.json, "__type", "code", "Code");
  const type = raw ? sanitizeErrorType(raw) : `Http${response.status}Error`;
  const message = field(response.json, "message", "Message", "errorMessage") ?? (response.statusText || `HTTP ${response.status}`);
  const { code, retryable } = classifyAwsError(type, response.status);
  const error = new AwsError({
    code,
    awsErrorType: type,
    awsMessage: message,
    httpStatus: response.status,
    requestId: response.headers.get("x-amzn-requestid") ?? response.headers.get("x-amz-request-id") ?? undefined,
    method: `/${method.parent.typeName}/${method.name}`,
    headers: response.headers,
  });
  const after = retryAfterMs(response.headers);
  return markFailure(error, {
    origin: "server",
    ...(retryable === undefined ? {} : { retryable }),
    ...(after === undefined ? {} : { retryAfterMs: after }),
  });
};

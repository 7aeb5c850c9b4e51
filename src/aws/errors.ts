import { Code, ConnectError } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import { markFailure } from "../core/failure.js";
import { codeFromHttpStatus, retryAfterMs } from "../rest/http-status.js";
import type { ErrorBodyDecoder, HttpErrorResponse } from "../rest/types.js";

/** `JSON.stringify(error)` of an {@link AwsError}. */
export interface AwsErrorJson {
  readonly error: "AwsError";
  readonly code: string;
  readonly awsErrorType: string;
  readonly message: string;
  readonly httpStatus: number;
  readonly requestId: string | null;
  readonly method: string;
}

/**
 * An error answer of an AWS service: the Connect code it maps to, plus the
 * AWS error name (`awsErrorType`, e.g. `ResourceNotFoundException`, the
 * `name` the AWS SDK gives its error), the service's own message, the HTTP
 * status and `x-amzn-RequestId`, which AWS support asks for.
 *
 * It extends `ConnectError` (the provider-neutral `CloudError` of wp-core is
 * not merged yet; rebase onto it when it is). Its `name` stays
 * `"ConnectError"` because Connect recognises its errors by that name and
 * would otherwise re-wrap it; tell it apart with `instanceof AwsError`.
 *
 * @example
 * ```ts
 * try { await emr.getJobRun({ applicationId, jobRunId }); }
 * catch (e) { if (e instanceof AwsError && e.awsErrorType === "ResourceNotFoundException") … }
 * ```
 */
export class AwsError extends ConnectError {
  override name = "ConnectError";
  /** The AWS error name, sanitised (`ValidationException`). */
  readonly awsErrorType: string;
  /** The service's message, as the AWS SDK's `error.message` has it. */
  readonly awsMessage: string;
  readonly httpStatus: number;
  /** `x-amzn-RequestId` of the answer. */
  readonly requestId: string | undefined;
  /** `Service.Method` that failed. */
  readonly method: string;

  constructor(parts: {
    code: Code;
    awsErrorType: string;
    awsMessage: string;
    httpStatus: number;
    requestId: string | undefined;
    method: string;
    headers?: Headers;
  }) {
    const id = parts.requestId ? ` (request id ${parts.requestId})` : "";
    super(`${parts.awsErrorType}: ${parts.awsMessage}${id}`, parts.code, parts.headers);
    this.awsErrorType = parts.awsErrorType;
    this.awsMessage = parts.awsMessage;
    this.httpStatus = parts.httpStatus;
    this.requestId = parts.requestId;
    this.method = parts.method;
  }

  /** Plain prototype-chain `instanceof` (ConnectError's accepts every ConnectError). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.prototype.isPrototypeOf.call(AwsError.prototype, value);
  }

  toJSON(): AwsErrorJson {
    return {
      error: "AwsError",
      code: Code[this.code],
      awsErrorType: this.awsErrorType,
      message: this.awsMessage,
      httpStatus: this.httpStatus,
      requestId: this.requestId ?? null,
      method: this.method,
    };
  }
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
    method: `${method.parent.name}.${method.name}`,
    headers: response.headers,
  });
  const after = retryAfterMs(response.headers);
  return markFailure(error, {
    origin: "server",
    ...(retryable === undefined ? {} : { retryable }),
    ...(after === undefined ? {} : { retryAfterMs: after }),
  });
};

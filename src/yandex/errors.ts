import { Code, ConnectError } from "@connectrpc/connect";
import type { Registry } from "@bufbuild/protobuf";
import type { RequestInfo } from "../../gen/google/rpc/error_details_pb.js";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { CloudError } from "../core/cloud-error.js";
import type { CloudErrorParts } from "../core/cloud-error.js";
import { failureOf, markFailure } from "../core/failure.js";
import type { Violation } from "../validation/errors.js";
import { asConnectError } from "../core/connect-error.js";

/** What the client knows about a call when it fails. */
export interface ErrorContext {
  /** Full gRPC path, e.g. `/yandex.cloud.dataproc.v1.JobService/Create`. */
  readonly method: string;
  /** Base URL of the service, e.g. `https://dataproc.api.cloud.yandex.net:443`. */
  readonly endpoint?: string;
  /** Attempts sent, retries included; 0 when nothing was sent. */
  readonly attempts?: number;
  readonly clientRequestId?: string;
  readonly clientTraceId?: string;
  readonly violations?: readonly Violation[];
  /**
   * Types for decoding `google.rpc.Status` details: the registry given to
   * `createYandexCloud`, so details of services a user added decode too.
   */
  readonly registry?: Registry;
}

/**
 * The one error type of the Yandex Cloud client: every failure of a call or
 * helper — server errors, broken connections, deadlines, aborts, `wait()`
 * timeouts, credential failures, a closed client, a refused plaintext
 * endpoint — is a `YandexCloudError` (or its subclass `OperationError`). It
 * is a `ConnectError` (`code`, `rawMessage`, `metadata`, `findDetails`) that
 * names the method, the endpoint and the number of attempts, and carries the
 * ids Yandex Cloud support asks for — the server's `x-request-id` and
 * `x-server-trace-id`, the client's own request and trace ids — plus the
 * decoded `google.rpc.Status` details. `JSON.stringify(error)` gives a clean
 * object (see `CloudError.toJSON`).
 *
 * Only programmer misuse caught before any call (a job-spec builder given
 * both alternatives of a oneof) throws a plain `TypeError`.
 *
 * It never holds a credential: only response metadata and ids.
 *
 * @example
 * ```ts
 * try {
 *   await jobs.get({ clusterId, jobId });
 * } catch (error) {
 *   if (error instanceof YandexCloudError && error.code === Code.NotFound) {
 *     console.error(`no such job (request ${error.requestId})`);
 *   }
 * }
 * ```
 */
export class YandexCloudError extends CloudError {
  override name = "YandexCloudError";

  /** `x-request-id` the server answered with, if it answered. */
  readonly requestId: string | undefined;
  /** `x-server-trace-id` the server answered with, if it answered. */
  readonly serverTraceId: string | undefined;
  /** `x-client-request-id` of the last attempt. */
  readonly clientRequestId: string | undefined;
  /** `x-client-trace-id` of the logical call (the same on every attempt). */
  readonly clientTraceId: string | undefined;

  constructor(message: string, code: Code, context: ErrorContext, metadata?: ConstructorParameters<typeof Headers>[0], cause?: unknown, details?: CloudErrorParts["details"]) {
    const headers = new Headers(metadata);
    super(message, code, { ...context, ids: yandexIds(context, headers) }, { metadata: headers, cause, details });
    Object.setPrototypeOf(this, new.target.prototype);
    this.requestId = headers.get("x-request-id") ?? undefined;
    this.serverTraceId = headers.get("x-server-trace-id") ?? undefined;
    this.clientRequestId = context.clientRequestId;
    this.clientTraceId = context.clientTraceId;
  }

  /** The `google.rpc.RequestInfo` detail, if the server sent one. */
  get requestInfo(): RequestInfo | undefined {
    return this.findDetails(RequestInfoSchema)[0];
  }

  /**
   * Wraps any error from a call: keeps code, message, metadata, details and
   * the retry layer's failure mark, adds the method, endpoint, attempts and
   * ids, and appends them to the message so they show up in logs that print
   * only `message`. Details are decoded with `context.registry`.
   *
   * A `YandexCloudError` is returned as it is.
   */
  static wrap(error: unknown, context: ErrorContext): YandexCloudError {
    if (error instanceof YandexCloudError) return error;
    const connect = asConnectError(error);
    const wrapped = new YandexCloudError(
      connect.rawMessage,
      connect.code,
      context,
      connect.metadata,
      connect === error ? (connect.cause ?? error) : error,
      connect.details,
    );
    wrapped.message = `${wrapped.message} ${YandexCloudError.describeYandex(context, wrapped)}`;
    return markFailure(wrapped, failureOf(connect));
  }

  /** The message suffix with Yandex's id names. @internal */
  static describeYandex(context: ErrorContext, error?: YandexCloudError): string {
    return CloudError.describe(context, [
      ["request-id", error?.requestId],
      ["server-trace-id", error?.serverTraceId],
    ]);
  }
}

function yandexIds(context: ErrorContext, headers: Headers): Record<string, string | undefined> {
  return {
    "x-request-id": headers.get("x-request-id") ?? undefined,
    "x-server-trace-id": headers.get("x-server-trace-id") ?? undefined,
    "x-client-request-id": context.clientRequestId,
    "x-client-trace-id": context.clientTraceId,
  };
}

/**
 * A `YandexCloudError` raised on this side with no server involved (a wait
 * that timed out, a closed client, a refused endpoint).
 *
 * @internal
 */
export function localError(code: Code, text: string, context: ErrorContext, cause?: unknown): YandexCloudError {
  const error = new YandexCloudError(text, code, context, undefined, cause);
  error.message = `${error.message} ${YandexCloudError.describeYandex(context)}`;
  return markFailure(error, { origin: "local" });
}

/** The error for a request rejected by client-side validation: nothing was sent. */
export function validationError(typeName: string, violations: readonly Violation[], context: ErrorContext): YandexCloudError {
  const text = `invalid ${typeName}: ${violations.map((v) => v.message).join("; ")}`;
  const error = new YandexCloudError(text, Code.InvalidArgument, { ...context, violations, attempts: 0 });
  error.message = `${error.message} (method ${context.method}, not sent)`;
  return markFailure(error, { origin: "local" });
}

import { Code, ConnectError } from "@connectrpc/connect";
import type { Message } from "@bufbuild/protobuf";
import type { RequestInfo } from "../../gen/google/rpc/error_details_pb.js";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { createApiRegistry } from "../registry.js";
import type { Registry } from "@bufbuild/protobuf";

/** A broken rule found before a request was sent. */
export interface FieldViolation {
  /** Field path with proto names, e.g. `spark_job.args[3]`. */
  readonly path: string;
  /** The rule as declared, e.g. `length <=50`. */
  readonly rule: string;
  /** One line naming both. */
  readonly message: string;
}

/** Identifiers that tie an error to the request support can look up. */
export interface ErrorContext {
  /** Full gRPC path, e.g. `/yandex.cloud.dataproc.v1.JobService/Create`. */
  readonly method: string;
  readonly clientRequestId?: string;
  readonly clientTraceId?: string;
  readonly violations?: readonly FieldViolation[];
}

let registry: Registry | undefined;

/**
 * The one error type the client raises: a `ConnectError` (so `code`,
 * `rawMessage`, `metadata` and `findDetails` work as usual) that also says
 * which method failed and carries the ids Yandex Cloud support asks for —
 * the server's `x-request-id` and `x-server-trace-id`, and the client's own
 * request and trace ids — plus the decoded `google.rpc.Status` details.
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
export class YandexCloudError extends ConnectError {
  // Connect recognises its errors by this name (ConnectError[Symbol.hasInstance]);
  // any other name would make Connect re-wrap this error as UNKNOWN. Use
  // `instanceof YandexCloudError` to tell it apart.
  override name = "ConnectError";

  /**
   * Plain prototype-chain `instanceof`. The inherited ConnectError check
   * would also accept every ConnectError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
  /** Full gRPC path of the failed method. */
  readonly method: string;
  /** `x-request-id` the server answered with, if it answered. */
  readonly requestId: string | undefined;
  /** `x-server-trace-id` the server answered with, if it answered. */
  readonly serverTraceId: string | undefined;
  /** `x-client-request-id` of the last attempt. */
  readonly clientRequestId: string | undefined;
  /** `x-client-trace-id` of the logical call (the same on every attempt). */
  readonly clientTraceId: string | undefined;
  /** Client-side validation failures, when the request was never sent. */
  readonly violations: readonly FieldViolation[];
  /** `google.rpc.Status.details`, decoded where the type is known (RequestInfo, …). */
  readonly statusDetails: readonly Message[];

  constructor(message: string, code: Code, context: ErrorContext, metadata?: Headers, cause?: unknown) {
    super(message, code, metadata, undefined, cause);
    Object.setPrototypeOf(this, new.target.prototype);
    this.method = context.method;
    this.clientRequestId = context.clientRequestId;
    this.clientTraceId = context.clientTraceId;
    this.violations = context.violations ?? [];
    this.requestId = this.metadata.get("x-request-id") ?? undefined;
    this.serverTraceId = this.metadata.get("x-server-trace-id") ?? undefined;
    this.statusDetails = [];
  }

  /** The `google.rpc.RequestInfo` detail, if the server sent one. */
  get requestInfo(): RequestInfo | undefined {
    return this.findDetails(RequestInfoSchema)[0];
  }

  /**
   * Wraps any error from a call: keeps code, message, metadata and details,
   * adds the method and ids, and appends the ids to the message so they show
   * up in logs that print only `message`.
   */
  static wrap(error: unknown, context: ErrorContext): YandexCloudError {
    if (error instanceof YandexCloudError) return error;
    const connect = ConnectError.from(error);
    const wrapped = new YandexCloudError(connect.rawMessage, connect.code, context, connect.metadata, connect.cause ?? error);
    wrapped.details = connect.details;
    const decoded = wrapped.findDetails((registry ??= createApiRegistry()));
    (wrapped as { statusDetails: readonly Message[] }).statusDetails = decoded;
    const ids = [
      `method ${context.method}`,
      wrapped.requestId ? `request-id ${wrapped.requestId}` : undefined,
      wrapped.serverTraceId ? `server-trace-id ${wrapped.serverTraceId}` : undefined,
    ].filter(Boolean);
    wrapped.message = `${wrapped.message} (${ids.join(", ")})`;
    return wrapped;
  }
}

/** The error for a request rejected by client-side validation: nothing was sent. */
export function validationError(typeName: string, violations: readonly FieldViolation[], context: ErrorContext): YandexCloudError {
  const text = `invalid ${typeName}: ${violations.map((v) => v.message).join("; ")}`;
  const error = new YandexCloudError(text, Code.InvalidArgument, { ...context, violations });
  error.message = `${error.message} (method ${context.method}, not sent)`;
  return error;
}

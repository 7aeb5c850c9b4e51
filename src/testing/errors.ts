import { Code, ConnectError } from "@connectrpc/connect";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";

/**
 * gRPC status code names as the gRPC spec and the Yandex docs spell them
 * (`UNAVAILABLE`, not Connect's `unavailable`), indexed by code number.
 */
const names = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** A gRPC status code name such as `"NOT_FOUND"`. */
export type StatusName = (typeof names)[number];

/**
 * The gRPC name of a numeric status code.
 *
 * @example
 * ```ts
 * statusName(Code.ResourceExhausted); // "RESOURCE_EXHAUSTED"
 * ```
 */
export function statusName(code: number): StatusName | `CODE_${number}` {
  return names[code] ?? `CODE_${code}`;
}

/** The numeric code of a gRPC status name. */
export function statusCode(name: StatusName): Code {
  return names.indexOf(name) as Code;
}

/** Shorthand for the errors handlers throw; details are added by the call pipeline. */
export function rpcError(code: Code, message: string): ConnectError {
  return new ConnectError(message, code);
}

/**
 * Makes `error` carry `google.rpc.RequestInfo{request_id, serving_data}`, the
 * detail real Yandex Cloud errors carry so a user can quote the request id to
 * support. `serving_data` holds the server trace id.
 */
export function withRequestInfo(error: ConnectError, requestId: string, traceId: string): ConnectError {
  const has = error.details.some(
    (d) => ("desc" in d ? d.desc.typeName : d.type) === RequestInfoSchema.typeName,
  );
  if (!has) {
    error.details.push({ desc: RequestInfoSchema, value: { requestId, servingData: traceId } });
  }
  return error;
}

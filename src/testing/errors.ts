import { Code, ConnectError } from "@connectrpc/connect";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { codeFromName, codeName } from "../core/code-name.js";
import type { CodeName } from "../core/code-name.js";

/** A gRPC status code name such as `"NOT_FOUND"` (the shared table in src/core/code-name.ts). */
export type StatusName = CodeName;

/**
 * The gRPC name of a numeric status code.
 *
 * @example
 * ```ts
 * statusName(Code.ResourceExhausted); // "RESOURCE_EXHAUSTED"
 * ```
 */
export const statusName: (code: number) => StatusName | `CODE_${number}` = codeName;

/** The numeric code of a gRPC status name. */
export const statusCode: (name: StatusName) => Code = codeFromName;

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

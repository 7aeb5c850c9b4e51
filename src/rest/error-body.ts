import { fromJson } from "@bufbuild/protobuf";
import type { DescMethod, JsonValue, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import { codeFromHttpStatus } from "./http-status.js";
import type { ErrorBodyDecoder, HttpErrorResponse } from "./types.js";

/**
 * An error body that is a `google.rpc.Status` in protobuf JSON:
 *
 * ```json
 * {"code": 16, "message": "Token is invalid or has expired.",
 *  "details": [{"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "e38e…"}]}
 * ```
 *
 * (the grpc-gateway error body) becomes a `ConnectError` with that code and message, the details decoded
 * with `registry` (unknown detail types are dropped, not fatal), and the
 * response headers as metadata, so a provider's error finds its ids
 * (`x-request-id`, `x-server-trace-id`). A body that is not such a Status (a proxy's HTML
 * page, an empty 503) falls back to the HTTP status table.
 *
 * @example
 * ```ts
 * createRestTransport({ baseUrl, errorDecoder: statusErrorDecoder(registry) });
 * ```
 */
export function statusErrorDecoder(registry: Registry): ErrorBodyDecoder {
  return (response) => {
    const status = asStatus(response.json);
    if (status) {
      const error = new ConnectError(status.message, status.code, response.headers);
      for (const detail of status.details) {
        try {
          const any = fromJson(AnySchema, detail, { registry });
          error.details.push({ type: any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1), value: any.value });
        } catch {
          // A detail of a type we do not know must not hide the error itself.
        }
      }
      return error;
    }
    return httpStatusError(response);
  };
}

/** An error from the status line alone, with the start of the body in the message. */
export function httpStatusError(response: HttpErrorResponse, _method?: DescMethod): ConnectError {
  const text = new TextDecoder().decode(response.body.subarray(0, 200)).replace(/\s+/g, " ").trim();
  const message = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}${text ? `: ${text}` : ""}`;
  return new ConnectError(message, codeFromHttpStatus(response.status), response.headers);
}

interface StatusJson {
  readonly code: Code;
  readonly message: string;
  readonly details: readonly JsonValue[];
}

function asStatus(json: unknown): StatusJson | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  const code = record["code"];
  if (typeof code !== "number" || !Number.isInteger(code) || code < 1 || code > 16) return undefined;
  const message = typeof record["message"] === "string" ? record["message"] : "";
  const details = Array.isArray(record["details"]) ? (record["details"] as JsonValue[]) : [];
  return { code: code as Code, message, details };
}

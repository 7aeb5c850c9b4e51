import { create, toJson } from "@bufbuild/protobuf";
import type { JsonValue, Registry } from "@bufbuild/protobuf";
import { AnySchema, anyPack } from "@bufbuild/protobuf/wkt";
import type { ConnectError } from "@connectrpc/connect";
import { ClusterService } from "../../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import { JobService } from "../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { IamTokenService } from "../../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { OperationService } from "../../../gen/yandex/cloud/operation/operation_service_pb.js";
import { httpStatusFromCode } from "../../rest/http-status.js";
import { createApiRegistry } from "../../yandex/registry.js";
import type { EmulatorHttpResponse, RestFace } from "../rest-face.js";

/**
 * Yandex Cloud's REST face: Data Proc clusters and jobs, operations and IAM tokens, as
 * `https://{dataproc,operation,iam}.api.cloud.yandex.net` serve them.
 *
 * - Authentication is the bearer token the call pipeline already checks for
 *   gRPC (`IamTokenService.Create` is public), so `authenticate` lets every
 *   request through to it: one rule, one place.
 * - Errors are the documented body, a `google.rpc.Status` in protobuf JSON
 *   (`{"code": 5, "message": "…", "details": [{"@type": "…RequestInfo", …}]}`),
 *   with the HTTP status of Yandex's table and `x-request-id` /
 *   `x-server-trace-id` headers.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ restFaces: [yandexRestFace()] }); // the default
 * await fetch(`${emulator.restUrl}/dataproc/v1/clusters/${emulator.clusters[0]}/jobs`,
 *   { headers: { authorization: `Bearer ${emulator.iamToken}` } });
 * ```
 */
export function yandexRestFace(registry: Registry = createApiRegistry()): RestFace {
  return {
    name: "yandex",
    services: [ClusterService, JobService, OperationService, IamTokenService],
    authenticate: () => undefined,
    errorResponse(error: ConnectError, requestId: string): EmulatorHttpResponse {
      const details: JsonValue[] = [];
      for (const detail of error.details) {
        const any =
          "desc" in detail
            ? anyPack(detail.desc, create(detail.desc, detail.value))
            : create(AnySchema, { typeUrl: `type.googleapis.com/${detail.type}`, value: detail.value });
        try {
          details.push(toJson(AnySchema, any, { registry }));
        } catch {
          // A detail type outside the registry cannot be written as JSON.
        }
      }
      const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
      const traceId = error.metadata.get("x-server-trace-id");
      if (traceId !== null) headers["x-server-trace-id"] = traceId;
      const retryAfter = error.metadata.get("retry-after");
      if (retryAfter !== null) headers["retry-after"] = retryAfter;
      return {
        status: httpStatusFromCode(error.code),
        headers,
        body: JSON.stringify({ code: error.code, message: error.rawMessage, details }),
      };
    },
  };
}

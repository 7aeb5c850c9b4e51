import { toJson } from "@bufbuild/protobuf";
import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { ClusterService as MrsClusters } from "../../../gen/huawei/mrs/v1/cluster_pb.js";
import { JobExecutionService as MrsV1 } from "../../../gen/huawei/mrs/v1/job_execution_pb.js";
import { JobExecutionService as MrsV2 } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import { httpStatusFromCode } from "../../rest/http-status.js";
import { isJsonNumberField } from "../../huawei/json-hooks.js";
import { huaweiCodeOf } from "./error-codes.js";
import { verifySdkHmacSha256 } from "./verify-signature.js";
import type { EmulatorHttpResponse, RestFace } from "../rest-face.js";

/** The emulator's Huawei test identity, as `emulator.huawei` exposes it. */
export interface HuaweiEmulatorIdentity {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly projectId: string;
  readonly region: string;
}

/** Options of {@link createHuaweiFace}. */
export interface HuaweiFaceOptions {
  readonly identity: HuaweiEmulatorIdentity;
  readonly clock: { now(): number };
  /** Largest accepted `X-Sdk-Date` skew (default 15 min, as APIG). */
  readonly maxSkewMs?: number;
}

/**
 * The Huawei MRS face of the emulator's REST server: MRS v1.1
 * `ClusterService` (registered with `registerHuaweiMrsClusters`) and
 * `JobExecutionService`, and v2 `JobExecutionService` (registered with
 * `registerHuaweiMrsServices`), behind APIG's SDK-HMAC-SHA256 check with the
 * emulator's test AK/SK. Rejections look like APIG's (401,
 * `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication
 * information: …","request_id":…}`); service errors like MRS's
 * (`{"error_code","error_msg"}` with `X-Request-Id`).
 *
 * @example
 * ```ts
 * const face = createHuaweiFace({ identity: emulator.huawei, clock });
 * ```
 */
export function createHuaweiFace(options: HuaweiFaceOptions): RestFace {
  const keys = new Map([[options.identity.accessKey, options.identity.secretKey]]);
  return {
    name: "huawei",
    services: [MrsClusters, MrsV1, MrsV2],
    owns: (request) => (request.headers.get("authorization") ?? "").startsWith("SDK-HMAC-SHA256"),
    async authenticate(request) {
      const check = await verifySdkHmacSha256(request, {
        keys,
        clock: options.clock,
        ...(options.maxSkewMs === undefined ? {} : { maxSkewMs: options.maxSkewMs }),
      });
      if (check.ok) return undefined;
      const requestId = newRequestId();
      return json(401, { error_msg: check.message, error_code: "APIGW.0301", request_id: requestId }, requestId);
    },
    successResponse(method, message) {
      // Huawei answers ShowJobExeListNew, ShowSingleJobExe and StopJob with 202
      // ("due to compatibility problems in earlier versions", MRS API reference).
      const status = accepted.has(method.name) && method.parent.typeName === MrsV2.typeName ? 202 : 200;
      if (method.output.fields.length === 0) return { status, headers: { "content-type": "application/json" } };
      const json = toJson(method.output, message, { useProtoFieldName: true }) as JsonObject;
      numbersInPlace(method.output, json);
      return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(json) };
    },
    errorResponse(error, requestId) {
      const status = httpStatusFromCode(error.code);
      return json(status, { error_code: huaweiCodeOf(error) ?? `MRS.${status}`, error_msg: error.rawMessage }, requestId);
    },
  };
}

const accepted = new Set(["ShowJobExeListNew", "ShowSingleJobExe", "StopJob"]);

/** int64 fields marked `huawei_json_number` become JSON numbers, as Huawei writes them. */
function numbersInPlace(schema: DescMessage, json: JsonObject): void {
  for (const field of schema.fields) {
    const value = json[field.name];
    if (value === undefined) continue;
    if (isJsonNumberField(field) && typeof value === "string") json[field.name] = Number(value);
    const child = messageOf(field);
    if (!child) continue;
    if (Array.isArray(value)) for (const item of value) isObject(item) && numbersInPlace(child, item);
    else if (isObject(value)) numbersInPlace(child, value);
  }
}

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) return field.message;
  return undefined;
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function json(status: number, body: Record<string, string>, requestId: string): EmulatorHttpResponse {
  return { status, headers: { "content-type": "application/json", "x-request-id": requestId }, body: JSON.stringify(body) };
}

function newRequestId(): string {
  const c = globalThis.crypto as { randomUUID?: () => string } | undefined;
  return (c?.randomUUID?.() ?? `${Date.now()}`).replaceAll("-", "");
}

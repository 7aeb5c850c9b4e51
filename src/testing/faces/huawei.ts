import { Code } from "@connectrpc/connect";
import type { ConnectError } from "@connectrpc/connect";
import { JobExecutionService as MrsV1 } from "../../../gen/huawei/mrs/v1/job_execution_pb.js";
import { JobExecutionService as MrsV2 } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import { huaweiCodeOf } from "../huawei/error-codes.js";
import { verifySdkHmacSha256 } from "../huawei/verify-signature.js";
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
 * `JobExecutionService` and v2 `JobExecutionService` (registered with
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
    services: [MrsV1, MrsV2],
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
    errorResponse(error, requestId) {
      const status = httpStatusOf(error);
      return json(status, { error_code: huaweiCodeOf(error) ?? `MRS.${status}`, error_msg: error.rawMessage }, requestId);
    },
  };
}

function json(status: number, body: Record<string, string>, requestId: string): EmulatorHttpResponse {
  return { status, headers: { "content-type": "application/json", "x-request-id": requestId }, body: JSON.stringify(body) };
}

/** HTTP status of an emulator error, as MRS answers it. */
function httpStatusOf(error: ConnectError): number {
  switch (error.code) {
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return 400;
    case Code.Unauthenticated:
      return 401;
    case Code.PermissionDenied:
      return 403;
    case Code.NotFound:
      return 404;
    case Code.AlreadyExists:
    case Code.Aborted:
      return 409;
    case Code.ResourceExhausted:
      return 429;
    case Code.Unimplemented:
      return 501;
    case Code.Unavailable:
      return 503;
    case Code.DeadlineExceeded:
      return 504;
    case Code.Canceled:
      return 499;
    default:
      return 500;
  }
}

function newRequestId(): string {
  const c = globalThis.crypto as { randomUUID?: () => string } | undefined;
  return (c?.randomUUID?.() ?? `${Date.now()}`).replaceAll("-", "");
}

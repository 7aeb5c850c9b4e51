import { Code } from "@connectrpc/connect";
import type { ConnectError } from "@connectrpc/connect";
import { EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { restJson1Hook } from "../../aws/protocol/rest-json1.js";
import type { JsonFieldHook } from "../../rest/json-codec.js";
import type { Clock } from "../clock.js";
import type { EmulatorHttpRequest, EmulatorHttpResponse, RestFace } from "../rest-face.js";
import { verifySigV4 } from "./sigv4-verifier.js";
import type { EmulatorAwsKey } from "./sigv4-verifier.js";

/** The AWS error type and HTTP status for a Connect code, when a handler named none. */
const byCode: Partial<Record<Code, [string, number]>> = {
  [Code.InvalidArgument]: ["ValidationException", 400],
  [Code.NotFound]: ["ResourceNotFoundException", 404],
  [Code.AlreadyExists]: ["ConflictException", 409],
  [Code.ResourceExhausted]: ["ThrottlingException", 429],
  [Code.PermissionDenied]: ["AccessDeniedException", 403],
  [Code.Unauthenticated]: ["UnrecognizedClientException", 403],
  [Code.Unavailable]: ["ServiceUnavailable", 503],
  [Code.Unimplemented]: ["UnknownOperationException", 404],
};

const statusOfType: Record<string, number> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  InternalServerException: 500,
  ThrottlingException: 429,
};

/** A RestFace plus the JSON rules its services use on the wire (restJson1). */
export interface AwsRestFace extends RestFace {
  /** The REST server applies these when it decodes requests and encodes responses. */
  readonly jsonHooks: readonly JsonFieldHook[];
}

/**
 * The AWS face of the emulator's REST server: SigV4 checked against the
 * emulator's keys and clock (`InvalidSignatureException` 403 for a bad
 * signature, `ExpiredTokenException` for an expired session token, …), and
 * errors in the restJson1 shape: `x-amzn-ErrorType` and `x-amzn-RequestId`
 * headers and a `{"message": …}` body.
 */
export function awsRestFace(options: { keys: () => readonly EmulatorAwsKey[]; region: string; clock: Clock }): AwsRestFace {
  return {
    name: "aws",
    services: [EmrServerlessService],
    jsonHooks: [restJson1Hook],
    owns: (request) => (request.headers.get("authorization") ?? "").startsWith("AWS4-HMAC-SHA256"),
    async authenticate(request: EmulatorHttpRequest): Promise<EmulatorHttpResponse | undefined> {
      const rejection = await verifySigV4(request, {
        keys: options.keys(),
        region: options.region,
        service: "emr-serverless",
        now: options.clock.now(),
      });
      if (!rejection) return undefined;
      return awsErrorBody(rejection.status, rejection.type, rejection.message, crypto.randomUUID());
    },
    errorResponse(error: ConnectError, requestId: string): EmulatorHttpResponse {
      const named = error.metadata.get("x-amzn-errortype");
      const [type, status] = named ? [named, statusOfType[named] ?? 400] : (byCode[error.code] ?? ["InternalServerException", 500]);
      return awsErrorBody(status, type, error.rawMessage, requestId);
    },
  };
}

function awsErrorBody(status: number, type: string, message: string, requestId: string): EmulatorHttpResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": type, "x-amzn-requestid": requestId },
    body: JSON.stringify({ message }),
  };
}

import { codeFromHttpStatus } from "../../rest/http-status.js";
import type { ErrorBodyDecoder, HttpErrorResponse } from "../../rest/types.js";
import type { SigningLog } from "../signing/signing-log.js";
import { readErrorBody } from "./body.js";
import { HuaweiCloudError } from "./huawei-cloud-error.js";

export interface HuaweiErrorDecoderOptions {
  /** Canonical requests this client signed, to show beside the one APIG echoes on `APIGW.0301`. */
  readonly signingLog?: SigningLog;
}

/**
 * The REST transport's error decoder for Huawei Cloud: a
 * {@link HuaweiCloudError} with the Connect code of the HTTP status,
 * Huawei's `error_code`, the message (`error_msg`, else the body text) and
 * the `X-Request-Id` header (else a `request_id` in the body).
 *
 * On a signature failure APIG echoes the canonical request it computed
 * (`…canonicalRequest:GET|/v1.1/…/|…` with `|` for newlines); the message
 * then shows ours, from `signingLog`, right beneath it, which is usually
 * enough to spot the differing line.
 *
 * @example
 * ```ts
 * const transport = createRestTransport({ baseUrl, registry, signer, errorDecoder: huaweiErrorDecoder({ signingLog }) });
 * ```
 */
export function huaweiErrorDecoder(options: HuaweiErrorDecoderOptions = {}): ErrorBodyDecoder {
  return (response) => {
    const body = readErrorBody(response.json);
    const requestId = response.headers.get("x-request-id") ?? body?.requestId ?? undefined;
    const text = body?.errorMessage ?? (bodyText(response) || response.statusText || `HTTP ${response.status}`);
    let message = body ? `${body.errorCode}: ${text}` : `HTTP ${response.status}: ${text}`;
    const echoed = /canonicalRequest:([^"]*)/.exec(text)?.[1];
    if (echoed !== undefined) {
      const ours = options.signingLog?.find(echoed);
      message += `\n  APIG canonical request: ${echoed}\n  our canonical request:  ${ours ?? "(not recorded)"}`;
    }
    if (requestId) message += ` [request id ${requestId}]`;
    return new HuaweiCloudError(
      message,
      codeFromHttpStatus(response.status),
      {
        errorCode: body?.errorCode ?? "",
        httpStatus: response.status,
        ...(requestId ? { requestId } : {}),
        ...(body?.encodedAuthorizationMessage ? { encodedAuthorizationMessage: body.encodedAuthorizationMessage } : {}),
      },
      response.headers,
    );
  };
}

/** At most 512 characters of a non-JSON body, for the message. */
function bodyText(response: HttpErrorResponse): string {
  if (response.json !== undefined || response.body.length === 0) return "";
  return new TextDecoder().decode(response.body.subarray(0, 512)).trim();
}

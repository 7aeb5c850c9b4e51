/**
 * Everything src/rest offers to callers, cloud-neutral. The public entry
 * `dataproc-connect/rest` is src/rest.ts, which adds the providers' names.
 */
export { createRestTransport } from "./transport.js";
export type { RestTransportOptions } from "./transport.js";
export { transcode } from "./transcode.js";
export type { TranscodedRequest } from "./transcode.js";
export { httpBindings, hasHttpRule, serviceHasHttpRules } from "./http-rule.js";
export type { HttpBinding } from "./http-rule.js";
export { parsePathTemplate } from "./path-template.js";
export type { PathTemplate, PathVariable } from "./path-template.js";
export { createJsonCodec, jsonNamingOf } from "./json-codec.js";
export type { JsonCodec, JsonCodecOptions, JsonFieldHook, JsonLocation } from "./json-codec.js";
export { codeFromHttpStatus, httpStatusFromCode, retryAfterMs } from "./http-status.js";
export { httpStatusError, statusErrorDecoder } from "./error-body.js";
export { encodeSegment, encodePathKeepingSlashes } from "./percent.js";
export type { ErrorBodyDecoder, HttpErrorResponse, HttpRequestParts, RequestSigner } from "./types.js";

import type { Registry } from "@bufbuild/protobuf";
import { statusErrorDecoder } from "../rest/error-body.js";
import type { ErrorBodyDecoder } from "../rest/types.js";

/**
 * Yandex Cloud's decoder: its error bodies are exactly `google.rpc.Status`
 * JSON (see {@link statusErrorDecoder}), and its ids travel as the response
 * headers `x-request-id` / `x-server-trace-id`, which become the error's
 * metadata.
 *
 * @example
 * ```ts
 * createRestTransport({ baseUrl, errorDecoder: yandexErrorDecoder(createApiRegistry()) });
 * ```
 */
export const yandexErrorDecoder: (registry: Registry) => ErrorBodyDecoder = statusErrorDecoder;

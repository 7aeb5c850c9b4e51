/**
 * The REST/JSON transport: Connect clients over `fetch`, driven by the
 * methods' `google.api.http` rules. Loads with no `node:` module.
 *
 * This file is the `dataproc-connect/rest` entry: the cloud-neutral
 * transport of src/rest, plus the error decoders that live with their cloud
 * (src/rest itself names no provider), kept here because callers import
 * them from this entry.
 *
 * @example
 * ```ts
 * import { createRestTransport, statusErrorDecoder } from "dataproc-connect/rest";
 * ```
 *
 * @module
 */
export * from "./rest/index.js";
export { yandexErrorDecoder } from "./yandex/rest-errors.js";

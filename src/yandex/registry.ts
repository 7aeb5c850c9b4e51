import { createRegistry } from "@bufbuild/protobuf";
import { file_google_protobuf_empty } from "@bufbuild/protobuf/wkt";
import type { DescFile, Registry } from "@bufbuild/protobuf";
import { apiFiles as generatedApiFiles } from "../../gen/api_files.js";
import { lazyRegistry } from "../core/lazy-registry.js";

/**
 * Every .proto file of the Yandex and google packages this package ships,
 * imports included, each after the files it imports.
 *
 * `createRegistry(file)` registers only the types of that one file, not of the
 * files it imports, so anything that must resolve a type by name (unpacking an
 * `Operation`'s `Any` fields, JSON of `google.rpc.Status` details) needs the
 * whole list. `npm run generate` writes it (gen/api_files.ts, from the
 * `api_files` options in buf.gen.yaml): a new service's .proto is listed
 * without a hand edit.
 */
export const apiFiles: readonly DescFile[] = generatedApiFiles;

/**
 * A registry of every message, enum, extension and service in {@link apiFiles},
 * plus `google.protobuf.Empty`: the result of Delete operations, named by
 * their `(yandex.cloud.api.operation)` option though no API file imports it.
 * It is built on its first lookup, so creating one (every client does) costs
 * nothing until an error detail or an operation payload is decoded.
 *
 * @example
 * ```ts
 * import { anyUnpack } from "@bufbuild/protobuf/wkt";
 * const job = anyUnpack(operation.response!, createApiRegistry());
 * ```
 */
export function createApiRegistry(): Registry {
  return lazyRegistry(() => createRegistry(...apiFiles, file_google_protobuf_empty));
}

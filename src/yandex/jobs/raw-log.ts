import { clone, createFileRegistry } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Type, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { withImports } from "../../core/file-imports.js";

const cache = new WeakMap<DescService, DescService>();

/**
 * The same service, except that `ListJobLogResponse.content` is read as
 * `bytes` instead of `string`.
 *
 * Why: log pages are cut by byte count, so a multi-byte UTF-8 character can
 * straddle two pages. Decoded as a proto `string`, each half would become
 * U+FFFD and the text would be corrupted. `string` and `bytes` share the
 * wire type, so reading the field as bytes is wire-identical; the log reader
 * then decodes the concatenated pages with one streaming TextDecoder.
 *
 * The variant is built from the service's own file descriptor (nothing is
 * hand-written per service) and cached.
 *
 * @example
 * ```ts
 * const raw = cloud.client(rawLogService(JobService));
 * const page = await raw.listLog({ clusterId, jobId }); // page.content: Uint8Array
 * ```
 * @internal
 */
export function rawLogService<S extends DescService>(service: S): DescService {
  let raw = cache.get(service);
  if (raw) return raw;
  const file = service.file;
  const proto = clone(FileDescriptorProtoSchema, file.proto);
  const method = service.methods.find((m) => m.name === "ListLog");
  if (!method) throw new Error(`${service.typeName} has no ListLog method`);
  const outputName = method.output.typeName;
  const output = proto.messageType.find((m) => `${proto.package}.${m.name}` === outputName);
  const content = output?.field.find((f) => f.name === "content");
  if (!content || content.type !== FieldDescriptorProto_Type.STRING) {
    throw new Error(`${outputName} has no string field "content"`);
  }
  content.type = FieldDescriptorProto_Type.BYTES;
  const known = new Map(withImports(file).map((f) => [`${f.name}.proto`, f]));
  raw = createFileRegistry(proto, (name) => known.get(name)).getService(service.typeName);
  if (!raw) throw new Error(`cannot rebuild ${service.typeName}`);
  cache.set(service, raw);
  return raw;
}

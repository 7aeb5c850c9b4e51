import { ScalarType } from "@bufbuild/protobuf";
import type { DescField, Registry } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import type { JsonFieldHook } from "./json-codec.js";

/**
 * Reads a field the client declares as `bytes` but the published API
 * declares as `string` (as `rawLogService` does for log pages): the JSON
 * holds text, so it is turned into the base64 of its UTF-8 bytes before
 * protobuf JSON decodes it as bytes. Which fields: those whose message of
 * the same name in `registry` has the field as a string.
 *
 * @example
 * ```ts
 * createRestTransport({ …, jsonHooks: [publishedTextAsBytes(registry)] });
 * ```
 */
export function publishedTextAsBytes(registry: Registry): JsonFieldHook {
  const cache = new WeakMap<DescField, boolean>();
  const applies = (field: DescField): boolean => {
    let yes = cache.get(field);
    if (yes === undefined) {
      const published = registry.getMessage(field.parent.typeName)?.fields.find((f) => f.number === field.number);
      yes =
        field.fieldKind === "scalar" &&
        field.scalar === ScalarType.BYTES &&
        published !== undefined &&
        published !== field &&
        published.fieldKind === "scalar" &&
        published.scalar === ScalarType.STRING;
      cache.set(field, yes);
    }
    return yes;
  };
  return {
    read: (field, value) => (typeof value === "string" && applies(field) ? base64Encode(new TextEncoder().encode(value)) : value),
  };
}

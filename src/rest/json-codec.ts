import { fromJson, getOption, hasOption, toJson } from "@bufbuild/protobuf";
import type { DescField, DescMessage, DescService, JsonObject, JsonValue, MessageShape, Registry } from "@bufbuild/protobuf";
import { JsonNaming, json_naming, service_json_naming } from "../../gen/dataproc_connect/v1/rest_pb.js";

/** Where a JSON value travels: in the body, or as a query or path parameter. */
export type JsonLocation = "body" | "query" | "path";

/**
 * A per-field rewrite of the protobuf JSON, for providers whose JSON is not
 * quite protobuf JSON (AWS restJson1 writes timestamps as epoch seconds,
 * `long` as numbers; Huawei has its own quirks). Both functions get the
 * field's descriptor, so a hook can key on a custom field option:
 *
 * @example
 * ```ts
 * const epochSeconds: JsonFieldHook = {
 *   write: (field, value, where) =>
 *     hasOption(field, aws_timestamp) && where === "body" && typeof value === "string"
 *       ? Date.parse(value) / 1000 : value,
 *   read: (field, value) =>
 *     hasOption(field, aws_timestamp) && typeof value === "number"
 *       ? new Date(value * 1000).toISOString() : value,
 * };
 * ```
 *
 * `write` runs on every field value of a request after protobuf-es `toJson`,
 * once, with where it goes: `"body"` (for list and map fields: on the whole
 * array or object, after their elements), `"path"` or `"query"` (on each
 * leaf value, each element of a repeated one); `read` runs on
 * every field value of a response before `fromJson`. Return the value
 * unchanged when the field is not yours. Return `undefined` to drop it.
 */
export interface JsonFieldHook {
  write?(field: DescField, value: JsonValue, where: JsonLocation): JsonValue | undefined;
  read?(field: DescField, value: JsonValue): JsonValue | undefined;
}

/** Options of {@link createJsonCodec}. */
export interface JsonCodecOptions {
  /** Resolves `Any` (Operation metadata/response, error details). */
  readonly registry: Registry;
  /** Provider field tweaks, applied in order. */
  readonly hooks?: readonly JsonFieldHook[];
}

/**
 * How one service's messages become JSON and back: protobuf JSON via
 * protobuf-es, keys spelled as the service's `json_naming` option says, then
 * the provider {@link JsonFieldHook}s. Responses ignore unknown fields and
 * unknown enum values (servers add them without notice).
 */
export interface JsonCodec {
  /** True when keys and query names are proto names (`cluster_id`), else lowerCamel. */
  readonly protoNames: boolean;
  /** The key `field` has in this codec's JSON. */
  keyOf(field: DescField): string;
  /**
   * A request message as protobuf JSON in this codec's naming, no hooks yet:
   * the transcoder splits it into path, query and body first, then applies
   * the hooks for each location ({@link JsonCodec.writeBody}, {@link JsonCodec.writeLeaf}).
   */
  encode<D extends DescMessage>(schema: D, message: MessageShape<D>): JsonObject;
  /** Applies the `write` hooks, location `"body"`, to a body object of `schema`, in place. */
  writeBody(schema: DescMessage, json: JsonObject): JsonObject;
  /** Applies the `write` hooks to one leaf value (path and query values). */
  writeLeaf(field: DescField, value: JsonValue, where: JsonLocation): JsonValue | undefined;
  /** A response body as a message; throws on JSON that does not fit the schema. */
  decode<D extends DescMessage>(schema: D, json: JsonValue): MessageShape<D>;
}

/** The JSON naming a service uses: its own option, else its file's, else lowerCamel. */
export function jsonNamingOf(service: DescService): JsonNaming {
  if (hasOption(service, service_json_naming)) return getOption(service, service_json_naming);
  if (hasOption(service.file, json_naming)) return getOption(service.file, json_naming);
  return JsonNaming.UNSPECIFIED;
}

/** Creates the codec for one service (see {@link JsonCodec}). */
export function createJsonCodec(service: DescService, options: JsonCodecOptions): JsonCodec {
  const protoNames = jsonNamingOf(service) === JsonNaming.PROTO_NAME;
  const hooks = options.hooks ?? [];
  const keyOf = (field: DescField): string => (protoNames ? field.name : field.jsonName);
  const writeLeaf = (field: DescField, value: JsonValue, where: JsonLocation): JsonValue | undefined => {
    let out: JsonValue | undefined = value;
    for (const hook of hooks) if (hook.write && out !== undefined) out = hook.write(field, out, where);
    return out;
  };
  return {
    protoNames,
    keyOf,
    writeLeaf,
    encode(schema, message) {
      return toJson(schema, message, { registry: options.registry, useProtoFieldName: protoNames }) as JsonObject;
    },
    writeBody(schema, json) {
      if (hooks.some((h) => h.write)) rewrite(schema, json, keyOf, (f, v) => writeLeaf(f, v, "body"));
      return json;
    },
    decode(schema, json) {
      if (hooks.some((h) => h.read) && isObject(json)) {
        // Keys may come in either spelling; hooks see both.
        rewrite(schema, json, keyOf, (field, value) => {
          let out: JsonValue | undefined = value;
          for (const hook of hooks) if (hook.read && out !== undefined) out = hook.read(field, out);
          return out;
        }, true);
      }
      return fromJson(schema, json, { registry: options.registry, ignoreUnknownFields: true });
    },
  };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks `json` along `schema`, replacing each field value by `fn(field, value)`, depth first. */
function rewrite(
  schema: DescMessage,
  json: JsonObject,
  keyOf: (field: DescField) => string,
  fn: (field: DescField, value: JsonValue) => JsonValue | undefined,
  bothSpellings = false,
): void {
  for (const field of schema.fields) {
    const keys = bothSpellings ? [...new Set([field.jsonName, field.name])] : [keyOf(field)];
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(json, key)) continue;
      const value = json[key]!;
      const child = messageOf(field);
      if (child && !child.typeName.startsWith("google.protobuf.")) {
        if (field.fieldKind === "list" && Array.isArray(value)) {
          for (const item of value) if (isObject(item)) rewrite(child, item, keyOf, fn, bothSpellings);
        } else if (field.fieldKind === "map" && isObject(value)) {
          for (const item of Object.values(value)) if (isObject(item)) rewrite(child, item, keyOf, fn, bothSpellings);
        } else if (isObject(value)) {
          rewrite(child, value, keyOf, fn, bothSpellings);
        }
      }
      const out = fn(field, value);
      if (out === undefined) delete json[key];
      else json[key] = out;
    }
  }
}

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  if (field.fieldKind === "list" && field.listKind === "message") return field.message;
  if (field.fieldKind === "map" && field.mapKind === "message") return field.message;
  return undefined;
}

import { getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescFile, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { AwsProtocol, aws_json_list, aws_protocol } from "../../../gen/dataproc_connect/v1/rest_pb.js";
import type { JsonFieldHook, JsonLocation } from "../../rest/json-codec.js";

/**
 * Whether a field belongs to a file whose services speak restJson1
 * (`option (dataproc_connect.v1.aws_protocol) = AWS_PROTOCOL_REST_JSON_1`).
 * Decided from the descriptor and cached per file.
 */
export function isRestJson1(field: DescField): boolean {
  const file = field.parent.file;
  let yes = restJson1Files.get(file);
  if (yes === undefined) {
    yes = hasOption(file, aws_protocol) && getOption(file, aws_protocol) === AwsProtocol.REST_JSON_1;
    restJson1Files.set(file, yes);
  }
  return yes;
}

const restJson1Files = new WeakMap<DescFile, boolean>();

/**
 * The restJson1 differences from protobuf JSON, as a {@link JsonFieldHook}
 * for the REST transport. Only fields of restJson1 files are touched, so the
 * hook can sit on a transport that also carries other services.
 *
 * | proto | protobuf JSON | restJson1 |
 * | --- | --- | --- |
 * | `int64` | `"5"` | `5` |
 * | `Timestamp` in a body | `"2023-11-14T22:13:20.500Z"` | `1700000000.5` (epoch seconds) |
 * | `Timestamp` in a query or path | RFC 3339 | RFC 3339, milliseconds, `.000` dropped (as the AWS SDK writes it) |
 * | message with `aws_json_list` | `{"values": ["a"]}` | `["a"]` |
 *
 * Responses: epoch seconds are read to millisecond precision, as the AWS SDK
 * reads them (`Math.round(seconds * 1000)`).
 *
 * @example
 * ```ts
 * createRestTransport({ baseUrl, registry, jsonHooks: [restJson1Hook] });
 * ```
 */
export const restJson1Hook: JsonFieldHook = {
  write(field, value, where) {
    if (!isRestJson1(field)) return value;
    return mapValues(field, value, (v) => writeOne(field, v, where));
  },
  read(field, value) {
    if (!isRestJson1(field)) return value;
    return mapValues(field, value, (v) => readOne(field, v));
  },
};

/** Applies `fn` to the single value, each list element or each map value. */
function mapValues(field: DescField, value: JsonValue, fn: (v: JsonValue) => JsonValue): JsonValue {
  if (field.fieldKind === "list" && Array.isArray(value)) return value.map(fn);
  if (field.fieldKind === "map" && isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = fn(v);
    return out;
  }
  return fn(value);
}

function elementMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  if (field.fieldKind === "list" && field.listKind === "message") return field.message;
  if (field.fieldKind === "map" && field.mapKind === "message") return field.message;
  return undefined;
}

function elementScalar(field: DescField): ScalarType | undefined {
  if (field.fieldKind === "scalar") return field.scalar;
  if (field.fieldKind === "list" && field.listKind === "scalar") return field.scalar;
  if (field.fieldKind === "map" && field.mapKind === "scalar") return field.scalar;
  return undefined;
}

const int64Types = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

function writeOne(field: DescField, value: JsonValue, where: JsonLocation): JsonValue {
  const message = elementMessage(field);
  if (message?.typeName === "google.protobuf.Timestamp") {
    // The transport encodes the whole message as a body first, then moves
    // path and query fields out: those arrive here a second time, already
    // in epoch seconds.
    if (typeof value === "string") return where === "body" ? epochSeconds(value) : awsDateTime(value);
    if (typeof value === "number" && where !== "body") return new Date(Math.round(value * 1000)).toISOString().replace(".000Z", "Z");
  }
  if (message && isJsonList(message) && isObject(value)) {
    const only = message.fields[0];
    return only ? (value[only.jsonName] ?? []) : [];
  }
  const scalar = elementScalar(field);
  if (scalar !== undefined && int64Types.has(scalar) && typeof value === "string" && where === "body") {
    return Number(value);
  }
  return value;
}

function readOne(field: DescField, value: JsonValue): JsonValue {
  const message = elementMessage(field);
  if (message?.typeName === "google.protobuf.Timestamp" && typeof value === "number") {
    return new Date(Math.round(value * 1000)).toISOString();
  }
  if (message && isJsonList(message) && Array.isArray(value)) {
    const only = message.fields[0];
    return only ? { [only.jsonName]: value } : {};
  }
  return value;
}

function isJsonList(message: DescMessage): boolean {
  return hasOption(message, aws_json_list) && getOption(message, aws_json_list);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `2023-11-14T22:13:20.500Z` → `1700000000.5`: whole seconds from the date,
 * the fraction appended in decimal, so the double is the one the AWS SDK
 * computes (`getTime() / 1000`) with no float drift.
 */
export function epochSeconds(rfc3339: string): number {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(rfc3339);
  const whole = Date.parse(`${match ? match[1] : rfc3339}Z`) / 1000;
  const fraction = match?.[2]?.slice(0, 3).replace(/0+$/, "");
  return fraction ? Number(`${whole}.${fraction.padStart(1, "0")}`) : whole;
}

/** RFC 3339 at millisecond precision with `.000` dropped: `date.toISOString().replace(".000Z", "Z")`. */
export function awsDateTime(rfc3339: string): string {
  return new Date(Date.parse(rfc3339)).toISOString().replace(".000Z", "Z");
}

import { isFieldSet } from "@bufbuild/protobuf";
import type { DescField, DescMessage, Message, ScalarType } from "@bufbuild/protobuf";
import { ScalarType as S } from "@bufbuild/protobuf";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Renders one of our messages in the JSON shape the official SDK's `toJSON`
 * produces (ts-proto: camelCase keys, every scalar/repeated/map field present,
 * unset message and oneof fields absent, enums by name, int64 as numbers,
 * timestamps as ISO strings, Any as {typeUrl, value: base64}). Comparing this
 * with `SdkCodec.toJSON(SdkCodec.decode(ourBytes))` shows both sides read the
 * same bytes to the same values. `skip` leaves out fields the SDK is too old
 * to know.
 */
export function toSdkJson(desc: DescMessage, message: Message, skip: (f: DescField) => boolean = () => false): Json {
  const out: Record<string, Json> = {};
  const record = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    if (skip(field)) continue;
    if (field.oneof) {
      const oneof = record[field.oneof.localName] as { case?: string; value?: unknown };
      if (oneof.case === field.localName) out[field.localName] = singular(field, oneof.value);
      continue;
    }
    if (field.fieldKind === "message" && !isFieldSet(message, field)) continue;
    out[field.localName] = value(field, record[field.localName], skip);
  }
  return out;
}

function value(field: DescField, v: unknown, skip: (f: DescField) => boolean): Json {
  switch (field.fieldKind) {
    case "list":
      return (v as unknown[]).map((e) =>
        field.listKind === "message"
          ? messageJson(field.message, e as Message, skip)
          : field.listKind === "enum"
            ? enumName(field, e as number)
            : scalar(field.scalar, e),
      );
    case "map": {
      const out: Record<string, Json> = {};
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
        out[k] =
          field.mapKind === "message"
            ? messageJson(field.message, e as Message, skip)
            : field.mapKind === "enum"
              ? enumName(field, e as number)
              : scalar(field.scalar, e);
      }
      return out;
    }
    default:
      return singular(field, v, skip);
  }
}

function singular(field: DescField, v: unknown, skip: (f: DescField) => boolean = () => false): Json {
  if (field.fieldKind === "enum") return enumName(field, v as number);
  if (field.fieldKind === "scalar") return scalar(field.scalar, v);
  if (field.fieldKind === "message") return messageJson(field.message, v as Message, skip);
  throw new Error(`unexpected field kind for ${field.name}`);
}

function enumName(field: DescField, n: number): string {
  const e = field.enum!;
  return e.values.find((v) => v.number === n)?.name ?? "UNKNOWN";
}

function messageJson(desc: DescMessage, m: Message, skip: (f: DescField) => boolean): Json {
  const record = m as unknown as Record<string, unknown>;
  switch (desc.typeName) {
    case "google.protobuf.Timestamp": {
      const ms = Number(record.seconds as bigint) * 1000 + Math.floor((record.nanos as number) / 1_000_000);
      return new Date(ms).toISOString();
    }
    case "google.protobuf.Any":
      return { typeUrl: record.typeUrl as string, value: Buffer.from(record.value as Uint8Array).toString("base64") };
    default:
      return toSdkJson(desc, m, skip);
  }
}

function scalar(type: ScalarType, v: unknown): Json {
  switch (type) {
    case S.INT64:
    case S.UINT64:
    case S.SINT64:
    case S.FIXED64:
    case S.SFIXED64:
      return Number(v as bigint);
    case S.BYTES:
      return Buffer.from(v as Uint8Array).toString("base64");
    default:
      return v as Json;
  }
}

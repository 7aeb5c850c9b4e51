import { create, toBinary, ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescMessage, Message } from "@bufbuild/protobuf";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";

/**
 * How many distinct fully-populated instances of `desc` are needed so that
 * every oneof case and every enum value of its own fields appears at least once.
 */
export function variantCount(desc: DescMessage): number {
  let count = 2;
  for (const oneof of desc.oneofs) count = Math.max(count, oneof.fields.length);
  for (const field of desc.fields) {
    if (field.enum) count = Math.max(count, field.enum.values.length);
  }
  return count;
}

/**
 * Builds an instance of `desc` with every field set to a non-default value:
 * scalars, repeated (2 elements), maps (2 entries), nested messages, timestamps,
 * Any, int64 values above 2^32. Variant `n` picks oneof case `n % cases` and
 * enum value `n % values`, so iterating variants covers them all. Recursive
 * types stop at `maxDepth`.
 */
export function populate(desc: DescMessage, variant: number, depth = 0, maxDepth = 3): Message {
  const init: Record<string, unknown> = {};
  for (const field of desc.fields) {
    if (field.oneof) continue;
    const value = fieldValue(field, variant, depth, maxDepth);
    if (value !== undefined) init[field.localName] = value;
  }
  for (const oneof of desc.oneofs) {
    const field = oneof.fields[variant % oneof.fields.length]!;
    const value = singularValue(field, variant, depth, maxDepth);
    if (value !== undefined) init[oneof.localName] = { case: field.localName, value };
  }
  return create(desc, init as never);
}

function fieldValue(field: DescField, variant: number, depth: number, maxDepth: number): unknown {
  switch (field.fieldKind) {
    case "list": {
      if (field.listKind === "message" && depth + 1 >= maxDepth) return undefined;
      return [0, 1].map((i) => elementValue(field, variant * 2 + i, depth, maxDepth));
    }
    case "map": {
      const entries: Record<string, unknown> = {};
      for (const i of [0, 1]) {
        entries[`k${variant}.${i}`] = mapValue(field, variant * 2 + i, depth, maxDepth);
      }
      return entries;
    }
    default:
      return singularValue(field, variant, depth, maxDepth);
  }
}

function elementValue(field: DescField & { fieldKind: "list" }, n: number, depth: number, maxDepth: number): unknown {
  if (field.listKind === "message") return messageValue(field.message, n, depth, maxDepth);
  if (field.listKind === "enum") return field.enum.values[n % field.enum.values.length]!.number;
  return scalarValue(field.scalar, field.name, n);
}

function mapValue(field: DescField & { fieldKind: "map" }, n: number, depth: number, maxDepth: number): unknown {
  if (field.mapKind === "message") return messageValue(field.message, n, depth, maxDepth);
  if (field.mapKind === "enum") return field.enum.values[n % field.enum.values.length]!.number;
  return scalarValue(field.scalar, field.name, n);
}

function singularValue(field: DescField, variant: number, depth: number, maxDepth: number): unknown {
  if (field.fieldKind === "enum") return field.enum.values[variant % field.enum.values.length]!.number;
  if (field.fieldKind === "scalar") return scalarValue(field.scalar, field.name, variant);
  if (field.fieldKind === "message") {
    if (depth + 1 >= maxDepth) return undefined;
    return messageValue(field.message, variant, depth, maxDepth);
  }
  return undefined;
}

function messageValue(desc: DescMessage, n: number, depth: number, maxDepth: number): unknown {
  switch (desc.typeName) {
    case "google.protobuf.Timestamp":
      // Millisecond precision: the official SDK decodes timestamps into Date.
      return { seconds: BigInt(1_700_000_000 + n * 86_400), nanos: ((n % 999) + 1) * 1_000_000 };
    case "google.protobuf.Any":
      return {
        typeUrl: "type.googleapis.com/google.rpc.Status",
        value: toBinary(StatusSchema, create(StatusSchema, { code: 5, message: `packed-${n}` })),
      };
    default:
      return populate(desc, n, depth + 1, maxDepth);
  }
}

function scalarValue(scalar: ScalarType, name: string, n: number): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return `${name}-${n}-é→✓`;
    case ScalarType.BOOL:
      return true;
    case ScalarType.BYTES:
      return new Uint8Array([n, 0xff, 0x00, 0x80]);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // Above 2^32 to need a multi-byte varint, below 2^53 because the official
      // SDK turns int64 into a JS number; every other variant negative.
      return (n % 2 === 0 ? 1n : -1n) * (2n ** 40n + BigInt(n));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 2n ** 40n + BigInt(n);
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return n + 0.5;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return 70_000 + n;
    default:
      return (n % 2 === 0 ? 1 : -1) * (70_000 + n);
  }
}

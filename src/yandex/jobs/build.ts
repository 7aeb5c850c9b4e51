import { create } from "@bufbuild/protobuf";
import type { DescMessage, MessageInitShape, MessageShape, UnknownField } from "@bufbuild/protobuf";

/**
 * A flat builder property standing for one member of a nested oneof, e.g.
 * Hive's `queries: string[]` for the member `queryList: QueryList`.
 */
export interface FlatAlternative {
  /** Property name in the builder's input. */
  readonly key: string;
  /** `localName` of the oneof member it sets. */
  readonly member: string;
  /** Turns the input value into the member's value (default: as is). */
  readonly wrap?: (value: unknown) => unknown;
}

/** A nested oneof that a builder exposes as flat, mutually exclusive properties. */
export interface FlatOneof {
  /** `localName` of the oneof group (e.g. `driver`). */
  readonly oneof: string;
  readonly alternatives: readonly FlatAlternative[];
}

/**
 * Creates a message of `schema` from a builder's flat input.
 *
 * Why not just `create(schema, input)`: `create` keeps list and map values by
 * reference (a caller's frozen or later-mutated array would end up inside the
 * request) and silently ignores keys it does not know, so a JS caller's typo,
 * or both alternatives of a oneof, would vanish without a trace. Here lists
 * and maps are copied, and every key the builder cannot place — an unknown
 * name, a raw oneof group such as `driver`, both alternatives of one oneof,
 * a `$typeName` of another message — is a `TypeError`. Values are not
 * checked: that is the client's validation against the proto constraints.
 * `undefined` and `null` mean "not set", as in `create`.
 */
export function buildMessage<Desc extends DescMessage>(
  schema: Desc,
  input: object,
  builder: string,
  oneofs: readonly FlatOneof[] = [],
): MessageShape<Desc> {
  const init: Record<string, unknown> = {};
  let unknownFields: unknown;
  const chosen = new Map<FlatOneof, [FlatAlternative, unknown]>();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (key === "$typeName") {
      if (value !== schema.typeName) {
        throw new TypeError(`${builder}: expected ${schema.typeName}, got ${String(value)}`);
      }
      continue;
    }
    if (key === "$unknown") {
      unknownFields = value; // `create` ignores it; restored below
      continue;
    }
    const flat = findAlternative(oneofs, key);
    if (flat) {
      const [oneof, alternative] = flat;
      const previous = chosen.get(oneof);
      if (previous) {
        throw new TypeError(
          `${builder}: "${previous[0].key}" and "${key}" are alternatives (oneof ${oneof.oneof}); set exactly one`,
        );
      }
      chosen.set(oneof, [alternative, value]);
      continue;
    }
    const field = schema.fields.find((f) => f.localName === key && f.oneof === undefined);
    if (!field) {
      throw new TypeError(`${builder}: unknown field "${key}" for ${schema.typeName}`);
    }
    init[key] = field.fieldKind === "list" && Array.isArray(value)
      ? [...(value as readonly unknown[])]
      : field.fieldKind === "map" && typeof value === "object"
        ? { ...value }
        : value;
  }
  for (const [oneof, [alternative, value]] of chosen) {
    init[oneof.oneof] = {
      case: alternative.member,
      value: alternative.wrap ? alternative.wrap(value) : value,
    };
  }
  // The keys were checked against the schema above; the cast only forgets
  // that `init` was assembled dynamically.
  const message = create(schema, init as MessageInitShape<Desc>);
  if (Array.isArray(unknownFields)) message.$unknown = [...(unknownFields as UnknownField[])];
  return message;
}

function findAlternative(
  oneofs: readonly FlatOneof[],
  key: string,
): [FlatOneof, FlatAlternative] | undefined {
  for (const oneof of oneofs) {
    const alternative = oneof.alternatives.find((a) => a.key === key);
    if (alternative) return [oneof, alternative];
  }
  return undefined;
}

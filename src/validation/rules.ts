import { ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescMessage, DescOneof } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence, isWrapperDesc } from "@bufbuild/protobuf/wkt";
import { declaredConstraints, declaresExactlyOne } from "./constraint-options.js";
import type { DeclaredConstraints } from "./constraint-options.js";
import { bytesCheck, durationValueCheck, lengthCheck, patternCheck, valueCheck } from "./checks.js";
import type { ElementCheck } from "./checks.js";
import { parseRange } from "./range.js";
import type { Range } from "./range.js";

/**
 * The compiled constraints of one message type: what validate.ts runs for
 * every message of that type.
 *
 * Everything here is derived from descriptors and the validation options in
 * them (Yandex's `yandex.cloud` set or this package's `dataproc_connect.v1`
 * one, read alike by constraint-options.ts); no message is special-cased, so a service added later is validated
 * as soon as its generated files exist. Compilation happens once per
 * descriptor (cached in a WeakMap) because validation runs before every call.
 *
 * @example
 * ```ts
 * const rules = rulesFor(CreateJobRequestSchema);
 * rules.members.map((m) => m.name);
 * // ["cluster_id", "name", "job_spec", "mapreduce_job", "spark_job", …]
 * ```
 */
export interface MessageRules {
  readonly typeName: string;
  /**
   * In declaration order (so violations come out in the order of the .proto):
   * fields with a constraint of their own or with a message type that has
   * some, and oneofs carrying `exactly_one` (each just before its fields).
   */
  readonly members: readonly MemberRules[];
}

export type MemberRules = FieldRules | OneofRule;

/** A oneof with `exactly_one`: one of its fields must be the selected case. */
export interface OneofRule {
  readonly kind: "exactly_one";
  readonly name: string;
  readonly localName: string;
  /** Member field names, for the message: "a, b, c". */
  readonly members: string;
}

/**
 * How the validator tells whether a singular field is set.
 * - `implicit`: proto3 scalar/enum, set when not the zero value.
 * - `explicit`: `optional` scalar/enum (or proto2), set when assigned.
 * - `oneof`: member of a oneof, set when it is the selected case.
 * - `message`: message field, set when not `undefined`; this includes
 *   `google.protobuf.*Value` wrappers, which protobuf-es unboxes to a plain
 *   scalar (the scalar checks then apply to that scalar).
 */
export type Presence = "implicit" | "explicit" | "oneof" | "message";

interface FieldRulesBase {
  readonly field: DescField;
  /** Proto field name, used in paths. */
  readonly name: string;
  readonly localName: string;
  readonly required: boolean;
  /** Checks on the value, on each repeated element, or on each map value. */
  readonly checks: readonly ElementCheck[];
  /** Message type to recurse into, when it (transitively) has constraints. */
  readonly descend: DescMessage | undefined;
}

export interface SingularRules extends FieldRulesBase {
  readonly kind: "singular";
  readonly presence: Presence;
  /** Localname of the oneof holding the field, when `presence` is `oneof`. */
  readonly oneofLocalName: string | undefined;
  /** True when `required` also rejects a set zero value ("", 0, false). */
  readonly zeroIsMissing: boolean;
  readonly isZero: (value: unknown) => boolean;
}

export interface ListRules extends FieldRulesBase {
  readonly kind: "list";
  readonly size: Range | undefined;
  readonly unique: boolean;
}

export interface MapRules extends FieldRulesBase {
  readonly kind: "map";
  readonly size: Range | undefined;
  /** Checks from `map_key` on each key. */
  readonly keyChecks: readonly ElementCheck[];
  /** String keys are JSON-quoted in paths; integer and bool keys are not. */
  readonly stringKeys: boolean;
}

export type FieldRules = SingularRules | ListRules | MapRules;

const cache = new WeakMap<DescMessage, MessageRules>();
const ownCache = new WeakMap<DescMessage, OwnRules>();
const reachCache = new WeakMap<DescMessage, boolean>();

/**
 * Compiled rules of `desc`, cached. Compiling also compiles the own rules of
 * every message type reachable from `desc`, so a malformed option anywhere
 * below throws on the first call for `desc`, not only when some rarely used
 * nested field happens to be set.
 *
 * @throws TypeError or SyntaxError when an option does not fit its field
 * (e.g. `length` on an int64) or a range/pattern does not parse.
 */
export function rulesFor(desc: DescMessage): MessageRules {
  let rules = cache.get(desc);
  if (rules === undefined) {
    rules = compileMessage(desc);
    cache.set(desc, rules);
  }
  return rules;
}

/** Constraints declared directly on a message, without recursion. */
interface OwnRules {
  readonly oneofs: readonly OneofRule[];
  /** Per field: its compiled rules, when it declares any option. */
  readonly fields: ReadonlyMap<DescField, FieldRules>;
}

function compileMessage(desc: DescMessage): MessageRules {
  const own = ownRulesFor(desc);
  const members: MemberRules[] = [];
  const addField = (field: DescField): void => {
    const nested = nestedMessage(field);
    const descend = nested !== undefined && reachesRules(nested) ? nested : undefined;
    const declared = own.fields.get(field);
    if (declared !== undefined) {
      members.push(descend === undefined ? declared : { ...declared, descend });
    } else if (descend !== undefined) {
      members.push(compileField(field, descend));
    }
  };
  for (const member of desc.members) {
    if (member.kind === "field") {
      addField(member);
      continue;
    }
    const rule = own.oneofs.find((o) => o.localName === member.localName);
    if (rule !== undefined) members.push(rule);
    member.fields.forEach(addField);
  }
  return { typeName: desc.typeName, members };
}

function ownRulesFor(desc: DescMessage): OwnRules {
  let own = ownCache.get(desc);
  if (own === undefined) {
    const oneofs = desc.oneofs.filter(declaresExactlyOne).map(compileOneof);
    const fields = new Map<DescField, FieldRules>();
    for (const field of desc.fields) {
      const declared = declaredConstraints(field);
      if (declared !== undefined) fields.set(field, compileField(field, undefined, declared));
    }
    own = { oneofs, fields };
    ownCache.set(desc, own);
  }
  return own;
}

/**
 * True when `desc` or any message type reachable through its fields declares
 * a constraint. Message types without any (Timestamp, Operation's Any
 * payloads…) are then skipped entirely at validation time.
 */
function reachesRules(desc: DescMessage): boolean {
  let found = reachCache.get(desc);
  if (found === undefined) {
    found = false;
    const seen = new Set<DescMessage>([desc]);
    const stack = [desc];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const own = ownRulesFor(next);
      if (own.oneofs.length > 0 || own.fields.size > 0) found = true;
      for (const field of next.fields) {
        const nested = nestedMessage(field);
        if (nested !== undefined && !seen.has(nested)) {
          seen.add(nested);
          stack.push(nested);
        }
      }
    }
    reachCache.set(desc, found);
  }
  return found;
}

/** The message type of a message, repeated-message or message-valued map field. */
function nestedMessage(field: DescField): DescMessage | undefined {
  switch (field.fieldKind) {
    case "message":
      return isUnboxedWrapper(field) ? undefined : field.message;
    case "list":
      return field.listKind === "message" ? field.message : undefined;
    case "map":
      return field.mapKind === "message" ? field.message : undefined;
    default:
      return undefined;
  }
}

/** protobuf-es represents singular, non-oneof wrapper fields as plain scalars. */
function isUnboxedWrapper(field: DescField): boolean {
  return field.fieldKind === "message" && field.oneof === undefined && isWrapperDesc(field.message);
}

function compileOneof(oneof: DescOneof): OneofRule {
  return {
    kind: "exactly_one",
    name: oneof.name,
    localName: oneof.localName,
    members: oneof.fields.map((f) => f.name).join(", "),
  };
}

/**
 * The value type the element checks see: a scalar, a Duration (whose `value`
 * bounds carry units), or "other" (enum, any other message).
 */
type ElementType = ScalarType | "duration" | "other";

/** What a field without options of its own declares: nothing. */
const undeclared: DeclaredConstraints = {
  source: "",
  required: false,
  unique: false,
  pattern: undefined,
  value: undefined,
  size: undefined,
  length: undefined,
  bytes: undefined,
  mapKey: undefined,
};

function compileField(
  field: DescField,
  descend: DescMessage | undefined,
  declared: DeclaredConstraints = undeclared,
): FieldRules {
  const base = {
    field,
    name: field.name,
    localName: field.localName,
    required: declared.required,
    checks: elementChecks(field, elementType(field), declared),
    descend,
  };
  const size = declared.size !== undefined ? parseRange(declared.size) : undefined;
  const unique = declared.unique;
  if (size !== undefined && field.fieldKind !== "list" && field.fieldKind !== "map") {
    throw misplaced(field, declared, "size", "a repeated or map field");
  }
  if (unique && field.fieldKind !== "list") throw misplaced(field, declared, "unique", "a repeated field");
  if (declared.mapKey !== undefined && field.fieldKind !== "map") {
    throw misplaced(field, declared, "map_key", "a map field");
  }
  switch (field.fieldKind) {
    case "list":
      return { ...base, kind: "list", size, unique };
    case "map":
      return {
        ...base,
        kind: "map",
        size,
        keyChecks: keyChecks(field, declared),
        stringKeys: field.mapKey === ScalarType.STRING,
      };
    default: {
      const presence = presenceOf(field);
      return {
        ...base,
        kind: "singular",
        presence,
        oneofLocalName: field.oneof?.localName,
        zeroIsMissing: presence !== "message",
        isZero: zeroTest(field),
      };
    }
  }
}

function presenceOf(field: DescField): Presence {
  if (field.oneof !== undefined) return "oneof";
  if (field.fieldKind === "message") return "message";
  // IMPLICIT: proto3 fields without `optional`.
  return field.presence === FeatureSet_FieldPresence.IMPLICIT ? "implicit" : "explicit";
}

function zeroTest(field: DescField): (value: unknown) => boolean {
  switch (field.fieldKind) {
    case "scalar": {
      const type = field.scalar;
      return (value) => isScalarZero(type, value);
    }
    case "enum": {
      const zero = field.enum.values[0]?.number ?? 0;
      return (value) => value === zero;
    }
    default:
      return () => false;
  }
}

/**
 * Zero value test matching protobuf-es's implicit presence: "", false, empty
 * bytes, +0 (not -0) for floats, and 0 / 0n / "0" for integers.
 */
function isScalarZero(type: ScalarType, value: unknown): boolean {
  switch (type) {
    case ScalarType.STRING:
      return value === "";
    case ScalarType.BOOL:
      return value === false;
    case ScalarType.BYTES:
      return value instanceof Uint8Array && value.byteLength === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return Object.is(value, 0);
    default:
      return value === 0 || value === 0n || value === "0";
  }
}

function elementType(field: DescField): ElementType {
  switch (field.fieldKind) {
    case "scalar":
      return field.scalar;
    case "list":
      return field.listKind === "scalar" ? field.scalar : "other";
    case "map":
      return field.mapKind === "scalar" ? field.scalar : "other";
    case "message": {
      if (field.message.typeName === "google.protobuf.Duration") return "duration";
      const inner = field.message.fields[0];
      return isUnboxedWrapper(field) && inner?.fieldKind === "scalar" ? inner.scalar : "other";
    }
    default:
      return "other";
  }
}

function elementChecks(field: DescField, type: ElementType, declared: DeclaredConstraints): ElementCheck[] {
  const checks: ElementCheck[] = [];
  if (declared.length !== undefined) {
    if (type !== ScalarType.STRING) throw misplaced(field, declared, "length", "a string field");
    checks.push(lengthCheck(declared.length));
  }
  if (declared.pattern !== undefined) {
    if (type !== ScalarType.STRING) throw misplaced(field, declared, "pattern", "a string field");
    checks.push(patternCheck(declared.pattern));
  }
  if (declared.value !== undefined) {
    if (type === "duration") checks.push(durationValueCheck(declared.value));
    else if (!isNumeric(type)) throw misplaced(field, declared, "value", "a numeric or Duration field");
    else checks.push(valueCheck(declared.value));
  }
  if (declared.bytes !== undefined) {
    if (type !== ScalarType.BYTES) throw misplaced(field, declared, "bytes", "a bytes field");
    checks.push(bytesCheck(declared.bytes));
  }
  return checks;
}

function keyChecks(field: DescField & { fieldKind: "map" }, declared: DeclaredConstraints): ElementCheck[] {
  const spec = declared.mapKey;
  if (spec === undefined) return [];
  const checks: ElementCheck[] = [];
  if (spec.length !== "") {
    if (field.mapKey !== ScalarType.STRING) throw misplaced(field, declared, "map_key.length", "string keys");
    checks.push(lengthCheck(spec.length, "key"));
  }
  if (spec.pattern !== "") {
    if (field.mapKey !== ScalarType.STRING) throw misplaced(field, declared, "map_key.pattern", "string keys");
    checks.push(patternCheck(spec.pattern, "key"));
  }
  if (spec.value !== "") {
    if (!isNumeric(field.mapKey)) throw misplaced(field, declared, "map_key.value", "integer keys");
    checks.push(valueCheck(spec.value, "key"));
  }
  return checks;
}

function isNumeric(type: ElementType): boolean {
  return type !== "other" && type !== "duration" && type !== ScalarType.STRING && type !== ScalarType.BOOL && type !== ScalarType.BYTES;
}

/**
 * An option on a field it cannot constrain is a mistake in the .proto file;
 * failing loudly beats silently not checking.
 */
function misplaced(field: DescField, declared: DeclaredConstraints, option: string, expected: string): TypeError {
  return new TypeError(
    `${field.parent.typeName}.${field.name}: option (${declared.source}.${option}) applies to ${expected} only`,
  );
}

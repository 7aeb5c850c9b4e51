import { isMessage, ScalarType } from "@bufbuild/protobuf";
import type { DescEnum, DescField, DescMessage, DescOneof } from "@bufbuild/protobuf";
import { isWrapperDesc } from "@bufbuild/protobuf/wkt";
import { display } from "../util/display.js";
import type { Violation } from "./errors.js";
import { mapEntryPath } from "./text.js";

/**
 * Checks the JavaScript types of a request as a caller wrote it — a plain
 * init object or a message — against its schema, before `create()` sees it.
 *
 * Why: `create()` and the serializer trust the TypeScript types and coerce
 * whatever a JavaScript caller passes. `clusterId: 12345` goes out as
 * `"12345"`, `args: "--day 2026-11-22"` as a list of single characters,
 * `continueOnFailure: "yes"` as `true`, a oneof member set beside its group
 * (`queryList` next to `queryType`) silently disappears, and a Symbol or
 * `pageSize: 1.5` fails late as INTERNAL "serialize binary". Every one of these is reported
 * here, with the proto field path and what was expected, so that nothing is
 * sent. The rules come from the descriptors only: every message of every
 * service is checked the same way.
 *
 * What is accepted is what protobuf-es itself accepts for the field:
 * `string` / `boolean` / `number` for their scalars; for 64-bit integers a
 * `bigint`, an integral `number` or a decimal string; for bytes a
 * `Uint8Array` (or an array of octets); enum numbers; objects or messages of
 * the right type for message fields; arrays for repeated fields; plain
 * objects for maps; `{ case, value }` for oneof groups. `undefined` and
 * `null` mean "not set", as in `create()`. Other keys are ignored, as
 * TypeScript's structural types allow them (a job handle passed as a
 * `GetJobRequest` carries `wait`, `logs`, …) — except the name of a oneof
 * member, which is always a mistake. Never echoes a string value (it may be
 * a credential): only its type.
 *
 * @example
 * ```ts
 * checkTypes(CreateJobRequestSchema, { clusterId: 12345 }).map((v) => v.message);
 * // ["cluster_id: expected a string, got the number 12345"]
 * checkTypes(CreateJobRequestSchema, {
 *   clusterId: "c9q…",
 *   jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", args: "--day 2026-11-22" } },
 * }).map((v) => v.message);
 * // ["spark_job.args: expected a list of strings, got a string"]
 * ```
 */
export function checkTypes(schema: DescMessage, init: unknown): Violation[] {
  const out: Violation[] = [];
  if (!isPlainObject(init)) {
    report(out, "", "type", `expected a ${schema.typeName} object, got ${describe(init)}`);
    return out;
  }
  visitObject(schema, init, "", out);
  return out;
}

/** Rule names of the violations found here (the constraints use theirs). */
const typeRule = "type";
const oneofRule = "oneof";

type Fields = Record<string, unknown>;

function visitObject(desc: DescMessage, obj: Fields, prefix: string, out: Violation[]): void {
  const typeName = obj["$typeName"];
  if (typeName !== undefined && typeName !== desc.typeName) {
    report(out, trimDot(prefix), typeRule, `expected a ${desc.typeName} object, got a ${display(String(typeName))} message`);
    return;
  }
  // create() reads a oneof only from its group: a member set as a sibling vanishes.
  for (const member of desc.fields) {
    if (member.oneof === undefined || obj[member.localName] === undefined || obj[member.localName] === null) continue;
    const oneof = member.oneof;
    report(
      out,
      prefix + member.name,
      oneofRule,
      `is a member of oneof ${oneof.name}: set ${oneof.localName}: { case: "${member.localName}", value } instead`,
    );
  }
  for (const member of desc.members) {
    if (member.kind === "oneof") {
      visitOneof(member, obj[member.localName], prefix, out);
    } else {
      const value = obj[member.localName];
      if (value !== undefined && value !== null) visitField(member, value, prefix + member.name, out);
    }
  }
}

function visitOneof(oneof: DescOneof, group: unknown, prefix: string, out: Violation[]): void {
  if (group === undefined || group === null) return;
  const path = prefix + oneof.name;
  const cases = oneof.fields.map((f) => `"${f.localName}"`).join(", ");
  if (!isPlainObject(group)) {
    report(out, path, oneofRule, `expected { case, value } with case one of ${cases}, got ${describe(group)}`);
    return;
  }
  for (const key of Object.keys(group)) {
    if (key !== "case" && key !== "value" && group[key] !== undefined) {
      report(out, path, oneofRule, `has a stray key ${keyName(key, Object.keys(group).indexOf(key))}: a oneof is { case, value } with case one of ${cases}`);
    }
  }
  const selected = group["case"];
  if (selected === undefined) {
    if (group["value"] !== undefined) report(out, path, oneofRule, `has a value but no case (one of ${cases})`);
    return;
  }
  const field = oneof.fields.find((f) => f.localName === selected);
  if (field === undefined) {
    const got = typeof selected === "string" ? `"${display(selected)}"` : describe(selected);
    report(out, path, oneofRule, `case must be one of ${cases}, got ${got}`);
    return;
  }
  const value = group["value"];
  if (value === undefined || value === null) {
    report(out, prefix + field.name, oneofRule, `is the case of ${oneof.name} but has no value`);
    return;
  }
  visitField(field, value, prefix + field.name, out);
}

function visitField(field: DescField, value: unknown, path: string, out: Violation[]): void {
  switch (field.fieldKind) {
    case "scalar":
      return check(out, path, scalarProblem(field.scalar, value));
    case "enum":
      return check(out, path, enumProblem(field.enum, value));
    case "message":
      return visitMessageValue(field, field.message, value, path, out);
    case "list": {
      if (!Array.isArray(value)) {
        report(out, path, typeRule, `expected a list of ${elementKind(field).plural}, got ${describe(value)}`);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const itemPath = `${path}[${i}]`;
        if (field.listKind === "scalar") check(out, itemPath, scalarProblem(field.scalar, item));
        else if (field.listKind === "enum") check(out, itemPath, enumProblem(field.enum, item));
        else visitMessageValue(undefined, field.message, item, itemPath, out);
      }
      return;
    }
    case "map": {
      if (!isPlainObject(value)) {
        const key = scalarKind(field.mapKey).plural;
        report(out, path, typeRule, `expected an object of ${key} to ${elementKind(field).plural}, got ${describe(value)}`);
        return;
      }
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const entryPath = mapEntryPath(path, key, i, field.mapKey === ScalarType.STRING);
        check(out, entryPath, mapKeyProblem(field.mapKey, key));
        const item = value[key];
        if (field.mapKind === "scalar") check(out, entryPath, scalarProblem(field.scalar, item));
        else if (field.mapKind === "enum") check(out, entryPath, enumProblem(field.enum, item));
        else visitMessageValue(undefined, field.message, item, entryPath, out);
      }
      return;
    }
  }
}

/**
 * A singular message field, a list element or a map value of message type.
 * Singular wrapper fields (`google.protobuf.StringValue`, …) outside a oneof
 * are plain scalars in protobuf-es; `google.protobuf.Struct` is a JSON object.
 */
function visitMessageValue(field: DescField | undefined, desc: DescMessage, value: unknown, path: string, out: Violation[]): void {
  if (field !== undefined && field.oneof === undefined && isWrapperDesc(desc)) {
    const inner = desc.fields[0]!;
    if (inner.fieldKind === "scalar") check(out, path, scalarProblem(inner.scalar, value));
    return;
  }
  if (!isPlainObject(value)) {
    report(out, path, typeRule, `expected a ${desc.typeName} object, got ${describe(value)}`);
    return;
  }
  if (desc.typeName === "google.protobuf.Struct" && field !== undefined && !isMessage(value)) return;
  visitObject(desc, value, `${path}.`, out);
}

interface Kind {
  readonly singular: string;
  readonly plural: string;
}

const int32Range: readonly [number, number] = [-(2 ** 31), 2 ** 31 - 1];
const uint32Range: readonly [number, number] = [0, 2 ** 32 - 1];
const int64Range: readonly [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const uint64Range: readonly [bigint, bigint] = [0n, 2n ** 64n - 1n];

function scalarKind(type: ScalarType): Kind {
  switch (type) {
    case ScalarType.STRING:
      return { singular: "a string", plural: "strings" };
    case ScalarType.BOOL:
      return { singular: "a boolean", plural: "booleans" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { singular: "a number", plural: "numbers" };
    case ScalarType.BYTES:
      return { singular: "bytes (a Uint8Array)", plural: "Uint8Arrays" };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { singular: "an integer (bigint, number or decimal string)", plural: "integers" };
    default:
      return { singular: "an integer", plural: "integers" };
  }
}

function elementKind(field: DescField & { fieldKind: "list" | "map" }): Kind {
  const kind = field.fieldKind === "list" ? field.listKind : field.mapKind;
  if (kind === "scalar") return scalarKind(field.scalar!);
  if (kind === "enum") return { singular: `a ${field.enum!.typeName} value`, plural: `${field.enum!.typeName} values` };
  return { singular: `a ${field.message!.typeName} object`, plural: `${field.message!.typeName} objects` };
}

/** Why `value` does not fit a scalar of `type`, or `undefined` when it does. */
function scalarProblem(type: ScalarType, value: unknown): string | undefined {
  const expected = scalarKind(type).singular;
  const wrong = (): string => `expected ${expected}, got ${describe(value)}`;
  switch (type) {
    case ScalarType.STRING:
      return typeof value === "string" ? undefined : wrong();
    case ScalarType.BOOL:
      return typeof value === "boolean" ? undefined : wrong();
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return typeof value === "number" ? undefined : wrong();
    case ScalarType.BYTES:
      if (value instanceof Uint8Array) return undefined;
      if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) {
        return undefined;
      }
      return wrong();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return int64Problem(value, int64Range, expected);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return int64Problem(value, uint64Range, expected);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return int32Problem(value, uint32Range);
    default:
      return int32Problem(value, int32Range);
  }
}

function int32Problem(value: unknown, [min, max]: readonly [number, number]): string | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) return `expected an integer, got ${describe(value)}`;
  return value >= min && value <= max ? undefined : `expected an integer from ${min} to ${max}, got ${value}`;
}

function int64Problem(value: unknown, [min, max]: readonly [bigint, bigint], expected: string): string | undefined {
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  else if (typeof value === "string") return `expected ${expected}, got a string that is not a decimal integer`;
  else return `expected ${expected}, got ${describe(value)}`;
  return n >= min && n <= max ? undefined : `expected an integer from ${min} to ${max}, got ${n}`;
}

/** Enums are open in proto3: any int32 is a value; names ("DONE") are not. */
function enumProblem(desc: DescEnum, value: unknown): string | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= int32Range[0] && value <= int32Range[1]) return undefined;
  const example = desc.values[1] ?? desc.values[0];
  const hint = example === undefined ? "" : ` (e.g. ${example.number} for ${example.name})`;
  return `expected a ${desc.typeName} value, a number${hint}, got ${describe(value)}`;
}

/** Map keys are object keys, so always strings: integer and bool keys must read as such. */
function mapKeyProblem(type: ScalarType, key: string): string | undefined {
  switch (type) {
    case ScalarType.STRING:
      return undefined;
    case ScalarType.BOOL:
      return key === "true" || key === "false" ? undefined : "key: expected true or false";
    default:
      return /^-?\d{1,20}$/.test(key) ? undefined : "key: expected an integer";
  }
}

/** What a value is, for "got …". Strings are never shown: they may be secrets. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return Number.isNaN(value) ? "NaN" : `the number ${value}`;
    case "bigint":
      return `the bigint ${value}`;
    case "boolean":
      return "a boolean";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
  }
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "a Uint8Array";
  if (isMessage(value)) return `a ${value.$typeName} message`;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string" && name !== "" && name !== "Object") return `a ${name}`;
  }
  return "an object";
}

/**
 * An object whose fields can be read as an init or message: not an array, a
 * Map, a Date, a typed array or a class instance. Messages with a prototype
 * chain (explicit-presence defaults) have a prototype whose prototype is
 * `Object.prototype`, so they qualify.
 */
function isPlainObject(value: unknown): value is Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (isMessage(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * A stray key of a oneof group as a message shows it: as is when it looks
 * like a property name a program would use, else by position (`[key #2]`),
 * so that a value pasted as a key by mistake is not echoed.
 */
function keyName(key: string, index: number): string {
  return /^[A-Za-z_$][\w$]{0,63}$/.test(key) ? key : `[key #${index}]`;
}

function check(out: Violation[], path: string, problem: string | undefined): void {
  if (problem !== undefined) report(out, path, typeRule, problem);
}

function trimDot(prefix: string): string {
  return prefix.endsWith(".") ? prefix.slice(0, -1) : prefix;
}

function report(out: Violation[], path: string, rule: string, what: string): void {
  const where = path === "" ? "request" : path;
  out.push({ path: where, rule, message: `${where}: ${what}` });
}

/**
 * A helper's `number` option (`pageSize`) as the int64 a request field wants.
 * A safe integer becomes a `bigint`; anything else a JavaScript caller may
 * pass (1.5, NaN, "abc") goes through unchanged, so that the request's type
 * check names the field instead of `BigInt()` throwing a bare RangeError.
 *
 * @example
 * ```ts
 * int64Option(100);       // 100n
 * int64Option(undefined); // 0n
 * ```
 */
export function int64Option(value: number | undefined): bigint {
  if (value === undefined) return 0n;
  return Number.isSafeInteger(value) ? BigInt(value) : (value as unknown as bigint);
}

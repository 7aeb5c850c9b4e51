import { equals, isFieldSet } from "@bufbuild/protobuf";
import type { DescMessage, Message, MessageShape } from "@bufbuild/protobuf";
import type { ElementCheck } from "./checks.js";
import { ValidationError } from "./errors.js";
import type { Violation } from "./errors.js";
import { rulesFor } from "./rules.js";
import { checkTypes } from "./types.js";
import type { FieldRules, ListRules, MapRules, MessageRules, SingularRules } from "./rules.js";
import { mapEntryPath } from "./text.js";

/**
 * Checks `message` against the validation options (`yandex.cloud` or
 * `dataproc_connect.v1`) declared in its schema and in the schemas of every
 * message it contains.
 *
 * Returns every violation, in field order, or `[]` when the message is valid.
 * Nothing is per-message code: the rules come from the descriptors, compiled
 * once per type and cached, so calling this before each request is cheap.
 *
 * JavaScript types are checked first ({@link checkTypes}); when any is
 * wrong, only those violations are returned.
 *
 * Zero values of proto3 scalar fields mean "not set" on the wire, so
 * `length`, `pattern` and `value` are not checked on them; `required`
 * rejects exactly them (and unset message fields, empty repeated and map
 * fields).
 *
 * @example
 * ```ts
 * const request = create(CreateJobRequestSchema, { name: "Bad_Name" });
 * validateMessage(CreateJobRequestSchema, request).map((v) => v.message);
 * // ["cluster_id: is required",
 * //  "name: does not match pattern [a-z][-a-z0-9]{1,61}[a-z0-9]",
 * //  "job_spec: exactly one of mapreduce_job, spark_job, pyspark_job, hive_job must be set"]
 * ```
 *
 * @throws TypeError when `message` is not of type `schema`, or when the
 * schema's options are malformed (see rules.ts).
 */
export function validateMessage<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): Violation[] {
  if (message.$typeName !== schema.typeName) {
    throw new TypeError(`cannot validate ${message.$typeName} as ${schema.typeName}`);
  }
  // Wrong JavaScript types first: a constraint on a value of the wrong type
  // ("value exceeds <=1000" for pageSize "abc") would only mislead.
  const typeViolations = checkTypes(schema, message);
  if (typeViolations.length > 0) return typeViolations;
  return validateConstraints(schema, message);
}

/**
 * The constraint half of {@link validateMessage}, without its JavaScript type
 * check: for a message built from a request whose types were already checked
 * ({@link checkTypes} on the caller's init, as the clients' type-check
 * wrapper does before `create()`), so a call does not walk it twice.
 *
 * @example
 * ```ts
 * validateConstraints(GetJobRequestSchema, create(GetJobRequestSchema, { clusterId: "c1" }));
 * // [{ path: "job_id", rule: "required", message: "job_id: is required" }]
 * ```
 * @internal
 */
export function validateConstraints<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Violation[] {
  const out: Violation[] = [];
  visitMessage(rulesFor(schema), message, "", out);
  return out;
}

/**
 * Like {@link validateMessage}, but throws a {@link ValidationError} listing
 * every violation when there is any.
 *
 * @example
 * ```ts
 * assertValid(GetJobRequestSchema, create(GetJobRequestSchema, { clusterId: "c1" }));
 * // ValidationError: invalid yandex.cloud.dataproc.v1.GetJobRequest: job_id: is required
 * ```
 */
export function assertValid<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): void {
  const violations = validateMessage(schema, message);
  if (violations.length > 0) throw new ValidationError(schema.typeName, violations);
}

/** Message properties by local name; protobuf-es messages are plain objects. */
type Fields = Record<string, unknown>;

/** The `{ case, value }` object protobuf-es uses for a oneof group. */
interface OneofValue {
  readonly case: string | undefined;
  readonly value?: unknown;
}

function visitMessage(rules: MessageRules, message: Message, prefix: string, out: Violation[]): void {
  const fields = message as unknown as Fields;
  for (const member of rules.members) {
    if (member.kind !== "exactly_one") {
      visitField(member, message, fields, prefix, out);
    } else if ((fields[member.localName] as OneofValue | undefined)?.case === undefined) {
      report(out, prefix + member.name, "exactly_one", `exactly one of ${member.members} must be set`);
    }
  }
}

function visitField(
  rules: FieldRules,
  message: Message,
  fields: Fields,
  prefix: string,
  out: Violation[],
): void {
  switch (rules.kind) {
    case "singular":
      return visitSingular(rules, message, fields, prefix, out);
    case "list":
      return visitList(rules, fields[rules.localName] as readonly unknown[], prefix, out);
    case "map":
      return visitMap(rules, fields[rules.localName] as Readonly<Fields>, prefix, out);
  }
}

function visitSingular(
  rules: SingularRules,
  message: Message,
  fields: Fields,
  prefix: string,
  out: Violation[],
): void {
  let value: unknown;
  let set: boolean;
  switch (rules.presence) {
    case "oneof": {
      const group = fields[rules.oneofLocalName!] as OneofValue;
      set = group.case === rules.localName;
      value = set ? group.value : undefined;
      break;
    }
    case "implicit":
      value = fields[rules.localName];
      set = !rules.isZero(value);
      break;
    case "explicit":
      value = fields[rules.localName];
      set = isFieldSet(message, rules.field);
      break;
    case "message":
      value = fields[rules.localName];
      set = value !== undefined;
      break;
  }
  if (rules.required && (!set || (rules.zeroIsMissing && rules.isZero(value)))) {
    report(out, prefix + rules.name, "required", "is required");
    return;
  }
  if (set) visitValue(rules, value, prefix + rules.name, out);
}

function visitList(rules: ListRules, list: readonly unknown[], prefix: string, out: Violation[]): void {
  const path = prefix + rules.name;
  if (rules.required && list.length === 0) {
    report(out, path, "required", "is required");
    return;
  }
  checkSize(rules, list.length, path, out);
  if (rules.unique) {
    for (const [dup, first] of duplicates(rules, list)) {
      report(out, `${path}[${dup}]`, "unique", `duplicates ${path}[${first}]`);
    }
  }
  if (rules.checks.length === 0 && rules.descend === undefined) return;
  for (let i = 0; i < list.length; i++) {
    visitValue(rules, list[i], `${path}[${i}]`, out);
  }
}

function visitMap(rules: MapRules, map: Readonly<Fields>, prefix: string, out: Violation[]): void {
  const path = prefix + rules.name;
  const keys = Object.keys(map);
  if (rules.required && keys.length === 0) {
    report(out, path, "required", "is required");
    return;
  }
  checkSize(rules, keys.length, path, out);
  if (rules.keyChecks.length === 0 && rules.checks.length === 0 && rules.descend === undefined) {
    return;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const entryPath = mapEntryPath(path, key, i, rules.stringKeys);
    runChecks(rules.keyChecks, key, entryPath, out);
    visitValue(rules, map[key], entryPath, out);
  }
}

/** Runs the element checks on a value, or recurses when it is a message. */
function visitValue(rules: FieldRules, value: unknown, path: string, out: Violation[]): void {
  runChecks(rules.checks, value, path, out);
  if (rules.descend !== undefined && isMessage(value)) {
    visitMessage(rulesFor(rules.descend), value, `${path}.`, out);
  }
}

function runChecks(checks: readonly ElementCheck[], value: unknown, path: string, out: Violation[]): void {
  for (const check of checks) {
    const failure = check.check(value);
    if (failure !== undefined) report(out, path, check.rule, failure);
  }
}

function checkSize(rules: ListRules | MapRules, count: number, path: string, out: Violation[]): void {
  const miss = rules.size?.miss(count);
  if (miss !== undefined) report(out, path, `size ${rules.size!.text}`, `size ${count} ${miss}`);
}

/**
 * Pairs [index of a repeat, index of its first occurrence]. Scalars compare
 * by value (bytes by content), messages with protobuf `equals`.
 */
function duplicates(rules: ListRules, list: readonly unknown[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const descriptor = rules.field.fieldKind === "list" ? rules.field : undefined;
  if (descriptor?.listKind === "message") {
    const schema = descriptor.message;
    for (let i = 1; i < list.length; i++) {
      for (let j = 0; j < i; j++) {
        if (equals(schema, list[i] as Message, list[j] as Message)) {
          found.push([i, j]);
          break;
        }
      }
    }
    return found;
  }
  const first = new Map<unknown, number>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const key = item instanceof Uint8Array ? `bytes:${item.join(",")}` : item;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i);
    else found.push([i, seen]);
  }
  return found;
}

function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && "$typeName" in value;
}

function report(out: Violation[], path: string, rule: string, what: string): void {
  out.push({ path, rule, message: `${path}: ${what}` });
}

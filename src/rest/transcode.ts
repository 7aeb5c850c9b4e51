import type { DescField, DescMessage, DescMethod, JsonObject, JsonValue, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { markFailure } from "../core/failure.js";
import { httpBindings } from "./http-rule.js";
import type { HttpBinding } from "./http-rule.js";
import type { JsonCodec } from "./json-codec.js";
import { matchesPattern } from "./path-template.js";
import { encodePathKeepingSlashes, encodeSegment } from "./percent.js";

/** One request as HTTP: verb, encoded path and query, JSON body text. */
export interface TranscodedRequest {
  readonly verb: string;
  /** The encoded path with its `:verb`, e.g. `/dataproc/v1/clusters/c1/jobs/j1:cancel`. */
  readonly path: string;
  /** The encoded query without `?`, `""` when there is none. */
  readonly query: string;
  /** The JSON body text, `undefined` when the rule has no body. */
  readonly body: string | undefined;
  /** The binding used (the rule or one of its additional bindings). */
  readonly binding: HttpBinding;
}

/**
 * Maps a request message onto its method's `google.api.http` rule, after
 * the gRPC transcoding spec (googleapis `google/api/http.proto`):
 *
 * - the first binding (the rule, then `additional_bindings`) whose path
 *   fields are all set and fit their patterns is used;
 * - `{field}` values are percent-encoded including `/`; `{field=a/*}` and
 *   `{field=**}` keep `/`; `.` and `..` segments are refused;
 * - `body: "*"`: every field not in the path goes in the JSON body, no query;
 * - `body: "field"`: that field is the body, the rest goes to the query;
 * - no body: every field not in the path goes to the query: nested messages
 *   as dotted names to any depth, repeated fields as repeated keys, enums by
 *   name, int64 as decimal, Timestamps in RFC 3339, spaces as `%20`.
 *
 * Keys follow the codec's naming (lowerCamel, or proto names). A request
 * that fits no binding fails with INVALID_ARGUMENT naming the field, marked
 * as a local failure (never retried, never sent).
 *
 * @example
 * ```ts
 * transcode(JobService.method.list, create(ListJobsRequestSchema, { clusterId: "c1", filter: "name = x" }), codec);
 * // { verb: "GET", path: "/dataproc/v1/clusters/c1/jobs", query: "filter=name%20%3D%20x", body: undefined, … }
 * ```
 */
export function transcode<I extends DescMessage>(
  method: DescMethod & { input: I },
  message: MessageShape<I>,
  codec: JsonCodec,
): TranscodedRequest {
  const bindings = httpBindings(method);
  let json: JsonObject;
  try {
    json = codec.encode(method.input, message);
  } catch (e) {
    throw local(`cannot encode ${method.input.typeName} as JSON: ${String(e instanceof Error ? e.message : e)}`, e);
  }
  let firstProblem: string | undefined;
  for (const binding of bindings) {
    const path = expandPath(binding, json, codec);
    if (typeof path !== "string") {
      firstProblem ??= path.problem;
      continue;
    }
    const rest = structuredCloneJson(json);
    for (const fields of binding.pathFields) removeField(rest, fields, codec);
    let body: string | undefined;
    let queryJson: JsonObject | undefined = rest;
    let querySchema: DescMessage = method.input;
    if (binding.body === "*") {
      body = JSON.stringify(codec.writeBody(method.input, rest));
      queryJson = undefined;
    } else if (binding.body !== undefined) {
      const field = binding.body;
      const key = codec.keyOf(field);
      let value: JsonValue | undefined = rest[key] ?? (field.fieldKind === "message" ? {} : undefined);
      delete rest[key];
      // Hooks see the body field as they would inside a body "*": its own
      // fields first, then the field itself.
      if (value !== undefined) value = codec.writeBody(method.input, { [key]: value })[key];
      body = value === undefined ? undefined : JSON.stringify(value);
    }
    const query = queryJson ? encodeQuery(querySchema, queryJson, codec, "") : [];
    return { verb: binding.verb, path, query: query.join("&"), body, binding };
  }
  throw local(`cannot call ${method.parent.typeName}.${method.name} over REST: ${firstProblem ?? "no binding fits"}`);
}

/** A request that cannot be put on the wire: INVALID_ARGUMENT, never sent (so no attempt counts). */
function local(message: string, cause?: unknown): ConnectError {
  return markFailure(new ConnectError(message, Code.InvalidArgument, undefined, undefined, cause), { origin: "local", unsent: true });
}

/**
 * `encode` of `text`, or `undefined` when `text` is not well-formed UTF-16
 * (a lone surrogate): `encodeURIComponent` throws a bare "URI malformed"
 * for it, which would name neither the field nor the rule.
 */
function encodeWellFormed(text: string, encode: (text: string) => string): string | undefined {
  try {
    return encode(text);
  } catch (e) {
    if (e instanceof URIError) return undefined;
    throw e;
  }
}

const notUnicode = "holds a lone UTF-16 surrogate (not valid Unicode), which cannot be sent in a URL";

function expandPath(binding: HttpBinding, json: JsonObject, codec: JsonCodec): string | { problem: string } {
  const out: string[] = [];
  let v = 0;
  for (const segment of binding.template.segments) {
    if (segment.kind === "literal") {
      out.push(segment.value);
      continue;
    }
    const fields = binding.pathFields[v++]!;
    const name = segment.fieldPath.join(".");
    const where = `${binding.verb} ${binding.template.source}`;
    let value: JsonValue | undefined = json;
    for (const field of fields) value = isObject(value) ? value[codec.keyOf(field)] : undefined;
    if (value !== undefined) value = codec.writeLeaf(fields[fields.length - 1]!, value, "path");
    if (value === undefined || value === null || value === "") {
      return { problem: `field ${name} is required by the path ${where} but is not set` };
    }
    if (typeof value === "object") return { problem: `field ${name} in the path ${where} is not a scalar` };
    const text = String(value);
    if (!matchesPattern(text, segment)) {
      const pattern = segment.pattern.map((p) => (p.kind === "literal" ? p.value : p.kind === "wildcard" ? "*" : "**")).join("/");
      return { problem: `field ${name} = ${JSON.stringify(text.slice(0, 100))} does not match the path pattern ${pattern} of ${where}` };
    }
    const encoded = encodeWellFormed(text, segment.multiSegment ? encodePathKeepingSlashes : encodeSegment);
    if (encoded === undefined) return { problem: `field ${name} in the path ${where} ${notUnicode}` };
    out.push(encoded);
  }
  const verb = binding.template.verb;
  return `/${out.join("/")}${verb === undefined ? "" : `:${verb}`}`;
}

/** Deletes a (nested) field and any parent object left empty by it. */
function removeField(json: JsonObject, fields: readonly DescField[], codec: JsonCodec): void {
  const [head, ...tail] = fields;
  if (!head) return;
  const key = codec.keyOf(head);
  if (tail.length === 0) {
    delete json[key];
    return;
  }
  const child = json[key];
  if (!isObject(child)) return;
  removeField(child, tail, codec);
  if (Object.keys(child).length === 0) delete json[key];
}

/** Well-known types whose JSON is an object with no fields of its own: never query parameters. */
const opaqueObjects = new Set(["google.protobuf.Any", "google.protobuf.Struct", "google.protobuf.ListValue", "google.protobuf.Value"]);

function encodeQuery(schema: DescMessage, json: JsonObject, codec: JsonCodec, prefix: string): string[] {
  const out: string[] = [];
  for (const field of schema.fields) {
    const key = codec.keyOf(field);
    const value = json[key];
    if (value === undefined || value === null) continue;
    const name = prefix + key;
    const fail = (why: string): never => {
      throw local(`field ${prefix}${field.name} (${schema.typeName}) ${why}`);
    };
    if (field.fieldKind === "map") fail("is a map and cannot be sent as a query parameter");
    const message = field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message") ? field.message : undefined;
    if (message && opaqueObjects.has(message.typeName)) fail(`is a ${message.typeName} and cannot be sent as a query parameter`);
    if (field.fieldKind === "list") {
      if (!Array.isArray(value)) continue;
      for (const item of value) {
        if (isObject(item)) fail("is a repeated message and cannot be sent as a query parameter");
        pushLeaf(out, field, name, item, codec);
      }
    } else if (message && isObject(value)) {
      out.push(...encodeQuery(message, value, codec, `${name}.`));
    } else {
      pushLeaf(out, field, name, value, codec);
    }
  }
  return out;
}

function pushLeaf(out: string[], field: DescField, name: string, value: JsonValue, codec: JsonCodec): void {
  const written = codec.writeLeaf(field, value, "query");
  if (written === undefined || written === null) return;
  const text = typeof written === "object" ? JSON.stringify(written) : String(written);
  const encoded = encodeWellFormed(text, encodeSegment);
  if (encoded === undefined) throw local(`field ${name} (query parameter) ${notUnicode}`);
  out.push(`${encodeSegment(name)}=${encoded}`);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function structuredCloneJson(json: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(json)) as JsonObject;
}

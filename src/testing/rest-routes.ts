import { ScalarType, fromJson } from "@bufbuild/protobuf";
import type { DescField, DescMessage, DescMethod, DescService, JsonObject, JsonValue, MessageShape, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { httpBindings } from "../rest/http-rule.js";
import type { HttpBinding } from "../rest/http-rule.js";
import { createJsonCodec, jsonNamingOf } from "../rest/json-codec.js";
import type { JsonFieldHook } from "../rest/json-codec.js";
import { JsonNaming } from "../../gen/dataproc_connect/v1/rest_pb.js";
import type { PatternSegment } from "../rest/path-template.js";

/** A method's binding matched against one request path. */
export interface RouteMatch {
  readonly method: DescMethod;
  readonly binding: HttpBinding;
  /** Decoded path variable values, by binding variable index. */
  readonly values: readonly string[];
}

/**
 * The server side of `google.api.http`: finds which method and binding a
 * request path and verb belong to, and turns path, query and body back
 * into the request message, as a transcoding gateway does:
 *
 * - query keys are split on `.` and looked up by proto name, then JSON name;
 *   repeated keys fill repeated fields; an unknown key is INVALID_ARGUMENT
 *   (Envoy's default: a client typo never passes silently);
 * - `+` in the query is a literal plus, not a space (Envoy's default);
 * - the body is protobuf JSON, strict about unknown fields.
 */
export class RestRoutes {
  readonly #routes: { method: DescMethod; binding: HttpBinding }[] = [];

  constructor(services: readonly DescService[]) {
    for (const service of services) {
      for (const method of service.methods) {
        if (method.methodKind !== "unary") continue;
        for (const binding of httpBindings(method)) this.#routes.push({ method, binding });
      }
    }
  }

  /** The first route whose verb and template fit, or `undefined`. */
  match(verb: string, rawPath: string): RouteMatch | undefined {
    for (const route of this.#routes) {
      if (route.binding.verb !== verb) continue;
      const values = matchPath(route.binding, rawPath);
      if (values) return { ...route, values };
    }
    return undefined;
  }

  /** Whether any route has this path with another verb (for 405 vs 404). */
  hasPath(rawPath: string): boolean {
    return this.#routes.some((route) => matchPath(route.binding, rawPath) !== undefined);
  }
}

function matchPath(binding: HttpBinding, rawPath: string): string[] | undefined {
  const verb = binding.template.verb;
  let path = rawPath;
  if (verb !== undefined) {
    if (!path.endsWith(`:${verb}`)) return undefined;
    path = path.slice(0, -verb.length - 1);
  } else if (/:[^/]*$/.test(path)) {
    return undefined;
  }
  if (!path.startsWith("/")) return undefined;
  const parts = path.slice(1).split("/");
  const values: string[] = [];
  let i = 0;
  for (let s = 0; s < binding.template.segments.length; s++) {
    const segment = binding.template.segments[s]!;
    if (segment.kind === "literal") {
      if (parts[i++] !== segment.value) return undefined;
      continue;
    }
    const taken = takeVariable(segment.pattern, parts.slice(i), s === binding.template.segments.length - 1);
    if (taken === undefined) return undefined;
    i += taken.length;
    try {
      values.push(taken.map((p) => decodeURIComponent(p)).join("/"));
    } catch {
      return undefined;
    }
  }
  return i === parts.length ? values : undefined;
}

function takeVariable(pattern: readonly PatternSegment[], parts: readonly string[], last: boolean): string[] | undefined {
  const taken: string[] = [];
  for (const segment of pattern) {
    if (segment.kind === "deep") {
      if (!last) return undefined;
      return parts.length > 0 && parts.every((p) => p !== "") ? [...taken, ...parts.slice(taken.length)] : undefined;
    }
    const part = parts[taken.length];
    if (part === undefined || part === "") return undefined;
    if (segment.kind === "literal" && part !== segment.value) return undefined;
    taken.push(part);
  }
  return taken;
}

/** Builds the request message of a matched route from the query and body. */
export function decodeRestRequest<I extends DescMessage>(
  match: RouteMatch & { method: DescMethod & { input: I } },
  rawQuery: string,
  body: Uint8Array,
  registry: Registry,
  hooks: readonly JsonFieldHook[] = [],
): MessageShape<I> {
  const input = match.method.input;
  const protoNames = jsonNamingOf(match.method.parent) === JsonNaming.PROTO_NAME;
  let json: JsonObject = {};
  const { binding } = match;
  if (binding.body !== undefined) {
    let parsed: JsonValue = {};
    if (body.byteLength > 0) {
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as JsonValue;
      } catch (e) {
        throw new ConnectError(`invalid JSON body: ${e instanceof Error ? e.message : String(e)}`, Code.InvalidArgument);
      }
    }
    if (binding.body === "*") {
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new ConnectError("the request body must be a JSON object", Code.InvalidArgument);
      }
      json = parsed;
    } else {
      json[protoNames ? binding.body.name : binding.body.jsonName] = parsed;
    }
  }
  binding.pathFields.forEach((fields, i) => setLeaf(json, fields, match.values[i]!, protoNames));
  if (rawQuery !== "") {
    if (binding.body === "*") throw new ConnectError("this method takes no query parameters (body: \"*\")", Code.InvalidArgument);
    for (const pair of rawQuery.split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      let key: string;
      let value: string;
      try {
        key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        value = decodeURIComponent(eq < 0 ? "" : pair.slice(eq + 1));
      } catch {
        throw new ConnectError(`malformed query parameter ${JSON.stringify(pair.slice(0, 100))}`, Code.InvalidArgument);
      }
      const fields = resolveQueryKey(input, key);
      setLeaf(json, fields, value, protoNames, true);
    }
  }
  try {
    if (hooks.length > 0) return createJsonCodec(match.method.parent, { registry, hooks }).decode(input, json);
    return fromJson(input, json, { registry });
  } catch (e) {
    throw new ConnectError(`invalid ${input.typeName}: ${e instanceof Error ? e.message : String(e)}`, Code.InvalidArgument);
  }
}

function resolveQueryKey(input: DescMessage, key: string): DescField[] {
  const fields: DescField[] = [];
  let message: DescMessage | undefined = input;
  for (const part of key.split(".")) {
    if (!message) throw new ConnectError(`unknown query parameter ${JSON.stringify(key.slice(0, 100))}`, Code.InvalidArgument);
    const field: DescField | undefined = message.fields.find((f) => f.name === part) ?? message.fields.find((f) => f.jsonName === part);
    if (!field) throw new ConnectError(`unknown query parameter ${JSON.stringify(key.slice(0, 100))}`, Code.InvalidArgument);
    fields.push(field);
    message = field.fieldKind === "message" && !field.message.typeName.startsWith("google.protobuf.") ? field.message : undefined;
  }
  return fields;
}

/** Sets a leaf given as text, converting it to the JSON type fromJson expects. */
function setLeaf(json: JsonObject, fields: readonly DescField[], text: string, protoNames: boolean, append = false): void {
  let target = json;
  fields.forEach((field, i) => {
    const key = protoNames ? field.name : field.jsonName;
    if (i < fields.length - 1) {
      const next = target[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) target[key] = {};
      target = target[key] as JsonObject;
      return;
    }
    const value = leafValue(field, text);
    if (field.fieldKind === "list") {
      const list = Array.isArray(target[key]) ? (target[key] as JsonValue[]) : [];
      list.push(value);
      target[key] = list;
    } else {
      if (append && target[key] !== undefined) {
        throw new ConnectError(`query parameter ${fields.map((f) => f.name).join(".")} given more than once`, Code.InvalidArgument);
      }
      target[key] = value;
    }
  });
}

function leafValue(field: DescField, text: string): JsonValue {
  const scalar = field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar") ? field.scalar : undefined;
  if (scalar === undefined) return /^-?\d+$/.test(text) && (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")) ? Number(text) : text;
  switch (scalar) {
    case ScalarType.BOOL:
      return text === "true" ? true : text === "false" ? false : text;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return text === "NaN" || text === "Infinity" || text === "-Infinity" ? text : Number(text);
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return /^-?\d+$/.test(text) ? Number(text) : text;
    default:
      return text;
  }
}

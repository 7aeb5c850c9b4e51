import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescField, DescMethod, DescService } from "@bufbuild/protobuf";
import { http } from "../../gen/google/api/annotations_pb.js";
import type { HttpRule } from "../../gen/google/api/http_pb.js";
import { parsePathTemplate } from "./path-template.js";
import type { PathTemplate } from "./path-template.js";

/**
 * One way to call a method over HTTP: the method's `google.api.http` rule,
 * or one of its `additional_bindings`, parsed and checked against the
 * request and response types once.
 */
export interface HttpBinding {
  /** `GET`, `POST`, …, or a custom verb such as `HEAD`. */
  readonly verb: string;
  readonly template: PathTemplate;
  /** The path variables' fields, outermost first, one list per variable. */
  readonly pathFields: readonly (readonly DescField[])[];
  /** `"*"`, a top-level request field, or absent for no body. */
  readonly body: "*" | DescField | undefined;
  /** The top-level response field that is the whole response body, if any. */
  readonly responseBody: DescField | undefined;
}

const cache = new WeakMap<DescMethod, readonly HttpBinding[]>();

/** Whether a method has a `google.api.http` rule. */
export function hasHttpRule(method: DescMethod): boolean {
  return hasOption(method, http);
}

/** Whether every method of the service has a rule, i.e. it can go over REST. */
export function serviceHasHttpRules(service: DescService): boolean {
  return service.methods.length > 0 && service.methods.every(hasHttpRule);
}

/**
 * The method's bindings in the order they are tried: the rule itself, then
 * its `additional_bindings`. Throws a `TypeError` naming the method when it
 * has no rule or the rule does not fit its messages.
 *
 * @example
 * ```ts
 * httpBindings(JobService.method.cancel)[0].template.verb; // "cancel"
 * ```
 */
export function httpBindings(method: DescMethod): readonly HttpBinding[] {
  let bindings = cache.get(method);
  if (!bindings) {
    if (!hasHttpRule(method)) {
      throw new TypeError(`${method.parent.typeName}.${method.name} has no google.api.http rule, so it cannot be called over REST`);
    }
    const rule = getOption(method, http);
    bindings = [rule, ...rule.additionalBindings].map((r) => parseBinding(method, r));
    cache.set(method, bindings);
  }
  return bindings;
}

function parseBinding(method: DescMethod, rule: HttpRule): HttpBinding {
  const where = `${method.parent.typeName}.${method.name}`;
  const fail = (why: string): never => {
    throw new TypeError(`google.api.http rule of ${where}: ${why}`);
  };
  let verb: string;
  let path: string;
  switch (rule.pattern.case) {
    case "custom":
      verb = rule.pattern.value.kind.toUpperCase();
      path = rule.pattern.value.path;
      break;
    case undefined:
      return fail("no verb and path");
    default:
      verb = rule.pattern.case.toUpperCase();
      path = rule.pattern.value;
  }
  const template = parsePathTemplate(path);
  const pathFields = template.variables.map((variable) => {
    let message = method.input;
    const fields: DescField[] = [];
    variable.fieldPath.forEach((name, i) => {
      const field = message.fields.find((f) => f.name === name) ?? fail(`${message.typeName} has no field ${name}`);
      fields.push(field);
      const last = i === variable.fieldPath.length - 1;
      if (!last) {
        if (field.fieldKind !== "message") return fail(`${variable.fieldPath.join(".")}: ${name} is not a message`);
        message = field.message;
      } else if (field.fieldKind !== "scalar" && field.fieldKind !== "enum") {
        fail(`path variable ${variable.fieldPath.join(".")} must be a singular scalar or enum field`);
      }
    });
    return fields;
  });
  let body: HttpBinding["body"];
  if (rule.body === "*") body = "*";
  else if (rule.body !== "") {
    body = method.input.fields.find((f) => f.name === rule.body) ?? fail(`body field ${rule.body} is not a top-level field of ${method.input.typeName}`);
  }
  let responseBody: DescField | undefined;
  if (rule.responseBody !== "") {
    responseBody =
      method.output.fields.find((f) => f.name === rule.responseBody) ??
      fail(`response_body ${rule.responseBody} is not a top-level field of ${method.output.typeName}`);
  }
  return { verb, template, pathFields, body, responseBody };
}

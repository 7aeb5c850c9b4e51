/**
 * The `google.api.http` path template grammar, parsed once per rule:
 *
 * ```
 * Template = "/" Segments [ Verb ] ;  Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;  Verb = ":" LITERAL ;
 * ```
 *
 * A client can only expand variables: a bare `*` or `**` outside `{…}` has
 * no value to put there, so such templates are rejected when parsed.
 *
 * @example
 * ```ts
 * const t = parsePathTemplate("/v1/{name=projects/*}/jobs/{job_id}:cancel");
 * t.variables.map((v) => v.fieldPath.join(".")); // ["name", "job_id"]
 * ```
 */
export interface PathTemplate {
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
  /** The `:verb` suffix without the colon, e.g. `"cancel"`. */
  readonly verb: string | undefined;
  /** The variables in order of appearance. */
  readonly variables: readonly PathVariable[];
}

export type TemplateSegment = { readonly kind: "literal"; readonly value: string } | PathVariable;

/** `{field.path=pattern}`; `{field}` is `{field=*}`. */
export interface PathVariable {
  readonly kind: "variable";
  /** Proto field names, outermost first. */
  readonly fieldPath: readonly string[];
  /** The pattern the value must match, `[{kind:"wildcard"}]` for `{field}`. */
  readonly pattern: readonly PatternSegment[];
  /** True unless the pattern is a single `*`: then `/` in the value is kept. */
  readonly multiSegment: boolean;
}

export type PatternSegment =
  | { readonly kind: "literal"; readonly value: string }
  | { readonly kind: "wildcard" }
  | { readonly kind: "deep" };

const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a template; throws a `TypeError` naming the template on bad syntax. */
export function parsePathTemplate(source: string): PathTemplate {
  const fail = (why: string): never => {
    throw new TypeError(`invalid google.api.http path template ${JSON.stringify(source)}: ${why}`);
  };
  if (!source.startsWith("/")) fail('it must start with "/"');
  let body = source.slice(1);
  let verb: string | undefined;
  // The verb is a ":" after the last "/" that is not inside braces.
  const lastBrace = body.lastIndexOf("}");
  const colon = body.indexOf(":", Math.max(lastBrace, body.lastIndexOf("/")));
  if (colon >= 0) {
    verb = body.slice(colon + 1);
    body = body.slice(0, colon);
    if (verb === "" || verb.includes("/")) fail("empty or malformed :verb");
  }
  const segments: TemplateSegment[] = [];
  const variables: PathVariable[] = [];
  for (const raw of splitOutsideBraces(body, fail)) {
    if (raw.startsWith("{")) {
      if (!raw.endsWith("}")) fail(`unclosed variable ${raw}`);
      const inner = raw.slice(1, -1);
      const eq = inner.indexOf("=");
      const path = eq < 0 ? inner : inner.slice(0, eq);
      const fieldPath = path.split(".");
      if (!fieldPath.every((part) => ident.test(part))) fail(`bad field path ${JSON.stringify(path)}`);
      const pattern = eq < 0 ? [{ kind: "wildcard" as const }] : parsePattern(inner.slice(eq + 1), fail);
      const variable: PathVariable = {
        kind: "variable",
        fieldPath,
        pattern,
        multiSegment: !(pattern.length === 1 && pattern[0]!.kind === "wildcard"),
      };
      segments.push(variable);
      variables.push(variable);
    } else if (raw === "*" || raw === "**") {
      fail(`a bare ${raw} outside a variable cannot be filled in by a client`);
    } else if (raw === "" || raw.includes("{") || raw.includes("}")) {
      fail(`empty or malformed segment ${JSON.stringify(raw)}`);
    } else {
      segments.push({ kind: "literal", value: raw });
    }
  }
  return { source, segments, verb, variables };
}

function parsePattern(text: string, fail: (why: string) => never): PatternSegment[] {
  const parts = text.split("/");
  return parts.map((part, i): PatternSegment => {
    if (part === "*") return { kind: "wildcard" };
    if (part === "**") {
      if (i !== parts.length - 1) fail('"**" must be the last segment of a variable');
      return { kind: "deep" };
    }
    if (part === "" || /[{}=*]/.test(part)) fail(`bad variable pattern ${JSON.stringify(text)}`);
    return { kind: "literal", value: part };
  });
}

function splitOutsideBraces(text: string, fail: (why: string) => never): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") {
      if (depth++ > 0) fail("nested variables");
    } else if (c === "}") {
      if (--depth < 0) fail('unbalanced "}"');
    } else if (c === "/" && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) fail('unbalanced "{"');
  out.push(text.slice(start));
  return out;
}

/**
 * Whether `value` fits a variable's pattern. `{field}` takes any non-empty
 * value (a `/` in it is sent as `%2F`); in a multi-segment pattern literals
 * must be equal, `*` is one non-empty segment, `**` the rest (zero or more
 * segments). `.` and `..` segments never match: they would let a field value
 * walk up the URL path.
 */
export function matchesPattern(value: string, variable: PathVariable): boolean {
  // A single-segment value is sent with "/" as %2F: one segment whatever it holds.
  if (!variable.multiSegment) return value !== "" && value !== "." && value !== "..";
  const parts = value.split("/");
  if (parts.some((p) => p === "." || p === "..")) return false;
  let i = 0;
  for (const segment of variable.pattern) {
    if (segment.kind === "deep") return parts.slice(i).every((p) => p !== "");
    const part = parts[i++];
    if (part === undefined || part === "") return false;
    if (segment.kind === "literal" && part !== segment.value) return false;
  }
  return i === parts.length;
}

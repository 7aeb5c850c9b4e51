import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescEnum, DescField, DescMessage, DescService, Message } from "@bufbuild/protobuf";
import { populate, variantCount } from "./populate.js";
import { sdkCodec, sdkEnum, sdkFieldNumbers, sdkService } from "./sdk.js";
import { toSdkJson } from "./sdk-json.js";

/**
 * Fields the public API has but @yandex-cloud/nodejs-sdk 3.2.0 predates. Each
 * entry must really be unknown to the SDK (a stale entry is reported), and is
 * left out of the byte-level comparison only.
 */
export const NEWER_THAN_SDK: ReadonlySet<string> = new Set<string>([
  // Added to the public cloudapi definitions after the SDK was generated.
  "yandex.cloud.spark.v1.Job.environment_id",
  "yandex.cloud.spark.v1.Job.environment_build_revision",
  "yandex.cloud.spark.v1.CreateJobRequest.environment_id",
  "yandex.cloud.spark.v1.ClusterConfig.environment_id",
  "yandex.cloud.spark.v1.UpdateClusterConfigSpec.environment_id",
  // In googleapis google/api/http.proto (response_body = 12,
  // fully_decode_reserved_expansion = 2); the SDK ships an older copy.
  "google.api.HttpRule.response_body",
  "google.api.Http.fully_decode_reserved_expansion",
]);

/**
 * Types the SDK does not ship at all, with their published field tables
 * (name = number kind) taken from the public googleapis definitions.
 */
export const NOT_IN_SDK: ReadonlyMap<string, readonly string[]> = new Map([
  ["google.rpc.RequestInfo", ["request_id = 1 scalar", "serving_data = 2 scalar"]],
]);

const isNewer = (field: DescField): boolean => NEWER_THAN_SDK.has(`${field.parent.typeName}.${field.name}`);

/**
 * Compares one message type with the SDK's codec for it and returns every
 * disagreement (empty when wire-identical):
 * - the field-number table of the SDK decoder equals ours (names and numbers);
 * - each fully populated variant, encoded by us, decodes in the SDK to the same
 *   JSON; and the SDK's encoding of that JSON decodes in ours to the same values
 *   with no unknown fields left over.
 */
export function compareMessage(desc: DescMessage): string[] {
  const codec = sdkCodec(desc);
  if (!codec) return [`${desc.typeName}: the SDK has no codec for it`];
  const problems: string[] = [];

  const theirs = sdkFieldNumbers(codec);
  for (const field of desc.fields) {
    const sdkName = theirs.get(field.number);
    if (isNewer(field)) {
      if (sdkName !== undefined) problems.push(`${desc.typeName}.${field.name}: listed as newer than the SDK, but the SDK decodes field ${field.number} as ${sdkName}`);
    } else if (sdkName === undefined) {
      problems.push(`${desc.typeName}.${field.name} = ${field.number}: the SDK has no field with that number`);
    } else if (sdkName !== field.localName) {
      problems.push(`${desc.typeName}.${field.name} = ${field.number}: the SDK decodes that number as ${sdkName}`);
    }
  }
  const ours = new Set(desc.fields.map((f) => f.number));
  for (const [number, name] of theirs) {
    if (!ours.has(number)) problems.push(`${desc.typeName}: the SDK has field ${name} = ${number}, which we lack`);
  }

  for (let variant = 0; variant < variantCount(desc); variant++) {
    const message = populate(desc, variant);
    const expected = normalise(toSdkJson(desc, message, isNewer));

    const decodedBySdk = normalise(codec.toJSON(codec.decode(toBinary(desc, message))));
    const forward = firstDifference(expected, decodedBySdk, "");
    if (forward) problems.push(`${desc.typeName} variant ${variant}, ours → SDK: ${forward}`);

    const back = fromBinary(desc, codec.encode(codec.fromJSON(expected)).finish());
    const reverse = firstDifference(expected, normalise(toSdkJson(desc, back, isNewer)), "");
    if (reverse) problems.push(`${desc.typeName} variant ${variant}, SDK → ours: ${reverse}`);
    const unknown = unknownFieldPaths(back, "");
    if (unknown.length > 0) problems.push(`${desc.typeName} variant ${variant}, SDK → ours: unknown fields at ${unknown.join(", ")}`);
  }
  return problems;
}

/** Our enum values (name and number) equal the SDK's enum object. */
export function compareEnum(desc: DescEnum): string[] {
  const theirs = sdkEnum(desc);
  if (!theirs) return [`${desc.typeName}: the SDK has no such enum`];
  const sdkValues = Object.entries(theirs)
    .filter(([name, n]) => typeof n === "number" && name !== "UNRECOGNIZED")
    .map(([name, n]) => `${name}=${n}`)
    .sort();
  const ourValues = desc.values.map((v) => `${v.name}=${v.number}`).sort();
  return sdkValues.join(",") === ourValues.join(",") ? [] : [`${desc.typeName}: ours ${ourValues.join(",")} vs SDK ${sdkValues.join(",")}`];
}

/** Every method of ours exists in the SDK with the same path, streaming kind and message types. */
export function compareService(desc: DescService): string[] {
  const theirs = sdkService(desc);
  if (!theirs) return [`${desc.typeName}: the SDK has no such service`];
  const byPath = new Map(Object.values(theirs).map((m) => [m.path, m]));
  const problems: string[] = [];
  for (const method of desc.methods) {
    const path = `/${desc.typeName}/${method.name}`;
    const m = byPath.get(path);
    if (!m) {
      problems.push(`${path}: not in the SDK`);
      continue;
    }
    if (m.requestStream !== (method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming")) problems.push(`${path}: request streaming differs`);
    if (m.responseStream !== (method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming")) problems.push(`${path}: response streaming differs`);
    for (const [which, type, fn] of [["request", method.input, m.requestDeserialize], ["response", method.output, m.responseDeserialize]] as const) {
      const name = type.typeName.slice(type.file.proto.package.length + 1).replaceAll(".", "_");
      if (!new RegExp(`\\b${name}\\.decode\\(`).test(String(fn))) problems.push(`${path}: SDK ${which} type is not ${type.typeName}`);
    }
  }
  return problems;
}

function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** A short description of where two JSON values first differ, or undefined. */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Object.is(a, b) ? undefined : `${path || "(root)"}: expected ${JSON.stringify(a)}, got ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const sub = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!(key in a)) return `${sub}: unexpected (SDK-only?) value ${JSON.stringify((b as Record<string, unknown>)[key])}`;
    if (!(key in b)) return `${sub}: missing`;
    const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], sub);
    if (d) return d;
  }
  return undefined;
}

/** Paths of every message (nested included) that kept unknown fields when decoded. */
function unknownFieldPaths(message: Message, path: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
    else if (value instanceof Uint8Array || value === null || typeof value !== "object") return;
    else {
      const record = value as Record<string, unknown> & { $unknown?: unknown[] };
      if (record.$unknown && record.$unknown.length > 0) found.push(at || "(root)");
      for (const [k, v] of Object.entries(record)) if (k !== "$unknown" && k !== "$typeName") visit(v, at ? `${at}.${k}` : k);
    }
  };
  visit(message, path);
  return found;
}

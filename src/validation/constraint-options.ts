import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescField, DescOneof } from "@bufbuild/protobuf";
import type { GenExtension } from "@bufbuild/protobuf/codegenv2";
import type { FieldOptions, OneofOptions } from "@bufbuild/protobuf/wkt";
import * as neutral from "../../gen/dataproc_connect/v1/validation_pb.js";
import * as yandex from "../../gen/yandex/cloud/validation_pb.js";

/**
 * The constraints a field declares, read from whichever option set its
 * .proto uses. Protos of Yandex Cloud carry Yandex's own validation options
 * (proto/yandex/cloud/validation.proto, wire-published, so they stay); the
 * protos of other clouds carry this package's neutral copy
 * (proto/dataproc_connect/v1/validation.proto). Both say the same things
 * with the same names and range grammar, so the validator reads them here,
 * once, and everything after this point (rules.ts, validate.ts) does not know
 * which set a field used: a violation names the same path and rule either way.
 *
 * @example
 * ```ts
 * // string application_id = 1 [(dataproc_connect.v1.length) = "1-64"];
 * declaredConstraints(field);
 * // { source: "dataproc_connect.v1", required: false, length: "1-64", unique: false, … }
 * ```
 */
export interface DeclaredConstraints {
  /** The options' proto package, for messages about a misused option. */
  readonly source: string;
  readonly required: boolean;
  readonly unique: boolean;
  readonly pattern: string | undefined;
  readonly value: string | undefined;
  readonly size: string | undefined;
  readonly length: string | undefined;
  readonly bytes: string | undefined;
  readonly mapKey: MapKeyConstraints | undefined;
}

/** `map_key`: "" where a key constraint is not declared. */
export interface MapKeyConstraints {
  readonly value: string;
  readonly pattern: string;
  readonly length: string;
}

/** One set of validation options: the same extensions, under a package name. */
interface OptionSource {
  readonly name: string;
  readonly exactlyOne: GenExtension<OneofOptions, boolean>;
  readonly required: GenExtension<FieldOptions, boolean>;
  readonly unique: GenExtension<FieldOptions, boolean>;
  readonly pattern: GenExtension<FieldOptions, string>;
  readonly value: GenExtension<FieldOptions, string>;
  readonly size: GenExtension<FieldOptions, string>;
  readonly length: GenExtension<FieldOptions, string>;
  readonly bytes: GenExtension<FieldOptions, string>;
  readonly mapKey: GenExtension<FieldOptions, MapKeyConstraints>;
}

function source(
  name: string,
  options: typeof neutral | typeof yandex,
): OptionSource {
  return {
    name,
    exactlyOne: options.exactly_one,
    required: options.required,
    unique: options.unique,
    pattern: options.pattern,
    value: options.value,
    size: options.size,
    length: options.length,
    bytes: options.bytes,
    mapKey: options.map_key,
  };
}

/** Every option set the validator reads; a field may use one of them. */
const sources: readonly OptionSource[] = [
  source("dataproc_connect.v1", neutral),
  source("yandex.cloud", yandex),
];

/**
 * The constraints `field` declares, or `undefined` when it declares none.
 *
 * @throws TypeError when one field mixes options of two sets: which one
 * counts would be a guess, and a .proto is fixed more easily than a guess is
 * debugged.
 */
export function declaredConstraints(field: DescField): DeclaredConstraints | undefined {
  let found: DeclaredConstraints | undefined;
  for (const options of sources) {
    const declared = readField(field, options);
    if (declared === undefined) continue;
    if (found !== undefined) {
      throw new TypeError(
        `${field.parent.typeName}.${field.name}: declares both (${found.source}.*) and (${declared.source}.*) validation options; use one set`,
      );
    }
    found = declared;
  }
  return found;
}

/** True when the oneof carries `exactly_one` of either set. */
export function declaresExactlyOne(oneof: DescOneof): boolean {
  return sources.some((options) => getOption(oneof, options.exactlyOne));
}

function readField(field: DescField, options: OptionSource): DeclaredConstraints | undefined {
  const text = (ext: GenExtension<FieldOptions, string>): string | undefined =>
    hasOption(field, ext) ? getOption(field, ext) : undefined;
  const declared: DeclaredConstraints = {
    source: options.name,
    required: getOption(field, options.required),
    unique: getOption(field, options.unique),
    pattern: text(options.pattern),
    value: text(options.value),
    size: text(options.size),
    length: text(options.length),
    bytes: text(options.bytes),
    mapKey: hasOption(field, options.mapKey) ? getOption(field, options.mapKey) : undefined,
  };
  const any =
    declared.required ||
    declared.unique ||
    declared.pattern !== undefined ||
    declared.value !== undefined ||
    declared.size !== undefined ||
    declared.length !== undefined ||
    declared.bytes !== undefined ||
    declared.mapKey !== undefined;
  return any ? declared : undefined;
}

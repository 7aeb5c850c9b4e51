import type { Message } from "@bufbuild/protobuf";

/**
 * Exactly one key of `T` must be present; the others must be absent (or
 * `undefined`). Used to turn a protobuf oneof into flat, mutually exclusive
 * properties, so "both" and "neither" are compile errors instead of a
 * `{ case, value }` object the caller has to spell out.
 *
 * @example
 * ```ts
 * type Driver = ExactlyOne<{ mainJarFileUri: string; mainClass: string }>;
 * const a: Driver = { mainClass: "org.example.WordCount" }; // ok
 * // @ts-expect-error -- both alternatives
 * const b: Driver = { mainClass: "X", mainJarFileUri: "s3a://b/x.jar" };
 * ```
 */
export type ExactlyOne<T extends object> = {
  [K in keyof T]-?: Simplify<
    { [P in K]-?: Exclude<T[P], undefined> } & { [P in Exclude<keyof T, K>]?: never }
  >;
}[keyof T];

/** Flattens an intersection (per union member) so editor hovers show one object. */
export type Simplify<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;

/**
 * What a builder accepts for one message field: the generated type, except
 * that repeated fields take `readonly` arrays and maps take read-only records
 * (the builder copies both, so the caller's values are never aliased).
 */
type FieldInput<F> = F extends string | number | boolean | bigint
  ? F
  : F extends readonly (infer E)[]
    ? readonly E[]
    : F extends { readonly [key: string]: infer V }
      ? Readonly<Record<string, V>>
      : F;

/**
 * The input of a builder for message `M`: every field optional (like
 * protobuf-es' init shape), oneof groups `Omit` removed (they are replaced by
 * flat alternatives), and fields listed in `Req` required.
 *
 * `$typeName` may be given (so an existing message of the same type can be
 * passed) but must then be this message's type: a message of the other
 * service, which has the same field names, is a compile error.
 */
export type SpecInput<M extends Message, Req extends keyof M = never, Omit extends keyof M = never> = {
  readonly $typeName?: M["$typeName"];
} & {
  [K in Exclude<keyof M, "$typeName" | "$unknown" | Omit | Req>]?: FieldInput<M[K]>;
} & {
  [K in Req]-?: FieldInput<M[K]>;
};

/** The `{ case, value }` member of a `jobSpec` oneof union with case `C`. */
export type OneofCase<U, C extends string> = Extract<U, { case: C }>;

/**
 * Descriptors that hydrate on first use.
 *
 * protoc-gen-es output builds every descriptor when its module is evaluated:
 * `fileDesc()` decodes the embedded FileDescriptorProto and links the whole
 * file, and `messageDesc()` / `serviceDesc()` … pick from it. A program that
 * imports a client loads many files it touches only later, or never (the
 * Spark descriptors in a Data Proc program, error details that are only read
 * when an error carries them). Measured on a cold start, hydration was a
 * third to a half of the import after bundling.
 *
 * The build (scripts/build.mjs) points the generated files' import of
 * `@bufbuild/protobuf/codegenv2` at this module. The functions here take the
 * same arguments as protobuf-es' and return a stand-in that hydrates the
 * real descriptor, with protobuf-es itself, on the first property read. A
 * stand-in reads and enumerates as the descriptor: every property, `in`,
 * `Object.keys`, `JSON.stringify`, the prototype. What it cannot be is the
 * same object: descriptors reached through another one (`field.message`,
 * `method.input`, a registry lookup) are the real ones, so compare
 * descriptors by `typeName`, as protobuf-es does (`isMessage`), not by `===`.
 *
 * @example
 * ```ts
 * // gen/…/job_pb.ts, unchanged:
 * export const file_job = fileDesc("CiV5YW5k…", [file_google_protobuf_timestamp]);
 * export const JobSchema = messageDesc(file_job, 0);
 * // nothing is decoded until, say, create(JobSchema) reads JobSchema.fields
 * ```
 * @internal
 */
import {
  enumDesc as hydrateEnum,
  extDesc as hydrateExtension,
  fileDesc as hydrateFile,
  messageDesc as hydrateMessage,
  serviceDesc as hydrateService,
} from "@bufbuild/protobuf/codegenv2";
import type { GenEnum, GenExtension, GenMessage, GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import type { DescFile, JsonValue, Message } from "@bufbuild/protobuf";

/** Stand-in → the function that returns its real descriptor (hydrating it once). */
const realOf = new WeakMap<object, () => object>();
const counts = { created: 0, hydrated: 0 };

/**
 * How many stand-ins this module made and how many of them are hydrated: a
 * test checks that importing an entry point hydrates nothing.
 * @internal
 */
export function descriptorCounts(): { readonly created: number; readonly hydrated: number } {
  return { ...counts };
}

/** The real descriptor behind a stand-in (hydrating it), or the value itself. */
export function hydrated<T extends object>(value: T): T {
  const real = realOf.get(value);
  return real === undefined ? value : (real() as T);
}

/**
 * A stand-in for the descriptor `make` returns. Each stand-in keeps its own
 * descriptor in a closure, so a read after hydration costs one trap and no
 * lookup (user code reads exported schemas on every `create()`).
 */
function lazy<T extends object>(make: () => T): T {
  counts.created++;
  let descriptor: T | undefined;
  const real = (): T => {
    if (descriptor === undefined) {
      descriptor = make();
      counts.hydrated++;
    }
    return descriptor;
  };
  const standIn = new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, key) {
      const found = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return found && { ...found, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: (_, key, value) => Reflect.set(real(), key, value),
    defineProperty: (_, key, attributes) => Reflect.defineProperty(real(), key, attributes),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
  });
  realOf.set(standIn, real);
  return standIn;
}

/** Like protobuf-es `fileDesc`; the file is decoded and linked on first use. */
export function fileDesc(b64: string, imports?: DescFile[]): DescFile {
  return lazy(() => hydrateFile(b64, imports?.map(hydrated)));
}

/** Like protobuf-es `messageDesc`. */
export function messageDesc<Shape extends Message, Opt extends { jsonType?: unknown; validType?: unknown } = { jsonType: undefined; validType: undefined }>(
  file: DescFile,
  path: number,
  ...paths: number[]
): GenMessage<Shape, Opt> {
  return lazy(() => hydrateMessage<Shape, Opt>(hydrated(file), path, ...paths));
}

/** Like protobuf-es `enumDesc`. */
export function enumDesc<Shape extends number, JsonType extends JsonValue = JsonValue>(file: DescFile, path: number, ...paths: number[]): GenEnum<Shape, JsonType> {
  return lazy(() => hydrateEnum<Shape, JsonType>(hydrated(file), path, ...paths));
}

/** Like protobuf-es `serviceDesc`. */
export function serviceDesc<T extends GenServiceMethods>(file: DescFile, path: number, ...paths: number[]): GenService<T> {
  return lazy(() => hydrateService<T>(hydrated(file), path, ...paths));
}

/** Like protobuf-es `extDesc`. */
export function extDesc<Extendee extends Message, Value>(file: DescFile, path: number, ...paths: number[]): GenExtension<Extendee, Value> {
  return lazy(() => hydrateExtension<Extendee, Value>(hydrated(file), path, ...paths));
}

import type { Registry } from "@bufbuild/protobuf";

/**
 * A registry that is built on its first lookup. A client needs its registry
 * only to decode error details and operation payloads; building it links
 * every file it lists, which would hydrate descriptors (Spark's, in a Data
 * Proc program) that the program never uses.
 *
 * @example
 * ```ts
 * const registry = lazyRegistry(() => createRegistry(...apiFiles)); // nothing built yet
 * registry.getMessage("google.rpc.Status"); // built now, once
 * ```
 * @internal
 */
export function lazyRegistry(build: () => Registry): Registry {
  let built: Registry | undefined;
  const real = (): Registry => (built ??= build());
  return {
    kind: "registry",
    [Symbol.iterator]: () => real()[Symbol.iterator](),
    get: (typeName) => real().get(typeName),
    getMessage: (typeName) => real().getMessage(typeName),
    getEnum: (typeName) => real().getEnum(typeName),
    getExtension: (typeName) => real().getExtension(typeName),
    getExtensionFor: (extendee, no) => real().getExtensionFor(extendee, no),
    getService: (typeName) => real().getService(typeName),
  };
}

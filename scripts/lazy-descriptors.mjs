// A bundler plugin (rolldown and vite/vitest share the hook) that points the
// generated files' runtime import of `@bufbuild/protobuf/codegenv2` at
// src/core/lazy-desc.ts, whose descriptors hydrate on first use. gen/ stays
// exactly what protoc-gen-es writes; only the build and the test run resolve
// that one specifier differently, and only for importers under gen/.
import { fileURLToPath } from "node:url";

const lazyModule = fileURLToPath(new URL("../src/core/lazy-desc.ts", import.meta.url));
const genDir = /[\\/]gen[\\/]/;

/** @returns {{ name: string, enforce: "pre", resolveId(source: string, importer?: string): string | null }} */
export function lazyDescriptors() {
  return {
    name: "dataproc-connect:lazy-descriptors",
    enforce: "pre",
    resolveId(source, importer) {
      return source === "@bufbuild/protobuf/codegenv2" && importer !== undefined && genDir.test(importer) ? lazyModule : null;
    },
  };
}

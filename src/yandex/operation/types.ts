import type { DescFile, DescMethod, Registry, DescMessage } from "@bufbuild/protobuf";
import { createRegistry, getOption, hasOption } from "@bufbuild/protobuf";
import { operation } from "../../../gen/yandex/cloud/api/operation_pb.js";
import { withImports } from "../../core/file-imports.js";

/** The message types an Operation of some method carries. */
export interface OperationSchemas {
  readonly metadata: DescMessage | undefined;
  readonly response: DescMessage;
}

const cache = new WeakMap<DescMethod, OperationSchemas | null>();
const fileGraphs = new WeakMap<DescFile, Registry>();

/** A registry of `file` and everything it imports, transitively. */
function fileGraph(file: DescFile): Registry {
  let registry = fileGraphs.get(file);
  if (!registry) fileGraphs.set(file, (registry = createRegistry(...withImports(file))));
  return registry;
}

/**
 * Reads the `(yandex.cloud.api.operation)` option of `method` and resolves the
 * names it gives — relative to the method's package, then each enclosing
 * package, then as written — to message descriptors: first among the
 * method's file and what it imports (so a service you generate yourself
 * needs no registry of its own), then in `registry`. `undefined` when the
 * method has no such option. This is what makes operations typed for any
 * service, with no per-method code.
 *
 * @example
 * ```ts
 * operationSchemas(JobService.method.create, registry);
 * // { metadata: CreateJobMetadataSchema, response: JobSchema }
 * ```
 * @internal
 */
export function operationSchemas(method: DescMethod, registry: Registry): OperationSchemas | undefined {
  const cached = cache.get(method);
  if (cached !== undefined) return cached ?? undefined;
  let found: OperationSchemas | null = null;
  if (hasOption(method, operation)) {
    const option = getOption(method, operation);
    const pkg = method.parent.file.proto.package;
    const registries = [fileGraph(method.parent.file), registry];
    const lookup = (name: string): DescMessage => {
      const parts = pkg.split(".");
      for (const r of registries) {
        for (let i = parts.length; i >= 0; i--) {
          const message = r.getMessage([...parts.slice(0, i), name].join("."));
          if (message) return message;
        }
      }
      throw new Error(
        `${method.parent.typeName}.${method.name}: operation type ${name} is neither in ${method.parent.file.name}.proto, its imports nor the client's registry`,
      );
    };
    found = { metadata: option.metadata ? lookup(option.metadata) : undefined, response: lookup(option.response) };
  }
  cache.set(method, found);
  return found ?? undefined;
}

import type { DescMessage, DescMethod, DescService, MessageInitShape, MessageShape, Registry } from "@bufbuild/protobuf";
import type { CallOptions, Client } from "@connectrpc/connect";
import type { Operation } from "../../gen/yandex/cloud/operation/operation_pb.js";
import type { OperationTypes } from "./operation-types.js";
import { operationSchemas } from "./operation/types.js";
import { typedOperation } from "./operation/typed-operation.js";
import type { OperationContext, TypedOperation } from "./operation/typed-operation.js";

/** The metadata and response types of an operation method, by its request type. */
type OperationTypesOf<I extends DescMessage> = MessageShape<I>["$typeName"] extends keyof OperationTypes
  ? OperationTypes[MessageShape<I>["$typeName"]]
  : never;

/**
 * A Connect client for `S` in which every method annotated with
 * `(yandex.cloud.api.operation)` returns a {@link TypedOperation}: the same
 * Operation message, plus `wait()` typed with the method's response (e.g.
 * `Job`) and `decodedMetadata`. The types come from {@link OperationTypes},
 * which `npm run generate` writes from the same option (and users' generated
 * code extends for their services).
 */
export type YandexClient<S extends DescService> = {
  [K in keyof Client<S>]: S["method"][K] extends { methodKind: "unary"; input: infer I extends DescMessage }
    ? [OperationTypesOf<I>] extends [never]
      ? Client<S>[K]
      : (
          request: MessageInitShape<I>,
          options?: CallOptions,
        ) => Promise<TypedOperation<OperationTypesOf<I>["metadata"], OperationTypesOf<I>["response"]>>
    : Client<S>[K];
};

/**
 * Wraps a Connect client so that operation methods return typed operations.
 * Which methods those are, and what their operations carry, is read from the
 * descriptors: this works for any service.
 */
export function withTypedOperations<S extends DescService>(
  service: S,
  client: Client<S>,
  registry: Registry,
  context: OperationContext,
): YandexClient<S> {
  const wrapped: Record<string, unknown> = { ...(client as Record<string, unknown>) };
  for (const method of service.methods as readonly DescMethod[]) {
    const schemas = operationSchemas(method, registry);
    if (!schemas || method.methodKind !== "unary") continue;
    const call = (client as unknown as Record<string, (request: unknown, options?: CallOptions) => Promise<Operation>>)[method.localName]!;
    wrapped[method.localName] = async (request: unknown, options?: CallOptions) =>
      typedOperation(await call(request, options), schemas, context, `/${service.typeName}/${method.name}`);
  }
  return wrapped as YandexClient<S>;
}

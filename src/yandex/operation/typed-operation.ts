import type { Message, Registry } from "@bufbuild/protobuf";
import type { Operation } from "../../../gen/yandex/cloud/operation/operation_pb.js";
import type { OperationSchemas } from "./types.js";
import { settle, unpackMetadata, waitForOperation } from "./wait.js";
import type { PollContext, WaitOptions } from "./wait.js";

/**
 * An `Operation` message as the service returned it, plus typed helpers.
 * It is still a plain `yandex.cloud.operation.Operation` (the helpers are
 * non-enumerable, so JSON, `toBinary` and `equals` see only the fields).
 *
 * @example
 * ```ts
 * const operation = await jobs.create(request);
 * console.log(operation.decodedMetadata?.jobId);
 * const job = await operation.wait({ timeoutMs: 10 * 60_000 }); // typed as Job
 * ```
 */
export type TypedOperation<M extends Message | undefined, R extends Message> = Operation & OperationHelpers<M, R>;

export interface OperationHelpers<M extends Message | undefined, R extends Message> {
  /**
   * Resolves with the decoded response once the operation is done — at once,
   * with no request, when it already is. Rejects with an `OperationError`
   * when the operation failed (the operation is the API's verdict on the
   * request), and with a `YandexCloudError` when the wait itself ends:
   * `signal` aborted (CANCELED), `timeoutMs` passed (DEADLINE_EXCEEDED), the
   * client closed (CANCELED) or a poll failed.
   */
  wait(options?: WaitOptions<M & Message>): Promise<R>;
  /** Reads the operation's current state once (`OperationService.Get`). */
  refresh(options?: { signal?: AbortSignal }): Promise<TypedOperation<M, R>>;
  /** Asks the service to cancel the operation (`OperationService.Cancel`). */
  cancel(options?: { signal?: AbortSignal }): Promise<TypedOperation<M, R>>;
  /** `metadata` decoded as the method's metadata type (e.g. CreateJobMetadata). */
  readonly decodedMetadata: M | undefined;
}

/** What typed operations need from the client that made them. */
export interface OperationContext extends PollContext {
  cancel(operationId: string, signal: AbortSignal | undefined): Promise<Operation>;
}

/** Adds the helpers of {@link TypedOperation} to an Operation message. */
export function typedOperation<M extends Message | undefined, R extends Message>(
  operation: Operation,
  schemas: OperationSchemas,
  context: OperationContext,
  method?: string,
): TypedOperation<M, R> {
  const registry: Registry = context.registry;
  const helpers: { [K in keyof OperationHelpers<M, R>]: PropertyDescriptor } = {
    wait: {
      value: (options?: WaitOptions<M & Message>) =>
        operation.done
          ? new Promise<R>((resolve) => resolve(settle<R>(operation, schemas, context, method)))
          : waitForOperation<R, M & Message>(operation, schemas, context, options, method),
    },
    refresh: {
      value: async (options?: { signal?: AbortSignal }) =>
        typedOperation<M, R>(await context.get(operation.id, options?.signal, () => {}), schemas, context, method),
    },
    cancel: {
      value: async (options?: { signal?: AbortSignal }) =>
        typedOperation<M, R>(await context.cancel(operation.id, options?.signal), schemas, context, method),
    },
    decodedMetadata: {
      get: () => unpackMetadata(operation, schemas, registry),
    },
  };
  return Object.defineProperties(operation, helpers) as TypedOperation<M, R>;
}

import { anyUnpack } from "@bufbuild/protobuf/wkt";
import type { Message, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Operation } from "../../gen/yandex/cloud/operation/operation_pb.js";
import type { Clock } from "../credentials/types.js";
import { OperationError } from "./error.js";
import type { Sleep } from "./sleep.js";
import type { OperationSchemas } from "./types.js";

/** How to wait for an operation. */
export interface WaitOptions<M extends Message = Message> {
  /** Stops polling at once; the wait rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** Give up (DEADLINE_EXCEEDED) after this long; no limit by default. */
  readonly timeoutMs?: number;
  /** Called after every poll with the decoded metadata. */
  readonly onProgress?: (metadata: M | undefined, operation: Operation) => void;
  /** First poll delay. Default 500 ms. */
  readonly initialDelayMs?: number;
  /** Longest delay between polls (unless the server asks for more). Default 10 s. */
  readonly maxDelayMs?: number;
  /**
   * NOT_FOUND answers tolerated before giving up: a just-created operation
   * may not be visible to OperationService yet. Default 3.
   */
  readonly notFoundTolerance?: number;
}

/** What the waiter needs from the client. */
export interface PollContext {
  readonly registry: Registry;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** OperationService.Get; reports the response headers through `onHeader`. */
  get(operationId: string, signal: AbortSignal | undefined, onHeader: (headers: Headers) => void): Promise<Operation>;
}

/**
 * Polls `OperationService.Get` until `operation` is done and returns its
 * response, decoded as the type the method's `(yandex.cloud.api.operation)`
 * option names.
 *
 * - An operation that is already done resolves at once, without a poll.
 * - Delays grow ×1.5 from `initialDelayMs` to `maxDelayMs`; a server
 *   `x-operation-poll-interval` header (seconds) is honoured as the shortest
 *   allowed delay.
 * - The first `notFoundTolerance` NOT_FOUND answers are retried.
 * - A failed operation rejects with an {@link OperationError}; aborting or the
 *   timeout reject with a `ConnectError` (CANCELED / DEADLINE_EXCEEDED).
 */
export async function waitForOperation<R extends Message, M extends Message>(
  operation: Operation,
  schemas: OperationSchemas,
  context: PollContext,
  options: WaitOptions<M> = {},
): Promise<R> {
  const { signal, timeoutMs, onProgress } = options;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const tolerance = options.notFoundTolerance ?? 3;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : context.clock.now() + timeoutMs;
  let delay = Math.min(options.initialDelayMs ?? 500, maxDelay);
  let notFound = 0;
  let current = operation;

  while (!current.done) {
    const remaining = deadline - context.clock.now();
    if (remaining <= 0) {
      throw new ConnectError(`operation ${operation.id} did not finish within ${timeoutMs} ms`, Code.DeadlineExceeded);
    }
    await context.sleep(Math.min(delay, remaining), signal);
    let hinted: number | undefined;
    try {
      current = await context.get(operation.id, signal, (headers) => {
        const seconds = Number(headers.get("x-operation-poll-interval"));
        if (Number.isFinite(seconds) && seconds > 0) hinted = Math.min(seconds * 1000, 300_000);
      });
    } catch (error) {
      if (ConnectError.from(error).code === Code.NotFound && notFound < tolerance && !signal?.aborted) {
        notFound++;
        delay = Math.min(delay * 1.5, maxDelay);
        continue;
      }
      throw error;
    }
    onProgress?.(unpackMetadata<M>(current, schemas, context.registry), current);
    // The server's hint is a floor: never poll faster than it asks, but keep
    // backing off towards the cap, so a long operation costs few polls.
    delay = Math.max(hinted ?? 0, Math.min(delay * 1.5, maxDelay));
  }
  return settle<R>(current, schemas, context.registry);
}

/** The decoded metadata of `operation`, if its type is known and it is set. */
export function unpackMetadata<M extends Message>(operation: Operation, schemas: OperationSchemas, registry: Registry): M | undefined {
  if (!operation.metadata || !schemas.metadata) return undefined;
  return anyUnpack(operation.metadata, schemas.metadata) as M | undefined ?? (anyUnpack(operation.metadata, registry) as M | undefined);
}

/** The response of a done operation, or its error thrown as an OperationError. */
export function settle<R extends Message>(operation: Operation, schemas: OperationSchemas, registry: Registry): R {
  const result = operation.result;
  if (result.case === "error") throw new OperationError(operation.id, result.value, registry);
  if (result.case !== "response") {
    throw new ConnectError(`operation ${operation.id} is done but has neither error nor response`, Code.Internal);
  }
  const response = anyUnpack(result.value, schemas.response);
  if (!response) {
    throw new ConnectError(
      `operation ${operation.id} answered ${result.value.typeUrl}, expected ${schemas.response.typeName}`,
      Code.Internal,
    );
  }
  return response as R;
}

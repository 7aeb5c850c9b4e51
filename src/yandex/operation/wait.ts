import { anyUnpack } from "@bufbuild/protobuf/wkt";
import type { Message, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Operation } from "../../../gen/yandex/cloud/operation/operation_pb.js";
import { OperationService } from "../../../gen/yandex/cloud/operation/operation_service_pb.js";
import { localError } from "../errors.js";
import type { ErrorContext } from "../errors.js";
import { waitSpan } from "../../core/tracing.js";
import { Poller } from "../../core/poll.js";
import type { PollFailures, PollOptions } from "../../core/poll.js";
import { abortCode, abortText } from "../../core/abort.js";
import type { Clock } from "../credentials/types.js";
import { OperationError } from "./errors.js";
import type { Sleep } from "../../core/sleep.js";
import type { OperationSchemas } from "./types.js";
import { asConnectError } from "../../core/connect-error.js";

/**
 * How to wait for an operation: the shared {@link PollOptions}
 * (`signal`, `timeoutMs`, `initialDelayMs` default 500 ms, `maxDelayMs`
 * default 10 s, `policy` default `"fixed-cap"`) plus progress and NOT_FOUND
 * tolerance.
 */
export interface WaitOptions<M extends Message = Message> extends PollOptions {
  /** Called after every poll with the decoded metadata. */
  readonly onProgress?: (metadata: M | undefined, operation: Operation) => void;
  /**
   * NOT_FOUND answers tolerated before giving up: a just-created operation
   * may not be visible to OperationService yet. Default 3.
   */
  readonly notFoundTolerance?: number;
}

/** What the waiter needs from the client. @internal */
export interface PollContext {
  readonly registry: Registry;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Base URL of OperationService, for errors. */
  readonly endpoint: () => string;
  /** OperationService.Get; reports the response headers through `onHeader`. */
  get(operationId: string, signal: AbortSignal | undefined, onHeader: (headers: Headers) => void): Promise<Operation>;
  /** Cleans an operation's error of the secrets the client sent (the status message is the server's text). */
  readonly scrub?: <E>(error: E) => E;
}

// Read from the descriptor when first needed, not at import (descriptors hydrate on first use).
const getMethod = (): string => `/${OperationService.typeName}/${OperationService.method.get.name}`;

/**
 * The errors of a wait for `what` ("operation X", "job Y"): `YandexCloudError`s
 * naming the polled method, its endpoint and the number of polls.
 *
 * @internal
 */
export function pollFailures(what: string, method: string, endpoint: () => string, registry: Registry): PollFailures {
  const context = (polls: number): ErrorContext => ({ method, endpoint: endpoint(), attempts: polls, registry });
  return {
    timeout: (timeoutMs, polls) => localError(Code.DeadlineExceeded, `${what} did not finish within ${timeoutMs} ms`, context(polls)),
    aborted: (reason, polls) =>
      localError(abortCode(reason), `waiting for ${what} ended: ${abortText(reason)}`, context(polls), reason),
  };
}

/**
 * Polls `OperationService.Get` until `operation` is done and returns its
 * response, decoded as the type the method's `(yandex.cloud.api.operation)`
 * option names.
 *
 * What "wait" means here: the operation is the API's own record of whether
 * the request succeeded, so a failed operation rejects with an
 * {@link OperationError} carrying its `google.rpc.Status`. (Job waits, by
 * contrast, resolve with the terminal job whatever its status: ERROR and
 * CANCELLED are outcomes of a job, not failures of the wait.)
 *
 * - An operation that is already done resolves at once, without a poll.
 * - Delays grow ×1.5 from `initialDelayMs` to `maxDelayMs` (with
 *   `policy: "growing-cap"`, to a cap that grows with the time waited, up
 *   to 60 s); a server `x-operation-poll-interval` header (seconds) is
 *   honoured as the shortest allowed delay under either policy.
 * - The first `notFoundTolerance` NOT_FOUND answers are retried.
 * - Aborting, `timeoutMs` and `cloud.close()` reject with a
 *   `YandexCloudError` (CANCELED / DEADLINE_EXCEEDED) naming the operation.
 */
export async function waitForOperation<R extends Message, M extends Message>(
  operation: Operation,
  schemas: OperationSchemas,
  context: PollContext,
  options: WaitOptions<M> = {},
  method?: string,
): Promise<R> {
  const { onProgress } = options;
  const tolerance = options.notFoundTolerance ?? 3;
  const failures = pollFailures(`operation ${operation.id}`, getMethod(), context.endpoint, context.registry);
  const poller = new Poller(context, options, { initialDelayMs: 500, maxDelayMs: 10_000 }, failures);
  let notFound = 0;
  let current = operation;
  let hinted = 0;
  // An operation already done is settled without a poll, and without a span.
  if (current.done) return settle<R>(current, schemas, context, method);
  const span = waitSpan(context, "wait", getMethod());
  try {
    while (!current.done) {
      poller.checkAborted();
      await poller.pause(hinted);
      try {
        current = await span.poll(() =>
          context.get(operation.id, poller.signal, (headers) => {
            const seconds = Number(headers.get("x-operation-poll-interval"));
            if (Number.isFinite(seconds) && seconds > 0) hinted = Math.min(seconds * 1000, 300_000);
          }),
        );
      } catch (error) {
        if (asConnectError(error).code === Code.NotFound && notFound < tolerance && !poller.signal?.aborted) {
          notFound++;
          continue;
        }
        throw error;
      }
      onProgress?.(unpackMetadata<M>(current, schemas, context.registry), current);
    }
  } catch (error) {
    span.end(error);
    throw error;
  }
  span.end();
  return settle<R>(current, schemas, context, method);
}

/** The decoded metadata of `operation`, if its type is known and it is set. */
export function unpackMetadata<M extends Message>(operation: Operation, schemas: OperationSchemas, registry: Registry): M | undefined {
  if (!operation.metadata || !schemas.metadata) return undefined;
  return anyUnpack(operation.metadata, schemas.metadata) as M | undefined ?? (anyUnpack(operation.metadata, registry) as M | undefined);
}

/**
 * The response of a done operation, or its error thrown as an
 * OperationError. `method` is the call that started the operation.
 */
export function settle<R extends Message>(
  operation: Operation,
  schemas: OperationSchemas,
  context: Pick<PollContext, "registry" | "endpoint" | "scrub">,
  method = getMethod(),
): R {
  const result = operation.result;
  const errorContext: ErrorContext = { method, endpoint: context.endpoint(), registry: context.registry };
  if (result.case === "error") {
    const error = new OperationError(operation.id, result.value, context.registry, errorContext);
    throw context.scrub ? context.scrub(error) : error;
  }
  if (result.case !== "response") {
    throw localError(Code.Internal, `operation ${operation.id} is done but has neither error nor response`, errorContext);
  }
  const response = anyUnpack(result.value, schemas.response);
  if (!response) {
    throw localError(
      Code.Internal,
      `operation ${operation.id} answered ${result.value.typeUrl}, expected ${schemas.response.typeName}`,
      errorContext,
    );
  }
  return response as R;
}

import type { ConnectRouter } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { OperationService } from "../../../gen/yandex/cloud/operation/operation_service_pb.js";
import type { Operation } from "../../../gen/yandex/cloud/operation/operation_pb.js";
import { rpcError } from "../errors.js";
import type { Faults } from "../faults.js";
import type { OperationRecord, OperationStore } from "./operations.js";
import { unary } from "../pipeline.js";
import type { CallContext, PipelineDeps } from "../pipeline.js";

/** What the operation-returning handlers share. */
export interface OperationEnv {
  readonly operations: OperationStore;
  /** Value of the `x-operation-poll-interval` header, in seconds. */
  readonly pollIntervalSeconds: number;
}

/**
 * Renders an operation for a response and, while it is not done, tells the
 * client when to poll again (`x-operation-poll-interval`, seconds).
 */
export function respondWithOperation(env: OperationEnv, op: OperationRecord, call: CallContext): Operation {
  const message = env.operations.toMessage(op, call.now);
  if (!message.done) call.responseHeader.set("x-operation-poll-interval", String(env.pollIntervalSeconds));
  return message;
}

/**
 * `yandex.cloud.operation.OperationService`: Get and Cancel for every
 * operation any emulated service started.
 */
export function registerOperationService(
  router: ConnectRouter,
  deps: PipelineDeps,
  env: OperationEnv,
  faults: Faults,
): void {
  router.rpc(
    OperationService.method.get,
    unary(deps, OperationService.method.get, { public: false }, (request, call) => {
      const op = env.operations.get(request.operationId);
      if (faults.notFoundPoll(op.id)) {
        call.fault = "not-found-poll";
        throw rpcError(Code.NotFound, `operation ${op.id} not found`);
      }
      return respondWithOperation(env, op, call);
    }),
  );
  router.rpc(
    OperationService.method.cancel,
    unary(deps, OperationService.method.cancel, { public: false }, (request, call) => {
      const op = env.operations.get(request.operationId);
      if (op.resolve(call.now).done) {
        throw rpcError(Code.FailedPrecondition, `operation ${op.id} is already done`);
      }
      if (op.cancel === undefined) {
        throw rpcError(Code.FailedPrecondition, `operation ${op.id} (${op.description}) cannot be cancelled`);
      }
      op.cancel(call.now);
      return respondWithOperation(env, op, call);
    }),
  );
}

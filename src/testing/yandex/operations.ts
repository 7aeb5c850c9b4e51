import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Any } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import type { StatusSchema } from "../../../gen/google/rpc/status_pb.js";
import { OperationSchema } from "../../../gen/yandex/cloud/operation/operation_pb.js";
import type { Operation } from "../../../gen/yandex/cloud/operation/operation_pb.js";
import { rpcError } from "../errors.js";
import { resourceId } from "../ids.js";

/** The outcome of an operation at one instant. */
export type OperationResult =
  | { readonly done: false }
  | { readonly done: true; readonly at: number; readonly response: Any }
  | { readonly done: true; readonly at: number; readonly error: MessageInitShape<typeof StatusSchema> };

/**
 * A long-running operation. Like jobs, its result is derived at read time
 * (`resolve(now)`) from the state of what it acts on, so it needs no timers.
 */
export interface OperationRecord {
  readonly id: string;
  readonly description: string;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly metadata: Any;
  resolve(now: number): OperationResult;
  /**
   * What `OperationService.Cancel` does to an operation that is not done;
   * absent when the operation cannot be cancelled.
   */
  cancel?(now: number): void;
}

/**
 * Every operation of the emulator, whichever service started it, plus the
 * `Idempotency-Key` index: a repeated key returns the operation it created.
 */
export class OperationStore {
  readonly #ops = new Map<string, OperationRecord>();
  readonly #idempotency = new Map<string, string>();

  /** A new operation id (`c9q…`-shaped like the real ones). */
  newId(): string {
    return resourceId("c9q");
  }

  add(op: OperationRecord): void {
    this.#ops.set(op.id, op);
  }

  /** The operation, or NOT_FOUND. */
  get(id: string): OperationRecord {
    const op = this.#ops.get(id);
    if (op === undefined) throw rpcError(Code.NotFound, `operation ${id} not found`);
    return op;
  }

  /** The operation a `(method, Idempotency-Key)` pair created, if any. */
  findByKey(method: string, key: string): OperationRecord | undefined {
    const id = this.#idempotency.get(`${method}\n${key}`);
    return id === undefined ? undefined : this.#ops.get(id);
  }

  rememberKey(method: string, key: string, op: OperationRecord): void {
    this.#idempotency.set(`${method}\n${key}`, op.id);
  }

  /** The wire message of `op` as seen at `now`. */
  toMessage(op: OperationRecord, now: number): Operation {
    const result = op.resolve(now);
    return create(OperationSchema, {
      id: op.id,
      description: op.description,
      createdAt: timestampFromMs(op.createdAt),
      createdBy: op.createdBy,
      modifiedAt: timestampFromMs(result.done ? result.at : op.createdAt),
      done: result.done,
      metadata: op.metadata,
      result: !result.done
        ? { case: undefined }
        : "response" in result
          ? { case: "response", value: result.response }
          : { case: "error", value: result.error },
    });
  }
}

/** Status code of a failed Create operation whose job ended in ERROR. */
export const jobFailedCode = Code.Unknown;

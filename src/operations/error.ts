import { Code, ConnectError } from "@connectrpc/connect";
import type { Message, Registry } from "@bufbuild/protobuf";
import type { Status } from "../../gen/google/rpc/status_pb.js";

/**
 * A long-running operation that finished with an error. Like every client
 * error it is a `ConnectError` (`code`, `rawMessage`, `findDetails`), and it
 * carries the operation id and the `google.rpc.Status` the service reported,
 * with its details decoded.
 *
 * @example
 * ```ts
 * try {
 *   await operation.wait();
 * } catch (error) {
 *   if (error instanceof OperationError) console.error(error.operationId, error.status.message);
 * }
 * ```
 */
export class OperationError extends ConnectError {
  // Connect recognises its errors by this name (ConnectError[Symbol.hasInstance]);
  // any other name would make Connect re-wrap this error as UNKNOWN. Use
  // `instanceof OperationError` to tell it apart.
  override name = "ConnectError";

  /**
   * Plain prototype-chain `instanceof`. The inherited ConnectError check
   * would also accept every ConnectError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
  /** Id of the failed operation. */
  readonly operationId: string;
  /** The status as the service sent it. */
  readonly status: Status;
  /** `status.details`, decoded where the type is known. */
  readonly statusDetails: readonly Message[];

  constructor(operationId: string, status: Status, registry: Registry) {
    const code = status.code in Code && status.code !== 0 ? (status.code as Code) : Code.Unknown;
    super(`${status.message || "operation failed"} (operation ${operationId})`, code);
    Object.setPrototypeOf(this, new.target.prototype);
    this.operationId = operationId;
    this.status = status;
    this.details = status.details.map((any) => ({ type: any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1), value: any.value }));
    this.statusDetails = this.findDetails(registry);
  }
}

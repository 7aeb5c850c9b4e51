import { Code } from "@connectrpc/connect";
import type { Registry } from "@bufbuild/protobuf";
import type { Status } from "../../../gen/google/rpc/status_pb.js";
import { YandexCloudError } from "../errors.js";
import type { ErrorContext } from "../errors.js";
import { markFailure } from "../../core/failure.js";

/**
 * A long-running operation that finished with an error. Like every client
 * error it is a {@link YandexCloudError} (`code`, `rawMessage`,
 * `findDetails`, `method`, `endpoint`, `toJSON`), and it carries the
 * operation id and the `google.rpc.Status` the service reported, with its
 * details decoded with the client's registry. `method` is the call that
 * started the operation (e.g. `/yandex.cloud.dataproc.v1.JobService/Create`).
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
export class OperationError extends YandexCloudError {
  override name = "OperationError";

  /** Id of the failed operation. */
  readonly operationId: string;
  /** The status as the service sent it. */
  readonly status: Status;

  constructor(operationId: string, status: Status, registry: Registry, context: ErrorContext = { method: "" }) {
    const code = status.code in Code && status.code !== 0 ? (status.code as Code) : Code.Unknown;
    const details = status.details.map((any) => ({ type: any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1), value: any.value }));
    super(`${status.message || "operation failed"} (operation ${operationId})`, code, { ...context, registry }, undefined, undefined, details);
    Object.setPrototypeOf(this, new.target.prototype);
    this.operationId = operationId;
    this.status = status;
    markFailure(this, { origin: "server" });
  }

  override toJSON() {
    return { ...super.toJSON(), operationId: this.operationId };
  }
}

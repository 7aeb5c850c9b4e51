import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { CloudError } from "../../core/cloud-error.js";
import { ClusterService } from "../../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import type { CreateClusterRequestSchema } from "../../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import type { Cluster } from "../../../gen/yandex/cloud/dataproc/v1/cluster_pb.js";
import type { YandexCloud } from "../cloud.js";
import { localError } from "../errors.js";
import type { WaitOptions } from "../operation/wait.js";
import { abortable } from "../../core/abortable.js";

/** Options of {@link withEphemeralCluster}. */
export interface EphemeralClusterOptions {
  /**
   * Ends the create wait and the callback (which gets it too): the cluster
   * is deleted all the same, then the helper rejects with CANCELED (or
   * DEADLINE_EXCEEDED for a `TimeoutError` reason).
   */
  readonly signal?: AbortSignal;
  /** How the `Create` operation is waited for (`timeoutMs`, `policy`, …; `signal` is the one above). */
  readonly createWait?: Omit<WaitOptions, "signal">;
  /**
   * How long the `Delete` operation is waited for, on the cloud's clock.
   * Default 15 minutes. The delete does not use `signal` (it must run after
   * an abort); this bound is what keeps it finite.
   */
  readonly deleteTimeoutMs?: number;
}

/** Default bound of the delete wait: 15 minutes (a Data Proc delete takes a few). */
export const ephemeralDeleteTimeoutMs = 15 * 60_000;

/**
 * Creates a Data Proc cluster, waits until it is up, runs `fn` with it and
 * deletes it — on success, on failure and on abort — the way Yandex's
 * Airflow tutorials run a job (create cluster, run, delete cluster).
 *
 * - The delete runs in a `finally` of its own: once `Create` was accepted
 *   the cluster exists, so even a failed or aborted create wait deletes it.
 *   It waits for the `Delete` operation, bounded by `deleteTimeoutMs`.
 * - A failed delete is reported, never swallowed: when `fn` succeeded the
 *   helper rejects with a `YandexCloudError` (the delete's code) whose
 *   `cause` is the delete's error; when `fn` also failed it rejects with an
 *   `AggregateError` of `[fn's error, delete error]`. Either message names
 *   the cluster id, so it can be deleted by hand. A cluster already gone
 *   (NOT_FOUND) counts as deleted.
 * - Abort (`signal`): `fn` gets the signal; the helper stops waiting for it
 *   at once, deletes the cluster and rejects with CANCELED.
 * - `cloud.close()` is synchronous and ends every call of the cloud at once,
 *   so it cannot wait for the delete. Closed while `fn` runs, the delete
 *   cannot be sent: the helper rejects reporting the cluster left behind.
 *   Closed after `Delete` was accepted, the server deletes the cluster
 *   anyway; only the confirmation is lost, and the rejection says so with
 *   the operation id. Close the cloud after the helper settles.
 *
 * @example
 * ```ts
 * import { ClusterService, JobService } from "dataproc-connect/dataproc/v1";
 * const count = await withEphemeralCluster(cloud, createRequest, async (cluster, signal) => {
 *   const job = await submitJob(cloud, JobService, { clusterId: cluster.id, jobSpec }, { signal });
 *   return (await job.wait({ signal })).status;
 * }, { signal: AbortSignal.timeout(3_600_000) });
 * ```
 */
export async function withEphemeralCluster<T>(
  cloud: YandexCloud,
  request: MessageInitShape<typeof CreateClusterRequestSchema>,
  fn: (cluster: Cluster, signal: AbortSignal) => Promise<T>,
  options: EphemeralClusterOptions = {},
): Promise<T> {
  const createMethod = `/${ClusterService.typeName}/Create`;
  if (typeof fn !== "function") throw localError(Code.InvalidArgument, `withEphemeralCluster: fn: expected a function, got ${typeof fn}`, { method: createMethod, attempts: 0 });
  const deleteTimeoutMs = options.deleteTimeoutMs ?? ephemeralDeleteTimeoutMs;
  if (!(deleteTimeoutMs > 0) || !Number.isFinite(deleteTimeoutMs)) {
    throw localError(Code.InvalidArgument, `withEphemeralCluster: deleteTimeoutMs: expected a positive finite number, got ${String(deleteTimeoutMs)}`, { method: createMethod, attempts: 0 });
  }
  const clusters = cloud.client(ClusterService);
  const callerSignal = options.signal ?? new AbortController().signal;
  const operation = await clusters.create(request, { signal: callerSignal });
  const clusterId = operation.decodedMetadata?.clusterId ?? "";
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    const cluster = await operation.wait({ ...options.createWait, signal: callerSignal });
    outcome = { ok: true, value: await untilAborted(fn(cluster, callerSignal), callerSignal, clusterId, createMethod, cloud) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const deleteError = await deleteCluster(cloud, clusterId, deleteTimeoutMs);
  if (deleteError === undefined) {
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
  if (outcome.ok) {
    const code = deleteError.cause instanceof CloudError ? deleteError.cause.code : Code.Unknown;
    throw localError(code, `withEphemeralCluster: the callback succeeded but ${deleteError.message}`, { method: `/${ClusterService.typeName}/Delete` }, deleteError.cause);
  }
  throw new AggregateError([outcome.error, deleteError.cause], `withEphemeralCluster: the callback failed and ${deleteError.message}`);
}

/** `work`, or the abort error once `signal` fires (the callback's own promise is then left to settle on its own). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, clusterId: string, method: string, cloud: YandexCloud): Promise<T> {
  const aborted = (): Error =>
    localError(cloud.closeSignal.aborted ? Code.Canceled : abortCode(signal.reason), `withEphemeralCluster: cluster ${clusterId}: ${abortText(signal.reason)}`, { method }, signal.reason);
  if (signal.aborted) Promise.resolve(work).catch(() => {});
  return abortable(Promise.resolve(work), signal).catch((error: unknown) => {
    throw signal.aborted ? aborted() : error;
  });
}

/**
 * Deletes the cluster and waits for it, bounded; resolves with nothing on
 * success (or NOT_FOUND), or with an error whose message says what is left
 * and whose `cause` is what failed.
 */
async function deleteCluster(cloud: YandexCloud, clusterId: string, timeoutMs: number): Promise<{ message: string; cause: unknown } | undefined> {
  let operationId = "";
  try {
    const operation = await cloud.client(ClusterService).delete({ clusterId });
    operationId = operation.id;
    await operation.wait({ timeoutMs });
    return undefined;
  } catch (error) {
    if (error instanceof CloudError && error.code === Code.NotFound && operationId === "") return undefined;
    const message =
      operationId === ""
        ? `cluster ${clusterId} was not deleted (Delete failed: ${error instanceof Error ? error.message : String(error)}); delete it by hand`
        : `the deletion of cluster ${clusterId} (operation ${operationId}) was requested but not confirmed: ${error instanceof Error ? error.message : String(error)}`;
    return { message, cause: error };
  }
}

import type { Message } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { Poller } from "../../core/poll.js";
import type { YandexCloud } from "../cloud.js";
import { localError } from "../errors.js";
import type { WaitOptions } from "../operation/wait.js";
import { clusterServiceOf } from "./cluster-services.js";
import type { ClusterOf, YandexClusterService } from "./cluster-services.js";

/**
 * Options of {@link startCluster} and {@link stopCluster}: the operation's
 * {@link WaitOptions} (the shared `PollOptions`: `signal`, `timeoutMs`, …),
 * which also bound the reads of the cluster that follow it.
 */
export interface ClusterWaitOptions extends WaitOptions {}

/**
 * Starts a stopped cluster and resolves with it once it is RUNNING: the
 * `Start` operation's `wait()` to `Cluster`, then — if the operation's
 * `Cluster` is not RUNNING yet (the API documents the operation, not the
 * status it leaves) — `Get` polls on the cloud's clock until it is. A
 * failed operation rejects with an `OperationError`; a stopped cluster
 * that cannot start rejects with the service's FAILED_PRECONDITION.
 *
 * @example
 * ```ts
 * const cluster = await startCluster(cloud, ClusterService, { clusterId }, { timeoutMs: 15 * 60_000 });
 * ```
 */
export function startCluster<S extends YandexClusterService>(cloud: YandexCloud, service: S, request: { readonly clusterId: string }, options: ClusterWaitOptions = {}): Promise<ClusterOf<S>> {
  return changeAndWait(cloud, service, request, options, "start");
}

/**
 * Stops a running cluster and resolves with it once it is STOPPED (the
 * `Stop` operation's `wait()`, then `Get` until STOPPED if need be). A
 * stopped cluster refuses new jobs until {@link startCluster}.
 *
 * @example
 * ```ts
 * await stopCluster(cloud, ClusterService, { clusterId });
 * ```
 */
export function stopCluster<S extends YandexClusterService>(cloud: YandexCloud, service: S, request: { readonly clusterId: string }, options: ClusterWaitOptions = {}): Promise<ClusterOf<S>> {
  return changeAndWait(cloud, service, request, options, "stop");
}

/** Cluster status polls after the operation start at 1 s and back off to 10 s, like `operation.wait()`. */
const statusWaitDefaults = { initialDelayMs: 1_000, maxDelayMs: 10_000 } as const;

async function changeAndWait<S extends YandexClusterService>(
  cloud: YandexCloud,
  service: S,
  request: { readonly clusterId: string },
  options: ClusterWaitOptions,
  verb: "start" | "stop",
): Promise<ClusterOf<S>> {
  const method = `/${service.typeName}/${verb === "start" ? "Start" : "Stop"}`;
  const clusterId: unknown = request?.clusterId;
  if (typeof clusterId !== "string" || clusterId === "") {
    throw localError(Code.InvalidArgument, `${verb}Cluster: clusterId: expected a non-empty string, got ${JSON.stringify(clusterId) ?? typeof clusterId}`, { method, attempts: 0 });
  }
  const { calls, statuses } = clusterServiceOf(cloud, service);
  const target = verb === "start" ? statuses.running : statuses.stopped;
  const started = cloud.clock.now();
  const operation = await (verb === "start" ? calls.start : calls.stop).call(calls, { clusterId }, { signal: options.signal });
  let cluster = (await operation.wait(options)) as ClusterOf<S>;
  if (cluster.status === target) return cluster;
  // The operation ended before the status settled: read until it does, on the rest of the caller's time budget.
  const remaining = options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs - (cloud.clock.now() - started));
  const getMethod = `/${service.typeName}/Get`;
  const poller = new Poller(cloud, { ...options, timeoutMs: remaining }, statusWaitDefaults, {
    timeout: (ms, polls) => localError(Code.DeadlineExceeded, `cluster ${clusterId} is still ${statuses.name(cluster.status)} after ${verb}, ${ms} ms (${polls} polls)`, { method: getMethod, attempts: polls }),
    aborted: (reason, polls) =>
      localError(cloud.closeSignal.aborted ? Code.Canceled : abortCode(reason), `wait for cluster ${clusterId} to ${verb}: ${abortText(reason)}`, { method: getMethod, attempts: polls }, reason),
  });
  for (;;) {
    await poller.pause();
    cluster = (await calls.get({ clusterId }, { signal: poller.signal })) as Message as ClusterOf<S>;
    if (cluster.status === target) return cluster;
  }
}

/**
 * What a cloud contributes to the `clusters` / `applications` commands:
 * how to list, read, start and stop the thing jobs run on, and how to show
 * it. The commands themselves — the table, the card, `--json`, the wait
 * line — are written once in run-cluster-command.ts, so Yandex clusters,
 * MRS clusters and EMR Serverless applications print alike.
 *
 * @example
 * ```ts
 * return runClusterCommand(openAwsApplications(aws), context);
 * ```
 *
 * @module
 */
import type { Flags } from "../args.js";
import type { ClusterView } from "./cluster-view.js";

/** How `start` and `stop` wait: the signal, and `--poll-interval` as fixed delays when given. */
export interface ClusterWait {
  readonly signal: AbortSignal;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** One cloud's clusters (or applications), opened from a command line's flags. */
export interface CloudClusters {
  /** `yandex`, `aws`, `huawei`: the JSON's `cloud`. */
  readonly cloud: string;
  /** How people call one: `cluster`, `application`. */
  readonly noun: "cluster" | "application";
  /** Width of the id column of `list`. */
  readonly idWidth: number;
  list(flags: Flags, signal: AbortSignal): AsyncIterable<ClusterView>;
  get(id: string, signal: AbortSignal): Promise<ClusterView>;
  /** Starts and resolves once it runs; absent where the cloud's API has no start (MRS). */
  start?(id: string, flags: Flags, wait: ClusterWait): Promise<ClusterView>;
  /** Stops and resolves once it is stopped. */
  stop?(id: string, flags: Flags, wait: ClusterWait): Promise<ClusterView>;
  close(): void;
}

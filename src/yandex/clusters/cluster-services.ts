import type { Message } from "@bufbuild/protobuf";
import { ClusterService as DataprocClusterService } from "../../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import { Cluster_Status as DataprocStatus } from "../../../gen/yandex/cloud/dataproc/v1/cluster_pb.js";
import { ClusterService as SparkClusterService } from "../../../gen/yandex/cloud/spark/v1/cluster_service_pb.js";
import { Cluster_Status as SparkStatus } from "../../../gen/yandex/cloud/spark/v1/cluster_pb.js";
import type { Cluster as DataprocCluster } from "../../../gen/yandex/cloud/dataproc/v1/cluster_pb.js";
import type { Cluster as SparkCluster } from "../../../gen/yandex/cloud/spark/v1/cluster_pb.js";
import type { YandexCloud } from "../cloud.js";
import type { WaitOptions } from "../operation/wait.js";

/** Either Yandex cluster service: Data Proc's or Managed Spark's `ClusterService`. */
export type YandexClusterService = typeof DataprocClusterService | typeof SparkClusterService;

/** The `Cluster` message of `S`: Data Proc's or Managed Spark's. */
export type ClusterOf<S extends YandexClusterService> = S extends typeof SparkClusterService ? SparkCluster : DataprocCluster;

/** What the cluster helpers use of either service's typed client. @internal */
export interface ClusterCalls {
  list(request: { folderId: string; pageSize?: bigint; pageToken?: string; filter?: string }, options?: { signal?: AbortSignal }): Promise<{ clusters: Message[]; nextPageToken: string }>;
  get(request: { clusterId: string }, options?: { signal?: AbortSignal }): Promise<Message>;
  start(request: { clusterId: string }, options?: { signal?: AbortSignal }): Promise<{ id: string; wait(options?: WaitOptions): Promise<Message> }>;
  stop(request: { clusterId: string }, options?: { signal?: AbortSignal }): Promise<{ id: string; wait(options?: WaitOptions): Promise<Message> }>;
}

/** The status numbers that matter to the helpers, per service (they differ: Data Proc's STOPPED is 5, Managed Spark's 6). @internal */
export interface ClusterStatuses {
  readonly running: number;
  readonly stopped: number;
  /** The status name, for messages. */
  name(status: number): string;
}

/** The typed client and statuses of `service`. @internal */
export function clusterServiceOf(cloud: YandexCloud, service: YandexClusterService): { calls: ClusterCalls; statuses: ClusterStatuses } {
  const calls = cloud.client(service) as unknown as ClusterCalls;
  if (service.typeName === SparkClusterService.typeName) {
    return { calls, statuses: { running: SparkStatus.RUNNING, stopped: SparkStatus.STOPPED, name: (s) => SparkStatus[s] ?? String(s) } };
  }
  if (service.typeName === DataprocClusterService.typeName) {
    return { calls, statuses: { running: DataprocStatus.RUNNING, stopped: DataprocStatus.STOPPED, name: (s) => DataprocStatus[s] ?? String(s) } };
  }
  throw new TypeError(`service: expected the Data Proc or Managed Spark ClusterService, got ${String((service as { typeName?: unknown } | undefined)?.typeName)}`);
}

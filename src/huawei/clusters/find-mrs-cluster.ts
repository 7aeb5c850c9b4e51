import { Code } from "@connectrpc/connect";
import { nameArgument, pickByName } from "../../core/find-by-name.js";
import { PagingGuard } from "../../core/paging-guard.js";
import { ClusterService } from "../../../gen/huawei/mrs/v1/cluster_pb.js";
import type { Cluster } from "../../../gen/huawei/mrs/v1/cluster_pb.js";
import type { HuaweiCloud } from "../cloud.js";
import { localHuaweiError } from "../errors/huawei-cloud-error.js";

const listMethod = "/huawei.mrs.v1.ClusterService/ListClusters";

/** Options of {@link findMrsClusterByName}. */
export interface FindMrsClusterOptions {
  /** The project; default the cloud's. */
  readonly projectId?: string;
  /** Clusters per page; default 100. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/**
 * The MRS cluster named `name` among the project's existing clusters
 * (`clusterState: "existing"`: deleted ones are no candidates). MRS
 * `ListClusters` takes a `clusterName` filter, so this is usually one call;
 * pages (`currentPage`, until `clusterTotal` is read) are followed under
 * the paging guard, and names are compared exactly here, whatever the
 * server's filter matched. NOT_FOUND when none has the name;
 * FAILED_PRECONDITION naming the ids when several do (MRS allows
 * duplicate names). Errors are {@link HuaweiCloudError}s.
 *
 * @example
 * ```ts
 * const cluster = await findMrsClusterByName(huawei, "analytics");
 * await submitMrsJob(huawei, { clusterId: cluster.clusterId!, jobType: "SparkSubmit", jobName: "pi" });
 * ```
 */
export async function findMrsClusterByName(cloud: HuaweiCloud, name: string, options: FindMrsClusterOptions = {}): Promise<Cluster> {
  const refuse = (text: string) => localHuaweiError(Code.InvalidArgument, `findMrsClusterByName: ${text}`, { method: listMethod, attempts: 0 });
  nameArgument(name, "name", refuse);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw refuse(`pageSize: expected an integer from 1 to 1000, got ${String(pageSize)}`);
  const clusters = cloud.client(ClusterService);
  const guard = new PagingGuard(`ListClusters of clusters named ${JSON.stringify(name)}`, (message) => localHuaweiError(Code.Internal, message, { method: listMethod }));
  guard.start("");
  const found: { id: string; name: string; cluster: Cluster }[] = [];
  for (let currentPage = 1, seen = 0; ; currentPage++) {
    const page = await clusters.listClusters(
      { projectId: options.projectId ?? "", clusterName: name, clusterState: "existing", pageSize, currentPage },
      { signal: options.signal },
    );
    for (const c of page.clusters) if (c.clusterName === name) found.push({ id: c.clusterId ?? "", name, cluster: c });
    seen += page.clusters.length;
    if (page.clusters.length === 0 || page.clusters.length < pageSize || seen >= (page.clusterTotal ?? 0)) break;
    // Paged by offset: a page is known by its clusters' ids, and a server that hands the same page out again is a loop.
    guard.nextPage(page.clusters.map((c) => c.clusterId ?? "").join(","), "page of clusters");
  }
  const where = `in project ${options.projectId ?? cloud.projectId ?? "(the cloud's)"}`;
  return pickByName(found, name, { what: "MRS cluster", where, fail: (code, text) => localHuaweiError(code, text, { method: listMethod }) }).cluster;
}

/**
 * `clusters list|get --cloud huawei`: MRS v1.1 `ListClusters` and
 * `ShowClusterDetails` (MRS has no start or stop API). The commands are
 * every cloud's (clusters/run-cluster-command.ts).
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import { toJson } from "@bufbuild/protobuf";
import { PagingGuard } from "../../core/paging-guard.js";
import type { HuaweiCloud } from "../../huawei/index.js";
import { ClusterSchema, ClusterService } from "../../huawei/mrs/v1/index.js";
import type { Cluster } from "../../huawei/mrs/v1/index.js";
import { localHuaweiError } from "../../huawei/errors/huawei-cloud-error.js";
import type { CloudClusters } from "../clusters/cloud-clusters.js";
import { clusterState } from "../clusters/cluster-view.js";
import type { ClusterView } from "../clusters/cluster-view.js";

const pageSize = 100;

/** The Huawei {@link CloudClusters}: list and get only. */
export function openHuaweiClusters(huawei: HuaweiCloud): CloudClusters {
  const client = huawei.client(ClusterService);
  return {
    cloud: "huawei",
    noun: "cluster",
    idWidth: 36,
    list: async function* (flags, signal) {
      const filter = { projectId: "", clusterName: flags.string("name") ?? "", clusterState: flags.string("state") ?? "existing", pageSize };
      const method = "/huawei.mrs.v1.ClusterService/ListClusters";
      const guard = new PagingGuard("ListClusters", (message) => localHuaweiError(Code.Internal, message, { method }));
      guard.start("");
      for (let currentPage = 1, seen = 0; ; currentPage++) {
        const page = await client.listClusters({ ...filter, currentPage }, { signal });
        for (const c of page.clusters) yield clusterView(c);
        seen += page.clusters.length;
        if (page.clusters.length < pageSize || seen >= (page.clusterTotal ?? 0)) return;
        // Paged by offset: a page handed out again is a loop.
        guard.nextPage(page.clusters.map((c) => c.clusterId ?? "").join(","), "page of clusters");
      }
    },
    get: async (id, signal) => {
      const { cluster } = await client.showClusterDetails({ projectId: "", clusterId: id }, { signal });
      if (cluster === undefined) throw localHuaweiError(Code.Internal, `ShowClusterDetails of ${id} answered without a cluster`, { method: "/huawei.mrs.v1.ClusterService/ShowClusterDetails" });
      return clusterView(cluster);
    },
    close: () => huawei.close(),
  };
}

/** MRS times are epoch seconds (or milliseconds) as strings. */
function epochMs(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  if (/^\d+$/.test(text)) return text.length > 11 ? Number(text) : Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function clusterView(c: Cluster): ClusterView {
  const status = c.clusterState ?? "unknown";
  return {
    id: c.clusterId ?? "",
    name: c.clusterName || undefined,
    status,
    state: clusterState(status),
    createdAt: epochMs(c.createAt),
    details: [
      ["version", c.clusterVersion],
      ["nodes", c.totalNodeNum],
      ["zone", c.azName],
      ["error", c.errorInfo],
    ],
    resource: toJson(ClusterSchema, c),
  };
}

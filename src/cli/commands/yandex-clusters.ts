/**
 * `clusters list|get|start|stop` on Yandex (Data Proc, or Managed Spark
 * with `--service spark`): the cluster service's `List` and `Get`, and the
 * library's `startCluster` / `stopCluster`, which wait until the cluster
 * is RUNNING / STOPPED. The commands are every cloud's
 * (clusters/run-cluster-command.ts).
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import { toJson } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { PagingGuard } from "../../core/paging-guard.js";
import { startCluster, stopCluster } from "../../yandex/clusters/index.js";
import { ClusterSchema as DataprocClusterSchema, ClusterService as DataprocClusterService, Cluster_Status as DataprocStatus } from "../../yandex/dataproc/v1/index.js";
import type { Cluster as DataprocCluster } from "../../yandex/dataproc/v1/index.js";
import { ClusterSchema as SparkClusterSchema, ClusterService as SparkClusterService, Cluster_Status as SparkStatus } from "../../yandex/spark/v1/index.js";
import type { Cluster as SparkCluster } from "../../yandex/spark/v1/index.js";
import { localError } from "../../yandex/errors.js";
import type { YandexCloud } from "../../index.js";
import type { CommandContext } from "../command.js";
import { UsageError } from "../exit.js";
import { readYandexOptions } from "../globals.js";
import type { ServiceName } from "../globals.js";
import type { CloudClusters } from "../clusters/cloud-clusters.js";
import { clusterState } from "../clusters/cluster-view.js";
import type { ClusterView } from "../clusters/cluster-view.js";
import { runClusterCommand } from "../clusters/run-cluster-command.js";
import { openSession } from "../session.js";

export async function run(context: CommandContext): Promise<number> {
  const env = context.io.env ?? process.env;
  const options = readYandexOptions(context.flags, env);
  const session = openSession({ ...options, clusterId: "" }, env);
  const folderId = context.flags.string("folder-id") ?? (env["YC_FOLDER_ID"] || undefined);
  return runClusterCommand(openYandexClusters(session.cloud, options.service, folderId, () => session.close()), context);
}

/** The Yandex {@link CloudClusters} of `service`'s cluster service; `list` needs `folderId`. */
export function openYandexClusters(cloud: YandexCloud, service: ServiceName, folderId: string | undefined, close: () => void): CloudClusters {
  const desc = clusterServiceOf(service);
  const view = (c: DataprocCluster | SparkCluster): ClusterView => clusterView(service, c);
  return {
    cloud: "yandex",
    noun: "cluster",
    idWidth: 20,
    list: (flags, signal) => {
      if (folderId === undefined) throw new UsageError("clusters list: give --folder-id (or set YC_FOLDER_ID)");
      const name = flags.string("name");
      if (name?.includes('"')) throw new UsageError('clusters list: --name must not contain "');
      return listed(cloud, service, folderId, name === undefined ? "" : `name = ${JSON.stringify(name)}`, signal, view);
    },
    get: async (id, signal) => view((await cloud.client(desc as typeof DataprocClusterService).get({ clusterId: id }, { signal })) as DataprocCluster),
    start: async (id, _flags, wait) => view(await startCluster(cloud, desc, { clusterId: id }, wait)),
    stop: async (id, _flags, wait) => view(await stopCluster(cloud, desc, { clusterId: id }, wait)),
    close,
  };
}

/** `ClusterService` of Data Proc or Managed Spark. */
export function clusterServiceOf(service: ServiceName): typeof DataprocClusterService | typeof SparkClusterService {
  return service === "spark" ? SparkClusterService : DataprocClusterService;
}

async function* listed(
  cloud: YandexCloud,
  service: ServiceName,
  folderId: string,
  filter: string,
  signal: AbortSignal,
  view: (c: DataprocCluster | SparkCluster) => ClusterView,
): AsyncIterable<ClusterView> {
  const desc = clusterServiceOf(service);
  const client = cloud.client(desc as typeof DataprocClusterService);
  const method = `/${desc.typeName}/List`;
  const guard = new PagingGuard(`List of clusters in folder ${folderId}`, (message) => localError(Code.Internal, message, { method }));
  let pageToken = "";
  guard.start(pageToken);
  do {
    const page = await client.list({ folderId, filter, pageToken }, { signal });
    for (const c of page.clusters) yield view(c);
    pageToken = page.nextPageToken;
    if (pageToken !== "") guard.nextPage(pageToken);
  } while (pageToken !== "");
}

function clusterView(service: ServiceName, c: DataprocCluster | SparkCluster): ClusterView {
  const status = service === "spark" ? (SparkStatus[c.status as SparkStatus] ?? String(c.status)) : (DataprocStatus[c.status as DataprocStatus] ?? String(c.status));
  return {
    id: c.id,
    name: c.name || undefined,
    status,
    state: clusterState(status),
    createdAt: c.createdAt === undefined ? undefined : timestampMs(c.createdAt),
    details: [
      ["folder", c.folderId || undefined],
      ["description", c.description || undefined],
    ],
    resource: service === "spark" ? toJson(SparkClusterSchema, c as SparkCluster) : toJson(DataprocClusterSchema, c as DataprocCluster),
  };
}

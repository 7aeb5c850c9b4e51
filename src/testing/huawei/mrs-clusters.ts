import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { ConnectRouter } from "@connectrpc/connect";
import { ClusterService } from "../../../gen/huawei/mrs/v1/cluster_pb.js";
import type { ClusterSchema } from "../../../gen/huawei/mrs/v1/cluster_pb.js";
import { rpcError } from "../errors.js";
import { unary } from "../pipeline.js";
import type { PipelineDeps } from "../pipeline.js";
import type { MrsJobs } from "./mrs-jobs.js";

/** States ListClusters filters by; the emulator's clusters are all running. */
const knownStates = new Set(["existing", "history", "starting", "running", "terminated", "failed", "abnormal", "terminating", "frozen", "scaling-out", "scaling-in"]);

/** The name the emulator gives its n-th cluster (from 1): `mrs-emulator-1`, … */
export function mrsClusterName(index: number): string {
  return `mrs-emulator-${index + 1}`;
}

/**
 * Registers MRS v1.1 `ClusterService` (ListClusters, ShowClusterDetails) on a
 * Connect router over the clusters the MRS jobs run on, so a cluster looked
 * up here is one jobs can be submitted to. Every cluster is `running`, was
 * created when the emulator was, and has one Master and two Core nodes.
 *
 * @example
 * ```ts
 * registerHuaweiMrsClusters(router, deps, mrsJobs, clock.now());
 * ```
 */
export function registerHuaweiMrsClusters(router: ConnectRouter, deps: PipelineDeps, jobs: MrsJobs, createdAt: number): void {
  const open = { public: true } as const;
  const ids = [...jobs.clusters];
  const cluster = (id: string): MessageInitShape<typeof ClusterSchema> => {
    const index = ids.indexOf(id);
    const seconds = String(Math.floor(createdAt / 1000));
    return {
      clusterId: id,
      clusterName: mrsClusterName(index),
      masterNodeNum: "1",
      coreNodeNum: "2",
      totalNodeNum: "3",
      clusterState: "running",
      stageDesc: "",
      createAt: seconds,
      updateAt: seconds,
      chargingStartTime: seconds,
      billingType: "Metered",
      dataCenter: "emulator-region-1",
      vpc: "vpc-emulator",
      hadoopVersion: "3.1.1",
      clusterVersion: "MRS 3.1.0",
      componentList: [
        { componentId: "MRS 3.1.0_001", componentName: "Hadoop", componentVersion: "3.1.1" },
        { componentId: "MRS 3.1.0_002", componentName: "Spark2x", componentVersion: "3.1.1" },
        { componentId: "MRS 3.1.0_004", componentName: "Hive", componentVersion: "3.1.0" },
      ],
      tenantId: jobs.projectId,
      safeMode: 0,
      isMrsManagerFinish: true,
      clusterType: 0,
      logCollection: 1,
      errorInfo: "",
      remark: "",
      nodeGroups: [
        { groupName: "master_node_default_group", nodeNum: 1, nodeSize: "c6.2xlarge.4.linux.bigdata" },
        { groupName: "core_node_analysis_group", nodeNum: 2, nodeSize: "c6.2xlarge.4.linux.bigdata" },
      ],
    };
  };

  router.rpc(
    ClusterService.method.listClusters,
    unary(deps, ClusterService.method.listClusters, open, (req) => {
      jobs.checkScope(req.projectId);
      if (req.clusterState !== "" && !knownStates.has(req.clusterState)) {
        throw rpcError(Code.InvalidArgument, `clusterState: must be one of ${[...knownStates].join(", ")}`);
      }
      const pageSize = req.pageSize ?? 10;
      const currentPage = req.currentPage ?? 1;
      const matching = ids
        .map(cluster)
        .filter((c) => req.clusterName === "" || c.clusterName === req.clusterName)
        .filter((c) => req.clusterState === "" || req.clusterState === "existing" || req.clusterState === c.clusterState)
        // The emulator's clusters carry no tags, so a tag filter matches none of them.
        .filter(() => req.tags === "");
      return { clusterTotal: matching.length, clusters: matching.slice((currentPage - 1) * pageSize, currentPage * pageSize) };
    }),
  );

  router.rpc(
    ClusterService.method.showClusterDetails,
    unary(deps, ClusterService.method.showClusterDetails, open, (req) => {
      jobs.checkScope(req.projectId, req.clusterId);
      return { cluster: cluster(req.clusterId) };
    }),
  );
}

/**
 * Huawei Cloud MRS API v1.1: clusters (`ClusterService.listClusters`,
 * `ClusterService.showClusterDetails`, as the Huawei SDKs name them) and the
 * job execution objects (Sahara-compatible, documented as "not
 * recommended": `JobExecutionService.cancelJobExecution`). Use them with
 * `createHuaweiCloud` from `dataproc-connect/huawei`.
 *
 * @example
 * ```ts
 * const { clusters } = await cloud.client(ClusterService).listClusters({ clusterName: "etl", clusterState: "running" });
 * const { jobExecution } = await cloud.client(JobExecutionService).cancelJobExecution({ jobExecutionId });
 * zonelessUtc(jobExecution?.updatedAt);
 * ```
 *
 * @module
 */
// Every file of the package (generated).
export * from "../../../../gen/huawei/mrs/v1/index.js";
export { zonelessUtc } from "./times.js";
export { findMrsClusterByName } from "../../clusters/find-mrs-cluster.js";
export type { FindMrsClusterOptions } from "../../clusters/find-mrs-cluster.js";

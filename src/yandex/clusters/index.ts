export { findClusterByName } from "./find-cluster.js";
export type { FindClusterOptions } from "./find-cluster.js";
export { startCluster, stopCluster } from "./cluster-lifecycle.js";
export type { ClusterWaitOptions } from "./cluster-lifecycle.js";
export { ephemeralDeleteTimeoutMs, withEphemeralCluster } from "./ephemeral-cluster.js";
export type { EphemeralClusterOptions } from "./ephemeral-cluster.js";
export type { ClusterOf, YandexClusterService } from "./cluster-services.js";

// findClusterByName / startCluster / stopCluster resolve with the Cluster message of the service passed.
import { describe, expectTypeOf, it } from "vitest";
import { ClusterService } from "../../src/yandex/dataproc/v1/index.js";
import type { Cluster } from "../../src/yandex/dataproc/v1/index.js";
import { ClusterService as SparkClusterService } from "../../src/yandex/spark/v1/index.js";
import type { Cluster as SparkCluster } from "../../src/yandex/spark/v1/index.js";
import { findClusterByName, startCluster, stopCluster } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";

declare const cloud: YandexCloud;

describe("cluster helpers' types", () => {
  it("give Data Proc's Cluster for Data Proc and Managed Spark's for Managed Spark", () => {
    expectTypeOf(findClusterByName(cloud, ClusterService, "x")).resolves.toEqualTypeOf<Cluster>();
    expectTypeOf(findClusterByName(cloud, SparkClusterService, "x")).resolves.toEqualTypeOf<SparkCluster>();
    expectTypeOf(startCluster(cloud, SparkClusterService, { clusterId: "c" })).resolves.toEqualTypeOf<SparkCluster>();
    expectTypeOf(stopCluster(cloud, ClusterService, { clusterId: "c" })).resolves.toEqualTypeOf<Cluster>();
  });
});

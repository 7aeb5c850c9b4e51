// MRS v1.1 clusters on the emulator's REST face, end to end: createHuaweiCloud
// signs (SDK-HMAC-SHA256), the face verifies, and ListClusters /
// ShowClusterDetails answer from the clusters the MRS jobs run on, so a
// cluster found by name takes a v2 job.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HuaweiCloudError } from "../../src/huawei/index.js";
import { ClusterService } from "../../src/huawei/mrs/v1/index.js";
import { submitMrsJob } from "../../src/huawei/mrs/v2/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/server.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";

let emulator: Emulator<ManualClock>;
beforeEach(async () => {
  emulator = await startEmulator({ clock: new ManualClock(), clusters: ["c9qcluster0000000001", "c9qcluster0000000002", "c9qcluster0000000003"] });
});
afterEach(async () => {
  await emulator.close();
});

describe("MRS v1.1 clusters on the emulator", () => {
  it("lists the emulator's clusters with a total, pages by pageSize/currentPage, filters by name and state", async () => {
    const clusters = huaweiCloudOn(emulator).client(ClusterService);
    const all = await clusters.listClusters({});
    expect(all.clusterTotal).toBe(3);
    expect(all.clusters.map((c) => c.clusterId)).toEqual(emulator.clusters);
    expect(all.clusters[0]).toMatchObject({ clusterName: "mrs-emulator-1", clusterState: "running", totalNodeNum: "3", tenantId: emulator.huawei.projectId });
    expect(all.clusters[0]!.createAt).toBe(String(Math.floor(emulator.clock.now() / 1000)));
    const page2 = await clusters.listClusters({ pageSize: 2, currentPage: 2 });
    expect(page2.clusterTotal).toBe(3);
    expect(page2.clusters.map((c) => c.clusterId)).toEqual([emulator.clusters[2]]);
    const named = await clusters.listClusters({ clusterName: "mrs-emulator-2" });
    expect(named.clusters.map((c) => c.clusterId)).toEqual([emulator.clusters[1]]);
    expect((await clusters.listClusters({ clusterState: "existing" })).clusterTotal).toBe(3);
    expect((await clusters.listClusters({ clusterState: "terminated" })).clusterTotal).toBe(0);
    expect((await clusters.listClusters({ tags: "team*data" })).clusterTotal).toBe(0);
    const bad = await clusters.listClusters({ clusterState: "sleeping" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(HuaweiCloudError);
    expect((bad as HuaweiCloudError).message).toMatch(/clusterState/);
  });

  it("shows one cluster, and a cluster found by name takes a v2 job", async () => {
    const cloud = huaweiCloudOn(emulator);
    const { clusters } = await cloud.client(ClusterService).listClusters({ clusterName: "mrs-emulator-3" });
    const clusterId = clusters[0]!.clusterId!;
    const { cluster } = await cloud.client(ClusterService).showClusterDetails({ clusterId });
    expect(cluster).toMatchObject({ clusterId, clusterName: "mrs-emulator-3", clusterState: "running", isMrsManagerFinish: true });
    expect(cluster!.componentList.map((c) => c.componentName)).toContain("Spark2x");
    expect(cluster!.nodeGroups.map((g) => g.groupName)).toEqual(["master_node_default_group", "core_node_analysis_group"]);
    const job = await submitMrsJob(cloud, { clusterId, jobType: "SparkSubmit", jobName: "on_found_cluster", arguments: ["--class", "Pi"] });
    expect((await job.get()).jobName).toBe("on_found_cluster");
  });

  it("an unknown cluster is a 404 HuaweiCloudError", async () => {
    const error = await huaweiCloudOn(emulator).client(ClusterService).showClusterDetails({ clusterId: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HuaweiCloudError);
    expect((error as HuaweiCloudError).httpStatus).toBe(404);
    expect((error as HuaweiCloudError).message).toMatch(/cluster nope not found/);
  });
});

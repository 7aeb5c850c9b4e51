// Both Yandex ClusterServices in the emulator, driven by the official SDK's
// grpc-js clients and by ours: scripted lifecycle on the manual clock, the
// config checks of Create, and a stopped cluster refusing new jobs.
import { Metadata, credentials, status as grpcStatus } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { Cluster as SdkCluster, Cluster_Status as SdkStatus } from "@yandex-cloud/nodejs-sdk/dataproc-v1/cluster";
import {
  ClusterServiceClient as SdkDataprocClusters,
  CreateClusterMetadata as SdkCreateClusterMetadata,
  CreateClusterRequest as SdkCreateClusterRequest,
} from "@yandex-cloud/nodejs-sdk/dataproc-v1/cluster_service";
import type {
  ListClusterHostsResponse,
  ListClusterOperationsResponse,
  ListClustersResponse,
  ListUILinksResponse,
} from "@yandex-cloud/nodejs-sdk/dataproc-v1/cluster_service";
import { Role as SdkRole } from "@yandex-cloud/nodejs-sdk/dataproc-v1/subcluster";
import { JobServiceClient as SdkDataprocJobs } from "@yandex-cloud/nodejs-sdk/dataproc-v1/job_service";
import { Cluster as SdkSparkCluster, Cluster_Status as SdkSparkStatus } from "@yandex-cloud/nodejs-sdk/spark-v1/cluster";
import {
  ClusterServiceClient as SdkSparkClusters,
  CreateClusterRequest as SdkSparkCreateClusterRequest,
} from "@yandex-cloud/nodejs-sdk/spark-v1/cluster_service";
import type { Operation } from "@yandex-cloud/nodejs-sdk/operation/operation";
import { OperationServiceClient } from "@yandex-cloud/nodejs-sdk/operation/operation_service";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClusterService,
  Cluster_Status,
  JobService,
  Role,
} from "../../src/yandex/dataproc/v1/index.js";
import {
  ClusterService as SparkClusterService,
  Cluster_Status as SparkCluster_Status,
  JobService as SparkJobService,
} from "../../src/yandex/spark/v1/index.js";
import { YandexCloudError } from "../../src/index.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateClusterRequestSchema } from "../../gen/yandex/cloud/dataproc/v1/cluster_service_pb.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";

const timing = { createMs: 5_000, startMs: 3_000, stopMs: 2_000, deleteMs: 1_000 };

function bearer(token: string): Metadata {
  const md = new Metadata();
  md.set("authorization", `Bearer ${token}`);
  return md;
}

function call<Res>(invoke: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

async function failure(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error("expected the call to fail");
}

/** A Data Proc Create request the SDK's way (ts-proto partials). */
function sdkCreateRequest(folderId: string, name: string, roles: SdkRole[] = [SdkRole.MASTERNODE, SdkRole.COMPUTENODE]) {
  return SdkCreateClusterRequest.fromPartial({
    folderId,
    name,
    description: "made by the SDK",
    labels: { team: "data" },
    zoneId: "ru-central1-a",
    serviceAccountId: "ajesa0000000000000001",
    bucket: "sdk-bucket",
    uiProxy: true,
    configSpec: {
      versionId: "2.1",
      hadoop: { services: [1, 2, 10], properties: { "yarn:yarn.nodemanager.resource.memory-mb": "8192" } },
      subclustersSpec: roles.map((role, i) => ({
        name: `sub-${i}`,
        role,
        resources: { resourcePresetId: "s2.micro", diskTypeId: "network-ssd", diskSize: 20 * 2 ** 30 },
        subnetId: "e9bsubnet00000000001",
        hostsCount: role === SdkRole.MASTERNODE ? 1 : 2,
      })),
    },
  });
}

describe("official SDK clients", () => {
  let h: ClientHarness;
  let clusters: InstanceType<typeof SdkDataprocClusters>;
  let sparkClusters: InstanceType<typeof SdkSparkClusters>;
  let jobs: InstanceType<typeof SdkDataprocJobs>;
  let operations: InstanceType<typeof OperationServiceClient>;
  let md: Metadata;

  beforeAll(async () => {
    h = await startClientHarness({ clusterTiming: timing });
    const address = `127.0.0.1:${h.emulator.port}`;
    clusters = new SdkDataprocClusters(address, credentials.createInsecure());
    sparkClusters = new SdkSparkClusters(address, credentials.createInsecure());
    jobs = new SdkDataprocJobs(address, credentials.createInsecure());
    operations = new OperationServiceClient(address, credentials.createInsecure());
    md = bearer(h.emulator.iamToken);
  });
  afterAll(async () => {
    for (const c of [clusters, sparkClusters, jobs, operations]) c.close();
    await h.close();
  });

  it("Data Proc: create → CREATING → RUNNING on the clock, list, hosts, UI links, stop refuses jobs, start, operations, delete", async () => {
    const folderId = h.emulator.folderId;
    const op = await call<Operation>((cb) => clusters.create(sdkCreateRequest(folderId, "sdk-cluster"), md, cb));
    expect(op.done).toBe(false);
    expect(op.metadata?.typeUrl).toBe("type.googleapis.com/yandex.cloud.dataproc.v1.CreateClusterMetadata");
    const { clusterId } = SdkCreateClusterMetadata.decode(op.metadata!.value);

    const creating = await call<SdkCluster>((cb) => clusters.get({ clusterId }, md, cb));
    expect(creating.status).toBe(SdkStatus.CREATING);
    h.clock.advance(timing.createMs);
    const done = await call<Operation>((cb) => operations.get({ operationId: op.id }, md, cb));
    expect(done.done).toBe(true);
    expect(done.response?.typeUrl).toBe("type.googleapis.com/yandex.cloud.dataproc.v1.Cluster");
    const cluster = SdkCluster.decode(done.response!.value);
    expect(cluster).toMatchObject({
      id: clusterId, folderId, name: "sdk-cluster", description: "made by the SDK", labels: { team: "data" },
      status: SdkStatus.RUNNING, zoneId: "ru-central1-a", serviceAccountId: "ajesa0000000000000001", bucket: "sdk-bucket", uiProxy: true,
    });
    expect(cluster.config?.versionId).toBe("2.1");
    expect(cluster.config?.hadoop?.services).toEqual([1, 2, 10]);
    expect(cluster.config?.hadoop?.properties).toEqual({ "yarn:yarn.nodemanager.resource.memory-mb": "8192" });

    const listed = await call<ListClustersResponse>((cb) => clusters.list({ folderId, pageSize: 0, pageToken: "", filter: 'name="sdk-cluster"' }, md, cb));
    expect(listed.clusters.map((c) => c.id)).toEqual([clusterId]);
    const all = await call<ListClustersResponse>((cb) => clusters.list({ folderId, pageSize: 1, pageToken: "", filter: "" }, md, cb));
    expect(all.clusters.map((c) => c.name)).toEqual(["emulator-1"]); // the cluster given at start comes first
    const second = await call<ListClustersResponse>((cb) => clusters.list({ folderId, pageSize: 1, pageToken: all.nextPageToken, filter: "" }, md, cb));
    expect(second.clusters.map((c) => c.id)).toEqual([clusterId]);
    expect(second.nextPageToken).toBe("");

    const hosts = await call<ListClusterHostsResponse>((cb) => clusters.listHosts({ clusterId, pageSize: 0, pageToken: "", filter: "" }, md, cb));
    expect(hosts.hosts.map((x) => x.role)).toEqual([SdkRole.MASTERNODE, SdkRole.COMPUTENODE, SdkRole.COMPUTENODE]);
    const links = await call<ListUILinksResponse>((cb) => clusters.listUILinks({ clusterId }, md, cb));
    expect(links.links.map((l) => l.name)).toContain("YARN Resource Manager Web UI");

    // Stop: STOPPING, then STOPPED; either way new jobs are refused.
    const stop = await call<Operation>((cb) => clusters.stop({ clusterId, decommissionTimeout: 0 }, md, cb));
    expect((await call<SdkCluster>((cb) => clusters.get({ clusterId }, md, cb))).status).toBe(SdkStatus.STOPPING);
    h.clock.advance(timing.stopMs);
    const stopped = await call<Operation>((cb) => operations.get({ operationId: stop.id }, md, cb));
    expect(SdkCluster.decode(stopped.response!.value).status).toBe(SdkStatus.STOPPED);
    const refused = await failure(call<Operation>((cb) =>
      jobs.create({ clusterId, name: "", hiveJob: { properties: {}, continueOnFailure: false, scriptVariables: {}, jarFileUris: [], queryFileUri: "s3a://b/q.sql" } }, md, cb)));
    expect(refused.code).toBe(grpcStatus.FAILED_PRECONDITION);
    // (grpc-js leaves the %3B/%3A of Connect's grpc-message encoding undecoded.)
    expect(decodeURIComponent(refused.details)).toBe(`cluster ${clusterId} is STOPPED; jobs can only be created on a RUNNING cluster`);
    const stopAgain = await failure(call<Operation>((cb) => clusters.stop({ clusterId, decommissionTimeout: 0 }, md, cb)));
    expect(stopAgain.code).toBe(grpcStatus.FAILED_PRECONDITION);

    const start = await call<Operation>((cb) => clusters.start({ clusterId }, md, cb));
    h.clock.advance(timing.startMs - 1);
    expect((await call<Operation>((cb) => operations.get({ operationId: start.id }, md, cb))).done).toBe(false);
    h.clock.advance(1);
    expect(SdkCluster.decode((await call<Operation>((cb) => operations.get({ operationId: start.id }, md, cb))).response!.value).status).toBe(SdkStatus.RUNNING);

    const ops = await call<ListClusterOperationsResponse>((cb) => clusters.listOperations({ clusterId, pageSize: 0, pageToken: "" }, md, cb));
    expect(ops.operations.map((o) => o.description)).toEqual(["Create cluster", "Stop cluster", "Start cluster"]);
    expect(ops.operations.every((o) => o.done)).toBe(true);

    const del = await call<Operation>((cb) => clusters.delete({ clusterId, decommissionTimeout: 0 }, md, cb));
    expect((await failure(call<SdkCluster>((cb) => clusters.get({ clusterId }, md, cb)))).code).toBe(grpcStatus.NOT_FOUND);
    h.clock.advance(timing.deleteMs);
    const deleted = await call<Operation>((cb) => operations.get({ operationId: del.id }, md, cb));
    expect(deleted.response?.typeUrl).toBe("type.googleapis.com/google.protobuf.Empty");
  });

  it("Data Proc Create validates the config: declared required fields, one MASTERNODE, a free name", async () => {
    const folderId = h.emulator.folderId;
    const noZone = await failure(call<Operation>((cb) => clusters.create({ ...sdkCreateRequest(folderId, "no-zone"), zoneId: "" }, md, cb)));
    expect(noZone.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(noZone.details).toContain("zone_id");
    const noSpec = await failure(call<Operation>((cb) => clusters.create({ ...sdkCreateRequest(folderId, "no-spec"), configSpec: undefined }, md, cb)));
    expect(noSpec.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(noSpec.details).toContain("config_spec");
    const noMaster = await failure(call<Operation>((cb) => clusters.create(sdkCreateRequest(folderId, "no-master", [SdkRole.DATANODE]), md, cb)));
    expect(noMaster.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(decodeURIComponent(noMaster.details)).toBe("config_spec.subclusters_spec: exactly one subcluster must have role MASTERNODE (found 0)");
    const noResources = sdkCreateRequest(folderId, "no-resources");
    noResources.configSpec!.subclustersSpec[0]!.resources = undefined;
    const noRes = await failure(call<Operation>((cb) => clusters.create(noResources, md, cb)));
    expect(noRes.details).toContain("config_spec.subclusters_spec[0].resources");
    const taken = await failure(call<Operation>((cb) => clusters.create(sdkCreateRequest(folderId, "emulator-1"), md, cb)));
    expect(taken.code).toBe(grpcStatus.ALREADY_EXISTS);
  });

  it("Managed Spark: create → RUNNING, stop, start; its clusters are not Data Proc's", async () => {
    const folderId = h.emulator.folderId;
    const op = await call<Operation>((cb) =>
      sparkClusters.create(
        SdkSparkCreateClusterRequest.fromPartial({
          folderId,
          name: "sdk-spark",
          serviceAccountId: "ajesa0000000000000001",
          network: { subnetIds: ["e9bsubnet00000000001"] },
          config: {
            resourcePools: {
              driver: { resourcePresetId: "c2-m8", scalePolicy: { fixedScale: { size: 1 } } },
              executor: { resourcePresetId: "c4-m16", scalePolicy: { autoScale: { minSize: 1, maxSize: 4 } } },
            },
            dependencies: { pipPackages: ["pandas==2.2.0"] },
          },
        }),
        md,
        cb,
      ));
    h.clock.advance(timing.createMs);
    const created = await call<Operation>((cb) => operations.get({ operationId: op.id }, md, cb));
    const cluster = SdkSparkCluster.decode(created.response!.value);
    expect(cluster.status).toBe(SdkSparkStatus.RUNNING); // 2 here, 2 in Data Proc too
    expect(cluster.config?.resourcePools?.executor?.scalePolicy?.autoScale?.maxSize).toBe(4);
    expect(cluster.network?.subnetIds).toEqual(["e9bsubnet00000000001"]);

    await call<Operation>((cb) => sparkClusters.stop({ clusterId: cluster.id }, md, cb));
    h.clock.advance(timing.stopMs);
    expect((await call<SdkSparkCluster>((cb) => sparkClusters.get({ clusterId: cluster.id }, md, cb))).status).toBe(SdkSparkStatus.STOPPED); // 6, not Data Proc's 5
    const elsewhere = await failure(call<SdkCluster>((cb) => clusters.get({ clusterId: cluster.id }, md, cb)));
    expect(elsewhere.code).toBe(grpcStatus.NOT_FOUND);
  });
});

describe("our client (typed wait())", () => {
  let h: ClientHarness;
  beforeAll(async () => {
    h = await startClientHarness({ clusterTiming: timing });
  });
  afterAll(() => h.close());

  const request = (name: string): MessageInitShape<typeof CreateClusterRequestSchema> => ({
    folderId: h.emulator.folderId,
    name,
    zoneId: "ru-central1-a",
    serviceAccountId: "ajesa0000000000000001",
    configSpec: {
      versionId: "2.1",
      subclustersSpec: [
        { role: Role.MASTERNODE, resources: { resourcePresetId: "s2.micro", diskSize: 20n * 2n ** 30n }, subnetId: "e9bsubnet00000000001", hostsCount: 1n },
        {
          role: Role.COMPUTENODE,
          resources: { resourcePresetId: "s2.micro" },
          subnetId: "e9bsubnet00000000001",
          hostsCount: 1n,
          autoscalingConfig: { maxHostsCount: 5n, measurementDuration: { seconds: 60n }, cpuUtilizationTarget: 70 },
        },
      ],
    },
  });

  it("Data Proc: create().wait() → Cluster RUNNING, stop().wait() → STOPPED, jobs refused, start, update, delete().wait() → Empty", async () => {
    const cloud = h.cloud();
    const clusters = cloud.client(ClusterService);
    const created = await (await clusters.create(request("ours"))).wait();
    expect(created.$typeName).toBe("yandex.cloud.dataproc.v1.Cluster");
    expect(created.status).toBe(Cluster_Status.RUNNING);
    expect(created.zoneId).toBe("ru-central1-a");

    const stopped = await (await clusters.stop({ clusterId: created.id })).wait();
    expect(stopped.status).toBe(Cluster_Status.STOPPED);
    const refused = await cloud
      .client(JobService)
      .create({ clusterId: created.id, jobSpec: { case: "hiveJob", value: { queryType: { case: "queryFileUri", value: "s3a://b/q.sql" } } } })
      .then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(YandexCloudError);
    expect((refused as YandexCloudError).code).toBe(Code.FailedPrecondition);
    expect((refused as YandexCloudError).rawMessage).toContain("is STOPPED");

    const started = await (await clusters.start({ clusterId: created.id })).wait();
    expect(started.status).toBe(Cluster_Status.RUNNING);

    const updated = await (
      await clusters.update({ clusterId: created.id, updateMask: { paths: ["description", "labels"] }, description: "changed", labels: { a: "b" }, bucket: "not-in-mask" })
    ).wait();
    expect(updated).toMatchObject({ description: "changed", labels: { a: "b" }, bucket: "" });

    const gone = await (await clusters.delete({ clusterId: created.id })).wait();
    expect(gone.$typeName).toBe("google.protobuf.Empty");
    const missing = await clusters.get({ clusterId: created.id }).then(() => undefined, (e: unknown) => e);
    expect((missing as YandexCloudError).code).toBe(Code.NotFound);
  });

  it("checks the declared rules before sending: an out-of-range Duration never leaves the client", async () => {
    const clusters = h.cloud().client(ClusterService);
    const bad = request("bad-duration");
    bad.configSpec!.subclustersSpec![1]!.autoscalingConfig!.measurementDuration = { seconds: 11n * 60n };
    const mark = h.emulator.mark();
    const error = await clusters.create(bad).then(() => undefined, (e: unknown) => e);
    expect(String(error)).toContain("config_spec.subclusters_spec[1].autoscaling_config.measurement_duration");
    expect(String(error)).toContain("1m-10m");
    expect(h.emulator.callsSince(mark, "ClusterService/Create")).toEqual([]);
  });

  it("Managed Spark: create().wait() → Cluster, stop refuses its jobs, delete().wait() → Empty", async () => {
    const cloud = h.cloud();
    const clusters = cloud.client(SparkClusterService);
    const created = await (
      await clusters.create({
        folderId: h.emulator.folderId,
        name: "ours-spark",
        serviceAccountId: "ajesa0000000000000001",
        network: { subnetIds: ["e9bsubnet00000000001"] },
        config: {
          resourcePools: {
            driver: { resourcePresetId: "c2-m8", scalePolicy: { scaleType: { case: "fixedScale", value: { size: 1n } } } },
            executor: { resourcePresetId: "c2-m8", scalePolicy: { scaleType: { case: "fixedScale", value: { size: 2n } } } },
          },
        },
      })
    ).wait();
    expect(created.$typeName).toBe("yandex.cloud.spark.v1.Cluster");
    expect(created.status).toBe(SparkCluster_Status.RUNNING);
    const stopped = await (await clusters.stop({ clusterId: created.id })).wait();
    expect(stopped.status).toBe(SparkCluster_Status.STOPPED);
    const refused = await cloud
      .client(SparkJobService)
      .create({ clusterId: created.id, jobSpec: { case: "pysparkJob", value: { mainPythonFileUri: "s3a://b/main.py" } } })
      .then(() => undefined, (e: unknown) => e);
    expect((refused as YandexCloudError).code).toBe(Code.FailedPrecondition);
    expect((await (await clusters.delete({ clusterId: created.id })).wait()).$typeName).toBe("google.protobuf.Empty");
  });
});

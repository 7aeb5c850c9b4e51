// The Yandex cluster helpers against the emulator (gRPC, manual clock) and,
// for what the emulator never does (two clusters of one name, a server that
// repeats a page token), a small hostile REST server: findClusterByName on
// both services, startCluster / stopCluster waits, withEphemeralCluster on
// success, failure, abort, a failed delete and a close.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClusterService, Cluster_Status, JobService, Role } from "../../src/yandex/dataproc/v1/index.js";
import type { CreateClusterRequestSchema } from "../../src/yandex/dataproc/v1/index.js";
import { ClusterService as SparkClusterService, Cluster_Status as SparkStatus } from "../../src/yandex/spark/v1/index.js";
import { YandexCloudError, createYandexCloud, findClusterByName, iamToken, startCluster, stopCluster, withEphemeralCluster } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { startClientHarness } from "../support/client-harness.js";
import type { ClientHarness } from "../support/client-harness.js";
import { startJsonServer } from "../support/json-server.js";
import type { JsonServer } from "../support/json-server.js";

let h: ClientHarness;
let cloud: YandexCloud;
const servers: JsonServer[] = [];
beforeEach(async () => {
  h = await startClientHarness({ clusterTiming: { createMs: 5_000, startMs: 3_000, stopMs: 2_000, deleteMs: 1_000 } });
  cloud = h.cloud();
});
afterEach(async () => {
  await h.close();
  while (servers.length) await servers.pop()!.close();
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

const createRequest = (name: string): MessageInitShape<typeof CreateClusterRequestSchema> => ({
  folderId: h.emulator.folderId,
  name,
  zoneId: "ru-central1-a",
  serviceAccountId: "ajesa0000000000000001",
  configSpec: {
    versionId: "2.1",
    subclustersSpec: [
      { role: Role.MASTERNODE, resources: { resourcePresetId: "s2.micro", diskSize: 20n * 2n ** 30n }, subnetId: "e9bsubnet00000000001", hostsCount: 1n },
      { role: Role.COMPUTENODE, resources: { resourcePresetId: "s2.micro" }, subnetId: "e9bsubnet00000000001", hostsCount: 1n },
    ],
  },
});

/** A REST cloud on a hostile server that answers List with `pages[n-1]`. */
async function restCloudOn(pages: (n: number) => unknown): Promise<{ cloud: YandexCloud; server: JsonServer }> {
  const server = await startJsonServer((_req, n) => ({ body: pages(n) }));
  servers.push(server);
  const rest = createYandexCloud({ endpoint: server.url, transport: "rest", credentials: iamToken("t1.test"), retry: false, env: {} });
  return { cloud: rest, server };
}

describe("findClusterByName", () => {
  it("finds a Data Proc cluster by name with one filtered List call in the folder given", async () => {
    await (await cloud.client(ClusterService).create(createRequest("etl-nightly"))).wait();
    const before = h.emulator.calls.length;
    const found = await findClusterByName(cloud, ClusterService, "etl-nightly", { folderId: h.emulator.folderId });
    expect(found.$typeName).toBe("yandex.cloud.dataproc.v1.Cluster");
    expect(found.name).toBe("etl-nightly");
    expect(found.status).toBe(Cluster_Status.RUNNING);
    expect(h.emulator.calls.slice(before).map((e) => e.method)).toEqual(["/yandex.cloud.dataproc.v1.ClusterService/List"]);
  });

  it("takes the folder from YC_FOLDER_ID of the cloud's env, on Managed Spark too", async () => {
    const withEnv = h.cloud({ env: { YC_FOLDER_ID: h.emulator.folderId } });
    const found = await findClusterByName(withEnv, SparkClusterService, "emulator-1");
    expect(found.$typeName).toBe("yandex.cloud.spark.v1.Cluster");
    expect(found.id).toBe(h.cluster);
  });

  it("not found is NOT_FOUND naming the name and folder; no folder at all is INVALID_ARGUMENT before any call", async () => {
    const missing = await failure(findClusterByName(cloud, ClusterService, "nope", { folderId: h.emulator.folderId }));
    expect(missing).toBeInstanceOf(YandexCloudError);
    expect((missing as YandexCloudError).code).toBe(Code.NotFound);
    expect((missing as Error).message).toContain(`no Data Proc cluster named "nope" in folder ${h.emulator.folderId}`);
    const before = h.emulator.calls.length;
    const noFolder = await failure(findClusterByName(h.cloud({ env: {} }), ClusterService, "x"));
    expect((noFolder as YandexCloudError).code).toBe(Code.InvalidArgument);
    expect((noFolder as Error).message).toMatch(/folderId: none given and YC_FOLDER_ID is not set/);
    const noName = await failure(findClusterByName(cloud, ClusterService, "", { folderId: "b1g" }));
    expect((noName as Error).message).toMatch(/name: expected a non-empty string/);
    expect(h.emulator.calls.length).toBe(before);
  });

  it("two clusters of one name are FAILED_PRECONDITION naming both ids; pages are followed and the filter is sent", async () => {
    const { cloud: rest, server } = await restCloudOn((n) =>
      n === 1
        ? { clusters: [{ id: "c9qone", name: "dup", folderId: "b1g" }], nextPageToken: "p2" }
        : { clusters: [{ id: "c9qtwo", name: "dup", folderId: "b1g" }, { id: "c9qother", name: "dupe", folderId: "b1g" }] },
    );
    const error = await failure(findClusterByName(rest, ClusterService, "dup", { folderId: "b1g" }));
    rest.close();
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.FailedPrecondition);
    expect((error as Error).message).toContain('2 Data Proc clusters are named "dup" in folder b1g (ids c9qone, c9qtwo)');
    expect(server.requests.map((r) => [r.url.pathname, r.url.searchParams.get("filter"), r.url.searchParams.get("pageToken") ?? ""])).toEqual([
      ["/dataproc/v1/clusters", 'name = "dup"', ""],
      ["/dataproc/v1/clusters", 'name = "dup"', "p2"],
    ]);
  });

  it("a server that repeats a page token ends with INTERNAL from the paging guard, not a loop", async () => {
    const { cloud: rest, server } = await restCloudOn(() => ({ clusters: [], nextPageToken: "same" }));
    const error = await failure(findClusterByName(rest, ClusterService, "x", { folderId: "b1g" }));
    rest.close();
    expect((error as YandexCloudError).code).toBe(Code.Internal);
    expect((error as Error).message).toMatch(/returned the page token "same" again/);
    expect(server.requests.length).toBe(2);
  });
});

describe("startCluster / stopCluster", () => {
  it("stop waits until STOPPED and start until RUNNING, on the manual clock, for Data Proc and Managed Spark", async () => {
    const t0 = h.clock.now();
    const stopped = await stopCluster(cloud, ClusterService, { clusterId: h.cluster });
    expect(stopped.status).toBe(Cluster_Status.STOPPED);
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(2_000);
    const refused = await failure(cloud.client(JobService).create({ clusterId: h.cluster, jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/a.jar" } } }));
    expect((refused as YandexCloudError).code).toBe(Code.FailedPrecondition);
    const t1 = h.clock.now();
    const running = await startCluster(cloud, ClusterService, { clusterId: h.cluster });
    expect(running.status).toBe(Cluster_Status.RUNNING);
    expect(h.clock.now() - t1).toBeGreaterThanOrEqual(3_000);
    const sparkStopped = await stopCluster(cloud, SparkClusterService, { clusterId: h.cluster });
    expect(sparkStopped.status).toBe(SparkStatus.STOPPED);
    expect((await startCluster(cloud, SparkClusterService, { clusterId: h.cluster })).status).toBe(SparkStatus.RUNNING);
  });

  it("starting a running cluster is the service's FAILED_PRECONDITION; a bad id is INVALID_ARGUMENT before any call", async () => {
    const error = await failure(startCluster(cloud, ClusterService, { clusterId: h.cluster }));
    expect((error as YandexCloudError).code).toBe(Code.FailedPrecondition);
    const bad = await failure(stopCluster(cloud, ClusterService, { clusterId: "" }));
    expect((bad as YandexCloudError).code).toBe(Code.InvalidArgument);
    expect((bad as Error).message).toMatch(/clusterId: expected a non-empty string/);
  });
});

describe("withEphemeralCluster", () => {
  const alive = (id: string) => cloud.client(ClusterService).get({ clusterId: id }).then(() => true, (e: unknown) => ((e as YandexCloudError).code === Code.NotFound ? false : Promise.reject(e)));

  it("creates, runs the callback on the RUNNING cluster, deletes it and resolves with the callback's value", async () => {
    let seen = "";
    const value = await withEphemeralCluster(cloud, createRequest("eph-ok"), async (cluster) => {
      seen = cluster.id;
      expect(cluster.status).toBe(Cluster_Status.RUNNING);
      expect(await alive(cluster.id)).toBe(true);
      return 42;
    });
    expect(value).toBe(42);
    expect(await alive(seen)).toBe(false);
    expect(h.emulator.calls.filter((e) => e.method.endsWith("ClusterService/Delete")).length).toBe(1);
  });

  it("a failing callback: the cluster is deleted and the callback's own error is the rejection", async () => {
    let id = "";
    const boom = new Error("job failed");
    const error = await failure(
      withEphemeralCluster(cloud, createRequest("eph-fail"), async (cluster) => {
        id = cluster.id;
        throw boom;
      }),
    );
    expect(error).toBe(boom);
    expect(await alive(id)).toBe(false);
  });

  it("abort: the helper stops waiting for a callback that hangs, deletes the cluster and rejects CANCELED", async () => {
    const controller = new AbortController();
    let id = "";
    let callbackSignal: AbortSignal | undefined;
    const error = await failure(
      withEphemeralCluster(
        cloud,
        createRequest("eph-abort"),
        (cluster, signal) => {
          id = cluster.id;
          callbackSignal = signal;
          controller.abort(new Error("interrupted"));
          return new Promise<never>(() => {}); // never settles
        },
        { signal: controller.signal },
      ),
    );
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.Canceled);
    expect((error as Error).message).toContain(`cluster ${id}`);
    expect(callbackSignal?.aborted).toBe(true);
    expect(await alive(id)).toBe(false);
  });

  it("a failed delete after a successful callback rejects with the delete's error as cause, naming the cluster", async () => {
    h.emulator.faults.failNext(1, "PERMISSION_DENIED", { methods: ["ClusterService/Delete"] });
    let id = "";
    const error = await failure(withEphemeralCluster(cloud, createRequest("eph-del"), async (cluster) => void (id = cluster.id)));
    expect(error).toBeInstanceOf(YandexCloudError);
    expect((error as YandexCloudError).code).toBe(Code.PermissionDenied);
    expect((error as Error).message).toContain(`the callback succeeded but cluster ${id} was not deleted`);
    expect(((error as Error).cause as YandexCloudError).code).toBe(Code.PermissionDenied);
    expect(await alive(id)).toBe(true);
  });

  it("a failed delete after a failed callback rejects with an AggregateError of both", async () => {
    h.emulator.faults.failNext(1, "PERMISSION_DENIED", { methods: ["ClusterService/Delete"] });
    const boom = new Error("job failed");
    const error = await failure(
      withEphemeralCluster(cloud, createRequest("eph-both"), async () => {
        throw boom;
      }),
    );
    expect(error).toBeInstanceOf(AggregateError);
    const errors = (error as AggregateError).errors;
    expect(errors[0]).toBe(boom);
    expect((errors[1] as YandexCloudError).code).toBe(Code.PermissionDenied);
    expect((error as Error).message).toMatch(/the callback failed and cluster \S+ was not deleted/);
  });

  it("close() cannot wait (it is synchronous): closed in the callback, the delete cannot be sent and the rejection says the cluster is left", async () => {
    let id = "";
    const error = await failure(
      withEphemeralCluster(cloud, createRequest("eph-close"), async (cluster) => {
        id = cluster.id;
        cloud.close();
        return 1;
      }),
    );
    expect((error as YandexCloudError).code).toBe(Code.Canceled);
    expect((error as Error).message).toContain(`cluster ${id} was not deleted`);
    expect((error as Error).message).toMatch(/client closed/);
    const other = h.cloud();
    expect(await other.client(ClusterService).get({ clusterId: id }).then((c) => c.name)).toBe("eph-close");
  });

  it("closed while the Delete is in flight: the server still deletes; the rejection names the operation as not confirmed", async () => {
    let hold: ReturnType<typeof h.emulator.faults.hold> | undefined;
    let id = "";
    const pending = withEphemeralCluster(cloud, createRequest("eph-inflight"), async (cluster) => {
      id = cluster.id;
      // From here on, the only operation polled is the delete's.
      hold = h.emulator.faults.hold({ methods: ["OperationService/Get"] });
      return 1;
    });
    await h.emulator.waitForCalls("ClusterService/Delete", 1);
    await hold!.arrived;
    cloud.close();
    hold!.release();
    const error = await failure(pending);
    expect((error as Error).message).toMatch(new RegExp(`the deletion of cluster ${id} \\(operation \\S+\\) was requested but not confirmed`));
    h.clock.advance(1_000);
    const other = h.cloud();
    const gone = await failure(other.client(ClusterService).get({ clusterId: id }));
    expect((gone as YandexCloudError).code).toBe(Code.NotFound);
  });
});

// findMrsClusterByName: on the emulator's MRS face (one signed ListClusters
// with the name filter) and, for what the emulator never does (two clusters
// of one name, several pages, a server handing out the same page again), on
// a small hostile REST server.
import { Code } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HuaweiCloudError, createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloud } from "../../src/huawei/index.js";
import { findMrsClusterByName } from "../../src/huawei/mrs/v1/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/server.js";
import { huaweiCloudOn } from "../support/emulator-helpers.js";
import { startJsonServer } from "../support/json-server.js";
import type { JsonServer, SeenRequest } from "../support/json-server.js";

let emulator: Emulator<ManualClock>;
const servers: JsonServer[] = [];
beforeEach(async () => {
  emulator = await startEmulator({ clock: new ManualClock(), clusters: ["c9qcluster0000000001", "c9qcluster0000000002", "c9qcluster0000000003"] });
});
afterEach(async () => {
  await emulator.close();
  while (servers.length) await servers.pop()!.close();
});

async function failure(p: Promise<unknown>): Promise<HuaweiCloudError> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(HuaweiCloudError);
      return e as HuaweiCloudError;
    },
  );
}

async function hostile(answer: (req: SeenRequest, n: number) => unknown): Promise<{ cloud: HuaweiCloud; server: JsonServer }> {
  const server = await startJsonServer((req, n) => ({ body: answer(req, n) }));
  servers.push(server);
  const cloud = createHuaweiCloud({ region: "eu-de", projectId: "0123456789abcdef0123456789abcdef", endpoint: server.url, credentials: huaweiCredentials({ accessKey: "AKTEST0000000000", secretKey: "sk-test" }), retry: false });
  return { cloud, server };
}

const cluster = (id: string, name: string) => ({ clusterId: id, clusterName: name, clusterState: "running" });

describe("findMrsClusterByName", () => {
  it("finds a cluster on the emulator with one ListClusters call filtered by name (existing clusters only)", async () => {
    const cloud = huaweiCloudOn(emulator);
    const before = emulator.callsTo("ListClusters").length;
    const found = await findMrsClusterByName(cloud, "mrs-emulator-2");
    expect(found.clusterId).toBe(emulator.clusters[1]);
    expect(found.clusterName).toBe("mrs-emulator-2");
    expect(emulator.callsTo("ListClusters").length - before).toBe(1);
    cloud.close();
  });

  it("not found is NOT_FOUND naming the name and project; an empty name is INVALID_ARGUMENT before any call", async () => {
    const cloud = huaweiCloudOn(emulator);
    const missing = await failure(findMrsClusterByName(cloud, "nope"));
    expect(missing.code).toBe(Code.NotFound);
    expect(missing.message).toContain(`no MRS cluster named "nope" in project ${emulator.huawei.projectId}`);
    const before = emulator.calls.length;
    expect((await failure(findMrsClusterByName(cloud, ""))).code).toBe(Code.InvalidArgument);
    expect((await failure(findMrsClusterByName(cloud, "x", { pageSize: 0 }))).message).toMatch(/pageSize: expected an integer/);
    expect(emulator.calls.length).toBe(before);
    cloud.close();
  });

  it("two clusters of one name over two pages are FAILED_PRECONDITION naming both; names are compared exactly", async () => {
    const { cloud, server } = await hostile((req) =>
      req.url.searchParams.get("currentPage") === "1"
        ? { clusterTotal: 3, clusters: [cluster("id-a", "twin"), cluster("id-b", "twin-2")] }
        : { clusterTotal: 3, clusters: [cluster("id-c", "twin")] },
    );
    const error = await failure(findMrsClusterByName(cloud, "twin", { pageSize: 2 }));
    cloud.close();
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message).toContain('2 MRS clusters are named "twin" in project 0123456789abcdef0123456789abcdef (ids id-a, id-c)');
    expect(server.requests.map((r) => Object.fromEntries(r.url.searchParams))).toEqual([
      { clusterName: "twin", clusterState: "existing", pageSize: "2", currentPage: "1" },
      { clusterName: "twin", clusterState: "existing", pageSize: "2", currentPage: "2" },
    ]);
  });

  it("a server that hands the same page out again ends with INTERNAL from the paging guard, not a loop", async () => {
    const { cloud, server } = await hostile(() => ({ clusterTotal: 99, clusters: [cluster("id-a", "x"), cluster("id-b", "y")] }));
    const error = await failure(findMrsClusterByName(cloud, "z", { pageSize: 2 }));
    cloud.close();
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toMatch(/returned the page of clusters "id-a,id-b" again/);
    expect(server.requests.length).toBe(2);
  });
});

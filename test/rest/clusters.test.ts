// Data Proc ClusterService over REST: the google.api.http rules of the public
// API transcoded from the real descriptors (Update's FieldMask in the body as
// the comma-joined camelCase string, Durations as "60s", int64 as strings),
// and the same requests on the wire against the emulator's REST face, read
// back by it to the same values the official SDK reads from the gRPC bytes.
import { create, fromJson, toBinary } from "@bufbuild/protobuf";
import type { DescMethod, MessageInitShape } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";
import { UpdateClusterRequest as SdkUpdateClusterRequest } from "@yandex-cloud/nodejs-sdk/dataproc-v1/cluster_service";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClusterService, Cluster_Status, Role, UpdateClusterRequestSchema } from "../../src/yandex/dataproc/v1/index.js";
import { createApiRegistry, createYandexCloud, iamToken } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { createJsonCodec } from "../../src/rest/json-codec.js";
import { transcode } from "../../src/rest/transcode.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

const codec = createJsonCodec(ClusterService, { registry: createApiRegistry() });
const method = (name: string): DescMethod => ClusterService.methods.find((m) => m.name === name)!;
const run = (name: string, init: Record<string, unknown>) => {
  const m = method(name);
  return transcode(m, create(m.input, init as never), codec);
};
const CLUSTER = "c9qcluster0000000001";

/** An Update touching every well-known type the request reaches: FieldMask, Duration, int64, double, map, enum-free nesting. */
const update: MessageInitShape<typeof UpdateClusterRequestSchema> = {
  clusterId: CLUSTER,
  updateMask: { paths: ["description", "labels", "config_spec.subclusters_spec", "decommission_timeout"] },
  description: "resized",
  labels: { env: "prod", "team-a": "x y" },
  decommissionTimeout: 120n,
  configSpec: {
    subclustersSpec: [
      {
        id: "c9qsub00000000000001",
        hostsCount: 3n,
        autoscalingConfig: {
          maxHostsCount: 5n,
          preemptible: true,
          measurementDuration: { seconds: 60n },
          warmupDuration: { seconds: 0n, nanos: 500_000_000 },
          stabilizationDuration: { seconds: 120n },
          cpuUtilizationTarget: 70.5,
          decommissionTimeout: 30n,
        },
      },
    ],
  },
};

describe("ClusterService's http rules, transcoded from the real descriptors", () => {
  it("Update: PATCH /dataproc/v1/clusters/{cluster_id}, body * with the FieldMask as one camelCase string and Durations as seconds", () => {
    const r = run("Update", update as Record<string, unknown>);
    expect(r).toMatchObject({ verb: "PATCH", path: `/dataproc/v1/clusters/${CLUSTER}`, query: "" });
    expect(JSON.parse(r.body!)).toEqual({
      updateMask: "description,labels,configSpec.subclustersSpec,decommissionTimeout",
      description: "resized",
      labels: { env: "prod", "team-a": "x y" },
      configSpec: {
        subclustersSpec: [
          {
            id: "c9qsub00000000000001",
            hostsCount: "3",
            autoscalingConfig: {
              maxHostsCount: "5",
              preemptible: true,
              measurementDuration: "60s",
              warmupDuration: "0.500s",
              stabilizationDuration: "120s",
              cpuUtilizationTarget: 70.5,
              decommissionTimeout: "30",
            },
          },
        ],
      },
      decommissionTimeout: "120",
    });
  });

  it("the Update body reads back (protobuf JSON) to the message whose bytes the official SDK decodes to the same values", () => {
    const body = JSON.parse(run("Update", update as Record<string, unknown>).body!) as JsonObject;
    const back = fromJson(UpdateClusterRequestSchema, { ...body, clusterId: CLUSTER });
    const sdk = SdkUpdateClusterRequest.decode(toBinary(UpdateClusterRequestSchema, back));
    expect(sdk.updateMask?.paths).toEqual(["description", "labels", "config_spec.subclusters_spec", "decommission_timeout"]);
    expect(sdk.decommissionTimeout).toBe(120);
    const autoscaling = sdk.configSpec?.subclustersSpec[0]?.autoscalingConfig;
    expect(autoscaling?.measurementDuration).toEqual({ seconds: 60, nanos: 0 });
    expect(autoscaling?.warmupDuration).toEqual({ seconds: 0, nanos: 500_000_000 });
    expect(autoscaling?.cpuUtilizationTarget).toBe(70.5);
    expect(sdk.labels).toEqual({ env: "prod", "team-a": "x y" });
  });

  it("Start has no body; Stop's body * carries decommissionTimeout; Delete puts it in the query", () => {
    expect(run("Start", { clusterId: CLUSTER })).toMatchObject({ verb: "POST", path: `/dataproc/v1/clusters/${CLUSTER}:start`, query: "", body: undefined });
    expect(run("Stop", { clusterId: CLUSTER, decommissionTimeout: 30n })).toMatchObject({
      verb: "POST", path: `/dataproc/v1/clusters/${CLUSTER}:stop`, query: "", body: '{"decommissionTimeout":"30"}',
    });
    expect(run("Delete", { clusterId: CLUSTER, decommissionTimeout: 30n })).toMatchObject({
      verb: "DELETE", path: `/dataproc/v1/clusters/${CLUSTER}`, query: "decommissionTimeout=30", body: undefined,
    });
  });

  it("Get, List, ListOperations, ListHosts, ListUILinks: GET with the rest in the query", () => {
    expect(run("Get", { clusterId: CLUSTER })).toMatchObject({ verb: "GET", path: `/dataproc/v1/clusters/${CLUSTER}`, query: "" });
    expect(run("List", { folderId: "b1gfolder", pageSize: 10n, filter: 'name="x"' })).toMatchObject({
      verb: "GET", path: "/dataproc/v1/clusters", query: "folderId=b1gfolder&pageSize=10&filter=name%3D%22x%22",
    });
    expect(run("ListOperations", { clusterId: CLUSTER, pageToken: "t" }).path).toBe(`/dataproc/v1/clusters/${CLUSTER}/operations`);
    expect(run("ListHosts", { clusterId: CLUSTER }).path).toBe(`/dataproc/v1/clusters/${CLUSTER}/hosts`);
    expect(run("ListUILinks", { clusterId: CLUSTER }).path).toBe(`/dataproc/v1/clusters/${CLUSTER}/ui_links`);
  });

  it("Create: POST /dataproc/v1/clusters with the whole request as the body, enums by name", () => {
    const r = run("Create", {
      folderId: "b1gfolder", name: "c", zoneId: "ru-central1-a", serviceAccountId: "sa",
      configSpec: { subclustersSpec: [{ role: Role.MASTERNODE, subnetId: "s", hostsCount: 1n, resources: { diskSize: 21474836480n } }] },
    });
    expect(r).toMatchObject({ verb: "POST", path: "/dataproc/v1/clusters", query: "" });
    expect(JSON.parse(r.body!)).toMatchObject({
      folderId: "b1gfolder",
      configSpec: { subclustersSpec: [{ role: "MASTERNODE", hostsCount: "1", resources: { diskSize: "21474836480" } }] },
    });
  });
});

describe("on the wire, against the emulator's REST face", () => {
  interface Sent {
    method: string;
    path: string;
    query: string;
    json: unknown;
  }
  let emulator: Emulator<ManualClock>;
  let cloud: YandexCloud;
  let sent: Sent[];
  const capture: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = init?.body === undefined ? undefined : new TextDecoder().decode(init.body as Uint8Array);
    sent.push({ method: init?.method ?? "GET", path: url.pathname, query: url.search, json: body === undefined ? undefined : JSON.parse(body) });
    return fetch(input, init);
  };
  beforeEach(async () => {
    sent = [];
    const clock = new ManualClock();
    emulator = await startEmulator({ clock, clusterTiming: { createMs: 4_000 } });
    cloud = createYandexCloud({ transport: "rest", endpoint: emulator.restUrl, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep, fetch: capture });
  });
  afterEach(async () => {
    cloud.close();
    await emulator.close();
  });

  it("create → wait (Operation polled over REST) → update with a FieldMask: only the masked fields change", async () => {
    const clusters = cloud.client(ClusterService);
    const created = await (
      await clusters.create({
        folderId: emulator.folderId, name: "rest-cluster", description: "before", bucket: "b1", zoneId: "ru-central1-a", serviceAccountId: "ajesa",
        configSpec: { subclustersSpec: [{ role: Role.MASTERNODE, subnetId: "e9bsubnet", hostsCount: 1n, resources: { resourcePresetId: "s2.micro" } }] },
      })
    ).wait();
    expect(created.status).toBe(Cluster_Status.RUNNING);
    expect(sent[0]).toMatchObject({ method: "POST", path: "/dataproc/v1/clusters", query: "" });

    const op = await clusters.update({
      clusterId: created.id, updateMask: { paths: ["description", "labels"] }, description: "after", labels: { k: "v" }, bucket: "not-applied",
    });
    const patch = sent.find((s) => s.method === "PATCH")!;
    expect(patch).toMatchObject({ path: `/dataproc/v1/clusters/${created.id}`, query: "" });
    expect(patch.json).toEqual({ updateMask: "description,labels", description: "after", labels: { k: "v" }, bucket: "not-applied" });
    const updated = await op.wait();
    expect(updated).toMatchObject({ description: "after", labels: { k: "v" }, bucket: "b1" });
    expect((await clusters.get({ clusterId: created.id })).description).toBe("after");

    const bad = await clusters.update({ clusterId: created.id, updateMask: { paths: ["no_such_field"] } }).then(() => undefined, (e: unknown) => e);
    expect(String(bad)).toMatch(/update_mask: "no_such_field" is not a field of UpdateClusterRequest/);
  });

  it("stop and start over REST: Stop with its body, Start without one, and the cluster's status follows the clock", async () => {
    const clusters = cloud.client(ClusterService);
    const clusterId = emulator.clusters[0]!;
    expect((await (await clusters.stop({ clusterId, decommissionTimeout: 10n })).wait()).status).toBe(Cluster_Status.STOPPED);
    expect(sent.find((s) => s.path.endsWith(":stop"))).toMatchObject({ method: "POST", json: { decommissionTimeout: "10" } });
    expect((await (await clusters.start({ clusterId })).wait()).status).toBe(Cluster_Status.RUNNING);
    expect(sent.find((s) => s.path.endsWith(":start"))).toMatchObject({ method: "POST", json: undefined });
  });
});

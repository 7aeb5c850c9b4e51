// MRS v1.1 clusters (ListClusters, ShowClusterDetails) on the wire: the
// requests createHuaweiCloud sends, checked by a real HTTP server on
// 127.0.0.1 that verifies each signature and whose Authorization is
// recomputed by the official signer (@huaweicloud/huaweicloud-sdk-core,
// dev dependency) from the request as received, and the API reference's
// example response (test/fixtures/huawei/mrs-cluster-examples.json) read back.
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toJson } from "@bufbuild/protobuf";
import { createHuaweiCloud, huaweiCredentials } from "../../src/huawei/index.js";
import type { HuaweiCloud } from "../../src/huawei/index.js";
import { ClusterService, ListClustersResponseSchema } from "../../src/huawei/mrs/v1/index.js";
import { verifySdkHmacSha256 } from "../../src/testing/huawei/verify-signature.js";

const examples = JSON.parse(readFileSync(new URL("../fixtures/huawei/mrs-cluster-examples.json", import.meta.url), "utf8")) as {
  listClustersResponse: { clusterTotal: number; clusters: Record<string, unknown>[] };
};
const require = createRequire(import.meta.url);
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: { sign(request: object, credential: { getAk(): string; getSk(): string }): Record<string, string> };
};

const AK = "WIRETESTACCESSKEY002";
const SK = "wire-test-secret-key-1111111111111111111";
const PROJECT = "37caa80116e1403ab603e5eeb48a2f74";
const CLUSTER = "bc134369-294c-42b7-a707-b2036ba38524";
const now = Date.UTC(2026, 11, 1, 12, 0, 0);

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[];
let reply: { status: number; body: string };
let signatureProblems: string[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        const headers = new Headers();
        const plain: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === "string") {
            headers.set(k, v);
            plain[k] = v;
          }
        }
        const body = new Uint8Array(Buffer.concat(chunks));
        const check = await verifySdkHmacSha256({ method: req.method ?? "GET", url, headers, body }, { keys: new Map([[AK, SK]]), clock: { now: () => now } });
        if (!check.ok) signatureProblems.push(check.message);
        seen.push({ method: req.method ?? "", url, headers: plain, body: Buffer.from(body).toString("utf8") });
        res.writeHead(reply.status, { "content-type": "application/json" });
        res.end(reply.body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let cloud: HuaweiCloud;
beforeEach(() => {
  seen = [];
  signatureProblems = [];
  reply = { status: 200, body: "{}" };
  cloud = createHuaweiCloud({
    region: "eu-de",
    projectId: PROJECT,
    endpoint: base,
    credentials: huaweiCredentials({ accessKey: AK, secretKey: SK }),
    clock: { now: () => now },
    retry: false,
  });
});

/**
 * The official signer's Authorization for the request as the server received
 * it, handed the headers our request signed (it signs every header it is
 * given, plus host).
 */
function officialAuthorization(request: Seen): string {
  const headers: Record<string, string> = {};
  for (const k of signedHeaders(request)) {
    if (k === "host") continue;
    // The oracle looks the date up under this exact spelling.
    headers[k === "x-sdk-date" ? "X-Sdk-Date" : k] = request.headers[k]!;
  }
  const queryParams: Record<string, string | string[]> = {};
  for (const [k, v] of request.url.searchParams) queryParams[k] = k in queryParams ? ([] as string[]).concat(queryParams[k]!, v) : v;
  const signed = AKSKSigner.sign(
    { endpoint: `${request.url.origin}${request.url.pathname}`, method: request.method, headers, queryParams, data: request.body === "" ? undefined : JSON.parse(request.body) },
    { getAk: () => AK, getSk: () => SK },
  );
  return signed.Authorization!;
}

/** Which headers our request signed: the official signer must be handed exactly those. */
function signedHeaders(request: Seen): string[] {
  return /SignedHeaders=([^,]+)/.exec(request.headers.authorization ?? "")![1]!.split(";");
}

describe("ListClusters (GET /v1.1/{project_id}/cluster_infos)", () => {
  it("sends its filters as the SDK's lowerCamel query names, project id filled in, no body, signed as the official signer signs", async () => {
    reply = { status: 200, body: JSON.stringify(examples.listClustersResponse) };
    await cloud.client(ClusterService).listClusters({
      pageSize: 10,
      currentPage: 2,
      clusterName: "mrs D0zW",
      clusterState: "existing",
      tags: "k1*v1,k2",
      enterpriseProjectId: "0",
    });
    expect(seen).toHaveLength(1);
    const r = seen[0]!;
    expect(r.method).toBe("GET");
    expect(r.url.pathname).toBe(`/v1.1/${PROJECT}/cluster_infos`);
    expect(Object.fromEntries(r.url.searchParams)).toEqual({
      pageSize: "10",
      currentPage: "2",
      clusterName: "mrs D0zW",
      clusterState: "existing",
      tags: "k1*v1,k2",
      enterpriseProjectId: "0",
    });
    expect(r.body).toBe("");
    expect(r.headers["x-project-id"]).toBe(PROJECT);
    expect(signatureProblems).toEqual([]);
    expect(signedHeaders(r)).toEqual(expect.arrayContaining(["host", "x-project-id", "x-sdk-date"]));
    expect(r.headers.authorization).toBe(officialAuthorization(r));
  });

  it("with no filters sends no query at all", async () => {
    reply = { status: 200, body: JSON.stringify({ clusterTotal: 0, clusters: [] }) };
    const res = await cloud.client(ClusterService).listClusters({});
    expect(seen[0]!.url.search).toBe("");
    expect(res.clusterTotal).toBe(0);
    expect(res.clusters).toEqual([]);
  });

  it("reads the documented example field for field: nulls unset, empty strings and zeros kept, node groups and components", async () => {
    reply = { status: 200, body: JSON.stringify(examples.listClustersResponse) };
    const res = await cloud.client(ClusterService).listClusters({});
    expect(res.clusterTotal).toBe(1);
    const c = res.clusters[0]!;
    expect(c).toMatchObject({
      clusterId: CLUSTER,
      clusterName: "mrs_D0zW",
      masterNodeNum: "2",
      coreNodeNum: "3",
      clusterState: "terminated",
      createAt: "1498272043",
      updateAt: "1498636753",
      chargingStartTime: "1498273733",
      logCollection: 1,
      billingType: "Metered",
      dataCenter: "eu-de",
      remark: "",
      volumeSize: 0,
      mrsManagerFinish: false,
      stageDesc: "Installing MRS Manager",
      safeMode: 0,
      masterNodeIp: "unknown",
      clusterType: 0,
      masterDataVolumeSize: 200,
      coreDataVolumeCount: 1,
    });
    for (const field of ["vpc", "fee", "hadoopVersion", "externalIp", "tenantId", "clusterVersion", "isMrsManagerFinish"] as const) {
      expect(c[field], field).toBeUndefined();
    }
    expect(c.componentList.map((x) => x.componentName)).toEqual(["Hadoop", "Spark"]);
    expect(c.nodeGroups.map((g) => g.groupName)).toEqual(["master_node_default_group", "core_node_analysis_group"]);
    expect(c.nodeGroups[0]).toMatchObject({ nodeNum: 1, rootVolumeSize: 40, dataVolumeSize: 100, vmProductId: "" });
    expect(c.nodeGroups[0]!.vmSpecCode).toBeUndefined();
    expect(c.taskNodeGroups[0]!.groupName).toBe("task_node_default_group");
    // Written back, it is the documented object without its nulls: nothing lost, nothing invented.
    const back = toJson(ListClustersResponseSchema, res) as { clusters: Record<string, unknown>[] };
    const withoutNulls = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(withoutNulls) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)])) : v;
    expect(back.clusters[0]).toEqual(withoutNulls(examples.listClustersResponse.clusters[0]));
  });

  it("reads counts sent as numeric strings and bootstrap scripts with their snake_case keys; ignores unknown fields", async () => {
    reply = {
      status: 200,
      body: JSON.stringify({
        clusterTotal: "3",
        clusters: [{ clusterId: "c", isMrsManagerFinish: true, bootstrapScripts: [{ name: "s", uri: "obs://b/s.sh", nodes: ["master"], active_master: true, fail_action: "continue", before_component_start: false, start_time: 1700000000, state: "SUCCESS", action_stages: ["AFTER_SCALE_OUT"] }], brandNew: { x: 1 } }],
      }),
    };
    const res = await cloud.client(ClusterService).listClusters({});
    expect(res.clusterTotal).toBe(3);
    expect(res.clusters[0]!.isMrsManagerFinish).toBe(true);
    expect(res.clusters[0]!.bootstrapScripts[0]).toMatchObject({ name: "s", activeMaster: true, failAction: "continue", beforeComponentStart: false, startTime: 1700000000n, state: "SUCCESS", actionStages: ["AFTER_SCALE_OUT"] });
  });

  it("a page size out of range fails before the network, naming the field and the rule", async () => {
    const error = await cloud.client(ClusterService).listClusters({ pageSize: 0 }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/page_?size|pageSize/i);
    expect(seen).toHaveLength(0);
  });
});

describe("ShowClusterDetails (GET /v1.1/{project_id}/cluster_infos/{cluster_id})", () => {
  it("sends the cluster id in the path, no query, no body, signed as the official signer signs; reads the {cluster} envelope", async () => {
    reply = { status: 200, body: JSON.stringify({ cluster: examples.listClustersResponse.clusters[0] }) };
    const { cluster } = await cloud.client(ClusterService).showClusterDetails({ clusterId: CLUSTER });
    const r = seen[0]!;
    expect(r.method).toBe("GET");
    expect(r.url.pathname).toBe(`/v1.1/${PROJECT}/cluster_infos/${CLUSTER}`);
    expect(r.url.search).toBe("");
    expect(r.body).toBe("");
    expect(signatureProblems).toEqual([]);
    expect(r.headers.authorization).toBe(officialAuthorization(r));
    expect(cluster).toMatchObject({ clusterId: CLUSTER, clusterName: "mrs_D0zW", clusterState: "terminated" });
  });

  it("an explicit project id wins over the client's; an empty cluster id fails before the network", async () => {
    reply = { status: 200, body: JSON.stringify({ cluster: { clusterId: CLUSTER } }) };
    await cloud.client(ClusterService).showClusterDetails({ projectId: "otherproject0001", clusterId: CLUSTER });
    expect(seen[0]!.url.pathname).toBe(`/v1.1/otherproject0001/cluster_infos/${CLUSTER}`);
    const error = await cloud.client(ClusterService).showClusterDetails({ clusterId: "" }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/cluster_?id|clusterId/i);
    expect(seen).toHaveLength(1);
  });
});

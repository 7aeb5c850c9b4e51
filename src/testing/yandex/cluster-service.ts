import { create } from "@bufbuild/protobuf";
import type { DescField, DescMessage, DescMethodUnary, DescService, Message, MessageInitShape, Registry } from "@bufbuild/protobuf";
import { anyPack, timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import { operationSchemas } from "../../yandex/operation/types.js";
import { ClusterRecord } from "../clusters.js";
import type { ClusterStatusName, ClusterStore } from "../clusters.js";
import { rpcError } from "../errors.js";
import { resourceId } from "../ids.js";
import { unary } from "../pipeline.js";
import type { CallContext, PipelineDeps } from "../pipeline.js";
import { respondWithOperation } from "./operation-service.js";
import type { OperationEnv } from "./operation-service.js";
import type { OperationRecord } from "./operations.js";

/** What a cluster service needs beyond the call pipeline. */
export interface ClusterServiceEnv extends OperationEnv {
  /** Shared with the job services: a cluster stopped here refuses their jobs. */
  readonly clusters: ClusterStore<Message>;
  /** Resolves the `yandex.cloud.api.operation` type names. */
  readonly registry: Registry;
}

/*
 * Data Proc's and Managed Spark's ClusterService have the same methods with
 * different messages; one implementation serves both, reading requests
 * through these structural views and building responses from the service's
 * own descriptors (as job-service.ts does for the job services).
 */
interface ClusterScoped {
  readonly clusterId: string;
}
interface PageView {
  readonly pageSize: bigint;
  readonly pageToken: string;
}
interface ListClustersView extends PageView {
  readonly folderId: string;
  readonly filter: string;
}
interface CreateClusterView {
  readonly folderId: string;
  readonly name: string;
  readonly deletionProtection: boolean;
  /** Data Proc only. */
  readonly configSpec?: { readonly subclustersSpec: readonly SubclusterSpecView[] };
}
interface SubclusterSpecView {
  readonly name: string;
  readonly role: number;
  readonly hostsCount: bigint;
  readonly subnetId: string;
}
interface UpdateClusterView extends ClusterScoped {
  readonly updateMask?: { readonly paths: readonly string[] };
}

const defaultPageSize = 100;

/**
 * Registers `yandex.cloud.dataproc.v1.ClusterService` or
 * `yandex.cloud.spark.v1.ClusterService` over the emulator's cluster store.
 *
 * - Create checks what the options cannot (the call pipeline has already
 *   checked the declared `required`, `length`, … rules): a name free in the
 *   folder and, for Data Proc, exactly one MASTERNODE subcluster with hosts;
 *   its operation resolves to the Cluster once `createMs` has passed.
 * - Start and Stop take `startMs` / `stopMs` of the emulator clock and
 *   refuse a cluster in the wrong status with FAILED_PRECONDITION.
 * - Delete hides the cluster at once (jobs are refused) and its operation
 *   resolves to `google.protobuf.Empty` after `deleteMs`.
 * - Update applies the `update_mask` paths that name a Cluster field.
 */
export function registerClusterService(router: ConnectRouter, service: DescService, deps: PipelineDeps, env: ClusterServiceEnv): void {
  const optionalMethod = (name: string): DescMethodUnary | undefined => {
    const found = service.methods.find((m) => m.name === name);
    return found?.methodKind === "unary" ? (found as DescMethodUnary) : undefined;
  };
  const method = (name: string): DescMethodUnary => {
    const found = optionalMethod(name);
    if (found === undefined) throw new Error(`${service.typeName} has no unary method ${name}`);
    return found;
  };
  const pkg = service.file.proto.package;
  const get = method("Get");
  const clusterSchema = get.output;
  const statusField = clusterSchema.fields.find((f) => f.name === "status");
  const healthField = clusterSchema.fields.find((f) => f.name === "health");
  const operationsOf = new Map<string, OperationRecord[]>();
  const hostsOf = new Map<string, MessageInitShape<DescMessage>[]>();

  const enumNumber = (field: DescField | undefined, name: string): number =>
    field?.enum?.values.find((v) => v.name === name)?.number ?? 0;

  const render = (cluster: ClusterRecord<Message>, now: number): Message => {
    const status = cluster.statusAt(now);
    return create(clusterSchema, {
      ...(cluster.owner === pkg && cluster.details !== undefined ? cluster.details : {}),
      id: cluster.id,
      folderId: cluster.folderId,
      name: cluster.name,
      createdAt: timestampFromMs(cluster.createdAt),
      status: enumNumber(statusField, status),
      health: enumNumber(healthField, status === "RUNNING" ? "ALIVE" : "HEALTH_UNKNOWN"),
    } as MessageInitShape<DescMessage>);
  };

  /** An operation on `cluster` by `m`, done at `doneAt` with the Cluster (or Empty). */
  const operation = (m: DescMethodUnary, cluster: ClusterRecord<Message>, call: CallContext, doneAt: number, description: string): Message => {
    const schemas = operationSchemas(m, env.registry);
    if (schemas === undefined) throw new Error(`${service.typeName}.${m.name} has no (yandex.cloud.api.operation) option`);
    const { metadata, response } = schemas;
    const op: OperationRecord = {
      id: env.operations.newId(),
      description,
      createdAt: call.now,
      createdBy: call.principal.subject,
      metadata: anyPack(metadata!, create(metadata!, { clusterId: cluster.id } as MessageInitShape<DescMessage>)),
      resolve(now) {
        if (now < doneAt) return { done: false };
        const value = response.typeName === clusterSchema.typeName ? render(cluster, now) : create(response);
        return { done: true, at: doneAt, response: anyPack(response, value) };
      },
    };
    env.operations.add(op);
    const list = operationsOf.get(cluster.id) ?? [];
    list.push(op);
    operationsOf.set(cluster.id, list);
    return respondWithOperation(env, op, call);
  };

  router.rpc(get, unary(deps, get, { public: false }, (request, call) =>
    render(env.clusters.get((request as unknown as ClusterScoped).clusterId, pkg), call.now)));

  const list = method("List");
  router.rpc(list, unary(deps, list, { public: false }, (request, call) => {
    const req = request as unknown as ListClustersView;
    const name = parseNameFilter(req.filter);
    const all = env.clusters.list(req.folderId, pkg).filter((c) => name === undefined || c.name === name);
    const page = pageOf(all, req, `clusters:${req.folderId}`);
    return { clusters: page.items.map((c) => render(c, call.now)), nextPageToken: page.next };
  }));

  const createMethod = method("Create");
  router.rpc(createMethod, unary(deps, createMethod, { public: false }, (request, call) => {
    const req = request as unknown as CreateClusterView;
    if (req.configSpec !== undefined) checkSubclusters(req.configSpec.subclustersSpec);
    if (env.clusters.nameTaken(req.folderId, req.name)) {
      throw rpcError(Code.AlreadyExists, `cluster with name ${JSON.stringify(req.name)} already exists in folder ${req.folderId}`);
    }
    const id = resourceId("c9q");
    const details = create(clusterSchema, clusterFields(createMethod.input, request, clusterSchema) as MessageInitShape<DescMessage>);
    const cluster = new ClusterRecord<Message>({
      id, folderId: req.folderId, name: req.name, createdAt: call.now, owner: pkg, details, createMs: env.clusters.timing.createMs,
    });
    env.clusters.add(cluster);
    if (req.configSpec !== undefined) hostsOf.set(id, hostsFor(id, req.configSpec.subclustersSpec));
    return operation(createMethod, cluster, call, cluster.settlesAt, "Create cluster");
  }));

  const update = method("Update");
  router.rpc(update, unary(deps, update, { public: false }, (request, call) => {
    const req = request as unknown as UpdateClusterView;
    const cluster = env.clusters.get(req.clusterId, pkg);
    const paths = req.updateMask?.paths ?? [];
    if (paths.length === 0) throw rpcError(Code.InvalidArgument, "update_mask: name at least one field to update");
    const changes = clusterFields(update.input, request, clusterSchema, paths);
    cluster.details = create(clusterSchema, { ...(cluster.details ?? render(cluster, call.now)), ...changes } as MessageInitShape<DescMessage>);
    if (typeof changes.name === "string") cluster.name = changes.name;
    return operation(update, cluster, call, call.now, "Update cluster");
  }));

  const deleteMethod = method("Delete");
  router.rpc(deleteMethod, unary(deps, deleteMethod, { public: false }, (request, call) => {
    const cluster = env.clusters.get((request as unknown as ClusterScoped).clusterId, pkg);
    if ((cluster.details as { deletionProtection?: boolean } | undefined)?.deletionProtection === true) {
      throw rpcError(Code.FailedPrecondition, `cluster ${cluster.id} has deletion protection; turn it off with Update first`);
    }
    cluster.deletedAt = call.now;
    return operation(deleteMethod, cluster, call, call.now + env.clusters.timing.deleteMs, "Delete cluster");
  }));

  const start = method("Start");
  router.rpc(start, unary(deps, start, { public: false }, (request, call) => {
    const cluster = env.clusters.get((request as unknown as ClusterScoped).clusterId, pkg);
    cluster.start(call.now, env.clusters.timing.startMs);
    return operation(start, cluster, call, cluster.settlesAt, "Start cluster");
  }));

  const stop = method("Stop");
  router.rpc(stop, unary(deps, stop, { public: false }, (request, call) => {
    const cluster = env.clusters.get((request as unknown as ClusterScoped).clusterId, pkg);
    cluster.stop(call.now, env.clusters.timing.stopMs);
    return operation(stop, cluster, call, cluster.settlesAt, "Stop cluster");
  }));

  const listOperations = method("ListOperations");
  router.rpc(listOperations, unary(deps, listOperations, { public: false }, (request, call) => {
    const req = request as unknown as ClusterScoped & PageView;
    const cluster = env.clusters.get(req.clusterId, pkg);
    const page = pageOf(operationsOf.get(cluster.id) ?? [], req, `operations:${cluster.id}`);
    return { operations: page.items.map((op) => env.operations.toMessage(op, call.now)), nextPageToken: page.next };
  }));

  // Data Proc only.
  const listHosts = optionalMethod("ListHosts");
  if (listHosts !== undefined) {
    router.rpc(listHosts, unary(deps, listHosts, { public: false }, (request, call) => {
      const req = request as unknown as ClusterScoped & PageView;
      const cluster = env.clusters.get(req.clusterId, pkg);
      const alive = cluster.statusAt(call.now) === "RUNNING";
      const hosts = (hostsOf.get(cluster.id) ?? []).map((h) => ({ ...h, health: enumNumber(listHosts.output.fields[0]?.message?.fields.find((f) => f.name === "health"), alive ? "ALIVE" : "HEALTH_UNKNOWN") }));
      const page = pageOf(hosts, req, `hosts:${cluster.id}`);
      return { hosts: page.items, nextPageToken: page.next };
    }));
  }
  const listUiLinks = optionalMethod("ListUILinks");
  if (listUiLinks !== undefined) {
    router.rpc(listUiLinks, unary(deps, listUiLinks, { public: false }, (request) => {
      const cluster = env.clusters.get((request as unknown as ClusterScoped).clusterId, pkg);
      const uiProxy = (cluster.details as { uiProxy?: boolean } | undefined)?.uiProxy === true;
      const base = `https://ui-${cluster.id}.dataproc-ui.yandexcloud.net`;
      return {
        links: uiProxy
          ? [
              { name: "YARN Resource Manager Web UI", url: `${base}:8088` },
              { name: "Spark History Server Web UI", url: `${base}:18080` },
            ]
          : [],
      };
    }));
  }
}

/**
 * Data Proc's rules beyond the declared options: at least one subcluster,
 * exactly one of them MASTERNODE (role 1), and every subcluster with hosts.
 */
function checkSubclusters(specs: readonly SubclusterSpecView[]): void {
  const masterRole = 1;
  if (specs.length === 0) throw rpcError(Code.InvalidArgument, "config_spec.subclusters_spec: at least one subcluster is required");
  const masters = specs.filter((s) => s.role === masterRole).length;
  if (masters !== 1) {
    throw rpcError(Code.InvalidArgument, `config_spec.subclusters_spec: exactly one subcluster must have role MASTERNODE (found ${masters})`);
  }
  specs.forEach((s, i) => {
    if (s.hostsCount < 1n) throw rpcError(Code.InvalidArgument, `config_spec.subclusters_spec[${i}].hosts_count: must be at least 1`);
  });
}

/** One Host per host of each subcluster, named like Data Proc's FQDNs. */
function hostsFor(clusterId: string, specs: readonly SubclusterSpecView[]): MessageInitShape<DescMessage>[] {
  const roleNames: Record<number, string> = { 1: "m", 2: "d", 3: "c" };
  return specs.flatMap((spec, i) => {
    const subclusterId = `${clusterId.slice(0, 12)}sub${String(i).padStart(5, "0")}`;
    return Array.from({ length: Number(spec.hostsCount) }, (_, n) => ({
      name: `rc1a-dataproc-${roleNames[spec.role] ?? "x"}-${clusterId.slice(-8)}-${n}.mdb.yandexcloud.net`,
      subclusterId,
      computeInstanceId: `fhm${clusterId.slice(-8)}${i}${n}`,
      role: spec.role,
    }));
  });
}

/**
 * The Cluster fields a Create or Update request sets: its fields that the
 * Cluster also has with the same type, and `config_spec` turned into
 * `config` by the same rule (Data Proc's CreateClusterConfigSpec carries the
 * `version_id` and `hadoop` of ClusterConfig; Spark's UpdateClusterConfigSpec
 * the fields of its ClusterConfig). With `paths`, only the masked fields.
 */
function clusterFields(from: DescMessage, message: Message, to: DescMessage, paths?: readonly string[]): Record<string, unknown> {
  const values = message as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const wanted = paths === undefined ? undefined : new Set(paths.map((p) => p.split(".")[0]!));
  if (wanted !== undefined) {
    for (const top of wanted) {
      if (!from.fields.some((f) => f.name === top) || top === "cluster_id" || top === "update_mask") {
        throw rpcError(Code.InvalidArgument, `update_mask: ${JSON.stringify(top)} is not a field of ${from.name}`);
      }
    }
  }
  for (const field of from.fields) {
    if (wanted !== undefined && !wanted.has(field.name)) continue;
    const value = values[field.localName];
    const target = to.fields.find((f) => f.name === field.name);
    if (target !== undefined && sameType(field, target)) {
      out[target.localName] = value;
    } else if (field.name === "config_spec" && field.fieldKind === "message" && value !== undefined) {
      const config = to.fields.find((f) => f.name === "config");
      if (config?.fieldKind === "message") out[config.localName] = create(config.message, clusterFields(field.message, value as Message, config.message) as MessageInitShape<DescMessage>);
    }
  }
  return out;
}

function sameType(a: DescField, b: DescField): boolean {
  if (a.fieldKind !== b.fieldKind) return false;
  switch (a.fieldKind) {
    case "scalar":
      return a.scalar === (b as typeof a).scalar;
    case "enum":
      return a.enum.typeName === (b as typeof a).enum.typeName;
    case "message":
      return a.message.typeName === (b as typeof a).message.typeName;
    case "list":
      return a.listKind === (b as typeof a).listKind && (a.message ?? a.enum ?? a.scalar) === ((b as typeof a).message ?? (b as typeof a).enum ?? (b as typeof a).scalar);
    case "map":
      return a.mapKind === (b as typeof a).mapKind && a.mapKey === (b as typeof a).mapKey && (a.message ?? a.enum ?? a.scalar) === ((b as typeof a).message ?? (b as typeof a).enum ?? (b as typeof a).scalar);
  }
}

/** `name="x"` or `name=x`; undefined when empty; anything else INVALID_ARGUMENT. */
function parseNameFilter(filter: string): string | undefined {
  if (filter.trim() === "") return undefined;
  const m = /^\s*name\s*=\s*(?:"([^"]*)"|([-a-z0-9]+))\s*$/.exec(filter);
  if (m === null) throw rpcError(Code.InvalidArgument, 'filter: only name="<cluster name>" is supported');
  return m[1] ?? m[2];
}

/** One page of `items`, with a token that only this listing (`scope`) accepts. */
function pageOf<T>(items: readonly T[], req: PageView, scope: string): { items: T[]; next: string } {
  const size = req.pageSize === 0n ? defaultPageSize : Number(req.pageSize);
  if (size < 0) throw rpcError(Code.InvalidArgument, "page_size: must not be negative");
  let start = 0;
  if (req.pageToken !== "") {
    const m = /^(.*):(\d{1,9})$/.exec(Buffer.from(req.pageToken, "base64url").toString("utf8"));
    if (m === null || m[1] !== scope) throw rpcError(Code.InvalidArgument, "page_token: not a page token of this listing");
    start = Number(m[2]);
  }
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(`${scope}:${end}`, "utf8").toString("base64url") : "" };
}

export type { ClusterStatusName };

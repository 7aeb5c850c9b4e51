import { Code } from "@connectrpc/connect";
import { nameArgument, pickByName } from "../../core/find-by-name.js";
import type { NamedCandidate } from "../../core/find-by-name.js";
import { PagingGuard } from "../../core/paging-guard.js";
import type { YandexCloud } from "../cloud.js";
import { envOf } from "../cloud-env.js";
import { localError } from "../errors.js";
import { clusterServiceOf } from "./cluster-services.js";
import type { ClusterOf, YandexClusterService } from "./cluster-services.js";

/** Options of {@link findClusterByName}. */
export interface FindClusterOptions {
  /** The folder to look in. Default: `YC_FOLDER_ID` of the cloud's `env` (its `env` option, or the process's). */
  readonly folderId?: string;
  readonly signal?: AbortSignal;
}

/**
 * The cluster of `service` (Data Proc's or Managed Spark's `ClusterService`)
 * named `name` in a folder. The API filters by name (`filter: name="…"`),
 * so this is one `List` call; pages are followed only if the server hands
 * out a next-page token anyway (under the paging guard, so a server that
 * repeats a token ends with INTERNAL instead of looping).
 *
 * Fails with a {@link YandexCloudError}: INVALID_ARGUMENT before any call
 * when the name is empty or no folder is given and `YC_FOLDER_ID` is unset;
 * NOT_FOUND when no cluster has the name; FAILED_PRECONDITION naming the
 * candidates' ids when several have it (Yandex refuses duplicate names in a
 * folder, but a lookup must not pick one at random if it ever sees two).
 *
 * @example
 * ```ts
 * import { ClusterService } from "dataproc-connect/dataproc/v1";
 * const cluster = await findClusterByName(cloud, ClusterService, "nightly-etl", { folderId: "b1g…" });
 * await submitJob(cloud, JobService, { clusterId: cluster.id, jobSpec });
 * ```
 */
export async function findClusterByName<S extends YandexClusterService>(cloud: YandexCloud, service: S, name: string, options: FindClusterOptions = {}): Promise<ClusterOf<S>> {
  const method = `/${service.typeName}/List`;
  const refuse = (text: string) => localError(Code.InvalidArgument, `findClusterByName: ${text}`, { method, attempts: 0 });
  nameArgument(name, "name", refuse);
  if (options.folderId !== undefined && (typeof options.folderId !== "string" || options.folderId === "")) {
    throw refuse(`folderId: expected a non-empty string, got ${JSON.stringify(options.folderId) ?? typeof options.folderId}`);
  }
  const folderId = options.folderId ?? envOf(cloud).YC_FOLDER_ID?.trim();
  if (!folderId) throw refuse("folderId: none given and YC_FOLDER_ID is not set");
  const { calls } = clusterServiceOf(cloud, service);
  const found: (NamedCandidate & { cluster: ClusterOf<S> })[] = [];
  const guard = new PagingGuard(`List of clusters in folder ${folderId}`, (message) => localError(Code.Internal, message, { method }));
  let pageToken = "";
  guard.start(pageToken);
  do {
    const page = await calls.list({ folderId, filter: `name = ${JSON.stringify(name)}`, pageToken }, { signal: options.signal });
    for (const c of page.clusters as unknown as ClusterOf<S>[]) found.push({ id: c.id, name: c.name, cluster: c });
    pageToken = page.nextPageToken;
    if (pageToken !== "") guard.nextPage(pageToken);
  } while (pageToken !== "");
  const kind = service.typeName.startsWith("yandex.cloud.spark.") ? "Managed Spark cluster" : "Data Proc cluster";
  return pickByName(found, name, { what: kind, where: `in folder ${folderId}`, fail: (code, text) => localError(code, text, { method }) }).cluster;
}

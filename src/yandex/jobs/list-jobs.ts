import { localError } from "../errors.js";
import { abortCode, abortText } from "../../core/abort.js";
import type { YandexCloud } from "../cloud.js";
import { Code } from "@connectrpc/connect";
import { PagingGuard } from "../../core/paging-guard.js";
import type { JobOf, JobServiceDesc } from "./job-services.js";
import { int64Option } from "../../validation/types.js";

export interface ListJobsOptions {
  /** `name="…"`: only jobs with that name. */
  readonly filter?: string;
  /** Jobs per request (≤ 1000). Default: the service's (100). */
  readonly pageSize?: number;
  /** Stops after the current page: the iteration then rejects with a `YandexCloudError` CANCELED. */
  readonly signal?: AbortSignal;
}

/**
 * Every job of a cluster, page by page, as an async iterator. Memory stays
 * constant: one page is held at a time. It stops on an empty page token or
 * an empty page; a token the service already returned in this listing ends
 * it with INTERNAL (a misbehaving server cannot make it loop forever, see
 * `PagingGuard`).
 *
 * @example
 * ```ts
 * for await (const job of listJobs(cloud, JobService, clusterId)) console.log(job.id, statusName(job));
 * ```
 */
export async function* listJobs<S extends JobServiceDesc>(
  cloud: YandexCloud,
  service: S,
  clusterId: string,
  options: ListJobsOptions = {},
): AsyncGenerator<JobOf<S>, void, undefined> {
  const jobs = cloud.client(service as JobServiceDesc);
  const method = `/${service.typeName}/List`;
  const guard = new PagingGuard(`List of the jobs of cluster ${clusterId}`, (message) =>
    localError(Code.Internal, message, { method, endpoint: cloud.endpointOf(service), registry: cloud.registry }),
  );
  let pageToken = "";
  guard.start(pageToken);
  for (;;) {
    // No further page once the caller has stopped.
    if (options.signal?.aborted) {
      const reason: unknown = options.signal.reason;
      throw localError(abortCode(reason), `listing jobs ended: ${abortText(reason)}`, {
        method,
        endpoint: cloud.endpointOf(service),
        registry: cloud.registry,
      }, reason);
    }
    const page = await jobs.list(
      { clusterId, pageToken, filter: options.filter ?? "", pageSize: int64Option(options.pageSize) },
      { signal: options.signal },
    );
    for (const job of page.jobs) yield job as JobOf<S>;
    const next = page.nextPageToken;
    if (next === "" || page.jobs.length === 0) return;
    guard.nextPage(next);
    pageToken = next;
  }
}

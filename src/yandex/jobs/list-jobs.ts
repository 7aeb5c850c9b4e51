import { localError } from "../errors.js";
import { abortCode, abortText } from "../../core/abort.js";
import type { YandexCloud } from "../cloud.js";
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
 * constant: one page is held at a time. It stops on an empty page token, and
 * also on a token the service already returned (so a misbehaving server
 * cannot make it loop forever).
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
  const seen = new Set<string>();
  let pageToken = "";
  for (;;) {
    // No further page once the caller has stopped.
    if (options.signal?.aborted) {
      const reason: unknown = options.signal.reason;
      throw localError(abortCode(reason), `listing jobs ended: ${abortText(reason)}`, {
        method: `/${service.typeName}/List`,
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
    if (next === "" || page.jobs.length === 0 || seen.has(next)) return;
    seen.add(next);
    pageToken = next;
  }
}

import { Code, ConnectError } from "@connectrpc/connect";
import type { YandexCloud } from "../client/factory.js";
import type { JobOf, JobRef, JobServiceDesc } from "./job-services.js";
import { isTerminal } from "./status.js";

export interface WaitForJobOptions<J> {
  /** Stops polling at once; the wait rejects with the abort reason. */
  readonly signal?: AbortSignal;
  /** Give up with DEADLINE_EXCEEDED after this long. No limit by default. */
  readonly timeoutMs?: number;
  /** Called with the job whenever its status changes (and on the first read). */
  readonly onStatus?: (job: J) => void;
  /** First delay between reads. Default 500 ms. */
  readonly initialIntervalMs?: number;
  /** Longest delay between reads. Default 5 s. */
  readonly maxIntervalMs?: number;
}

/**
 * Reads the job with `JobService.Get` until its status is terminal (DONE,
 * ERROR or CANCELLED) and returns it. It relies only on the job resource,
 * not on how the Create operation reports, so it also works for jobs this
 * process did not submit. A job that ends in ERROR or CANCELLED is returned,
 * not thrown: check it with `isSucceeded`.
 *
 * @example
 * ```ts
 * const job = await waitForJob(cloud, JobService, { clusterId, jobId }, {
 *   onStatus: (j) => console.error(statusName(j)),
 *   timeoutMs: 30 * 60_000,
 * });
 * ```
 */
export async function waitForJob<S extends JobServiceDesc>(
  cloud: YandexCloud,
  service: S,
  ref: JobRef,
  options: WaitForJobOptions<JobOf<S>> = {},
): Promise<JobOf<S>> {
  const jobs = cloud.client(service as JobServiceDesc);
  const { signal, timeoutMs, onStatus } = options;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : cloud.clock.now() + timeoutMs;
  const maxInterval = options.maxIntervalMs ?? 5_000;
  let interval = Math.min(options.initialIntervalMs ?? 500, maxInterval);
  let lastStatus: number | undefined;
  for (;;) {
    const job = (await jobs.get({ clusterId: ref.clusterId, jobId: ref.jobId }, { signal })) as JobOf<S>;
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      onStatus?.(job);
    }
    if (isTerminal(job)) return job;
    const remaining = deadline - cloud.clock.now();
    if (remaining <= 0) {
      throw new ConnectError(`job ${ref.jobId} did not finish within ${timeoutMs} ms`, Code.DeadlineExceeded);
    }
    await cloud.sleep(Math.min(interval, remaining), signal);
    interval = Math.min(interval * 1.5, maxInterval);
  }
}

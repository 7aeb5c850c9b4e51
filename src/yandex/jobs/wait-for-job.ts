import type { DescService } from "@bufbuild/protobuf";
import type { YandexCloud } from "../cloud.js";
import { Poller } from "../../core/poll.js";
import type { PollOptions } from "../../core/poll.js";
import { pollFailures } from "../operation/wait.js";
import type { JobOf, JobRef, JobServiceDesc } from "./job-services.js";
import { isTerminal } from "./status.js";

/**
 * How to wait for a job: the shared {@link PollOptions} (`signal`,
 * `timeoutMs`, `initialDelayMs` default 500 ms, `maxDelayMs` default 5 s,
 * `policy`: `"growing-cap"` makes an hour-long job cost 91 polls instead of
 * 725) plus a status callback.
 */
export interface WaitForJobOptions<J> extends PollOptions {
  /** Called with the job whenever its status changes (and on the first read). */
  readonly onStatus?: (job: J) => void;
}

/**
 * Reads the job with `JobService.Get` until its status is terminal (DONE,
 * ERROR or CANCELLED) and returns it. It relies only on the job resource,
 * not on how the Create operation reports, so it also works for jobs this
 * process did not submit.
 *
 * What "wait" means here: a job that ends in ERROR or CANCELLED has
 * *finished*, and that is an outcome, not a failure of the wait — the job is
 * returned, not thrown: check it with `isSucceeded`. The wait rejects (with a
 * `YandexCloudError`) only when it cannot tell how the job ended: `signal`
 * aborted (CANCELED), `timeoutMs` passed (DEADLINE_EXCEEDED), the client was
 * closed (CANCELED) or a read failed.
 *
 * @example
 * ```ts
 * const job = await waitForJob(cloud, JobService, { clusterId, jobId }, {
 *   onStatus: (j) => console.error(statusName(j)),
 *   timeoutMs: 30 * 60_000,
 * });
 * if (!isSucceeded(job)) console.error(`job ended ${statusName(job)}`);
 * ```
 */
export async function waitForJob<S extends JobServiceDesc>(
  cloud: YandexCloud,
  service: S,
  ref: JobRef,
  options: WaitForJobOptions<JobOf<S>> = {},
): Promise<JobOf<S>> {
  const jobs = cloud.client(service as JobServiceDesc);
  const { onStatus } = options;
  const poller = new Poller(
    cloud,
    {
      ...options,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
    },
    { initialDelayMs: 500, maxDelayMs: 5_000 },
    jobPollFailures(cloud, service, ref.jobId),
  );
  let lastStatus: number | undefined;
  for (;;) {
    poller.checkAborted();
    const job = (await jobs.get({ clusterId: ref.clusterId, jobId: ref.jobId }, { signal: poller.signal })) as JobOf<S>;
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      onStatus?.(job);
    }
    if (isTerminal(job)) return job;
    await poller.pause();
  }
}

/** Errors of a poll loop over a job, naming `JobService.Get` of `service`. @internal */
export function jobPollFailures(cloud: YandexCloud, service: DescService, jobId: string, what = `job ${jobId}`) {
  return pollFailures(what, `/${service.typeName}/Get`, () => cloud.endpointOf(service), cloud.registry);
}

import type { DescService } from "@bufbuild/protobuf";
import type { YandexCloud } from "../cloud.js";
import type { JobWaitOptions } from "../../core/job-model.js";
import { waitForJobEnd } from "../../core/job-wait.js";
import type { PollOptions } from "../../core/poll.js";
import { pollFailures } from "../operation/wait.js";
import type { JobOf, JobRef, JobServiceDesc } from "./job-services.js";
import { isTerminal } from "./status.js";

/**
 * How to wait for a job: the cloud-neutral {@link JobWaitOptions} — the
 * shared {@link PollOptions} plus `onStatus` and `cancelOnAbort` — with
 * these defaults on Yandex (Data Proc and Managed Spark alike):
 *
 * | option           | default on Yandex                       |
 * | ---------------- | --------------------------------------- |
 * | `initialDelayMs` | 500 ms                                  |
 * | `maxDelayMs`     | 5 s (delays grow ×1.5 up to it)         |
 * | `policy`         | `"fixed-cap"` (`"growing-cap"`: an hour-long job costs 91 polls instead of 725) |
 * | `timeoutMs`      | none                                    |
 * | `cancelOnAbort`  | `false`                                 |
 * | clock, sleep     | the cloud's (`createYandexCloud({ clock, sleep })`) |
 */
export interface WaitForJobOptions<J> extends JobWaitOptions<J> {}

/**
 * Reads the job with `JobService.Get` until its status is terminal (DONE,
 * ERROR or CANCELLED) and returns it. It relies only on the job resource,
 * not on how the Create operation reports, so it also works for jobs this
 * process did not submit.
 *
 * What "wait" means here: a job that ends in ERROR or CANCELLED has
 * *finished*, and that is an outcome, not a failure of the wait — the job is
 * returned, not thrown: check it with `isSucceeded` or `jobPhase`. The wait
 * rejects (with a `YandexCloudError`) only when it cannot tell how the job
 * ended: `signal` aborted (CANCELED), `timeoutMs` passed (DEADLINE_EXCEEDED),
 * the client was closed (CANCELED) or a read failed. With `cancelOnAbort`
 * the first two cancel the job before rejecting.
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
  const where = { clusterId: ref.clusterId, jobId: ref.jobId };
  return waitForJobEnd<JobOf<S>>(cloud, options, {
    defaults: yandexJobWaitDefaults,
    method: `/${service.typeName}/Get`,
    failures: () => jobPollFailures(cloud, service, ref.jobId),
    read: async (signal) => (await jobs.get(where, { signal })) as JobOf<S>,
    status: (job) => String(job.status),
    isFinal: isTerminal,
    cancel: async (signal) => {
      await jobs.cancel(where, { signal });
    },
  });
}

/** Yandex job waits start at 500 ms and back off to 5 s. @internal */
export const yandexJobWaitDefaults = { initialDelayMs: 500, maxDelayMs: 5_000 } as const;

/** Errors of a poll loop over a job, naming `JobService.Get` of `service`. @internal */
export function jobPollFailures(cloud: YandexCloud, service: DescService, jobId: string, what = `job ${jobId}`) {
  return pollFailures(what, `/${service.typeName}/Get`, () => cloud.endpointOf(service), cloud.registry);
}

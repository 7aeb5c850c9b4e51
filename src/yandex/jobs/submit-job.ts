import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { localError } from "../errors.js";
import type { CallOptions } from "@connectrpc/connect";
import type { YandexCloud } from "../cloud.js";
import type { TypedOperation } from "../operation/typed-operation.js";
import type { CreateJobMetadataOf, JobOf, JobRef, JobServiceDesc } from "./job-services.js";
import { jobLogs } from "./job-logs.js";
import type { JobLogsOptions } from "./job-logs.js";
import { waitForJob } from "./wait-for-job.js";
import type { WaitForJobOptions } from "./wait-for-job.js";

/** The CreateJobRequest accepted by the given job service. */
export type CreateJobRequestOf<S extends JobServiceDesc> = MessageInitShape<S["method"]["create"]["input"]>;

/** A job that was just submitted, with everything usually done next. */
export interface SubmittedJob<S extends JobServiceDesc> extends JobRef {
  /**
   * The Create operation; it finishes when the job does. Its `wait()`
   * rejects with an `OperationError` when the job fails; prefer
   * {@link SubmittedJob.wait}, which resolves with the job in every outcome.
   */
  readonly operation: TypedOperation<CreateJobMetadataOf<S>, JobOf<S>>;
  /**
   * Polls `Get` until the job is terminal and resolves with it whatever its
   * status (DONE, ERROR or CANCELLED: check with `isSucceeded`); rejects
   * only when the wait itself ends (abort, timeout, close, a failed read).
   * See {@link waitForJob}.
   */
  wait(options?: WaitForJobOptions<JobOf<S>>): Promise<JobOf<S>>;
  /** The job's output (see {@link jobLogs}); `{ follow: true }` tails it. */
  logs(options?: JobLogsOptions): AsyncGenerator<string, void, undefined>;
  /** Reads the job once. */
  get(options?: { signal?: AbortSignal }): Promise<JobOf<S>>;
  /** `JobService.Cancel`; `wait()` then ends with CANCELLED. */
  cancel(options?: { signal?: AbortSignal }): Promise<void>;
}

/**
 * Submits a job and returns a handle on it, so that the usual program is a
 * few lines. The job id comes from the Create operation's metadata, which the
 * service fills in at once.
 *
 * @example
 * ```ts
 * const job = await submitJob(cloud, JobService, { clusterId, jobSpec: dataprocJobs.pyspark({ mainPythonFileUri }) });
 * for await (const text of job.logs({ follow: true })) process.stdout.write(text);
 * console.log(statusName(await job.wait()));
 * ```
 */
export async function submitJob<S extends JobServiceDesc>(
  cloud: YandexCloud,
  service: S,
  request: CreateJobRequestOf<S>,
  options?: CallOptions,
): Promise<SubmittedJob<S>> {
  const jobs = cloud.client(service as JobServiceDesc);
  const operation = await jobs.create(request as CreateJobRequestOf<JobServiceDesc> as never, options);
  const metadata = operation.decodedMetadata;
  if (!metadata?.jobId) {
    throw localError(Code.Internal, `Create operation ${operation.id} names no job id in its metadata`, {
      method: `/${service.typeName}/Create`,
      endpoint: cloud.endpointOf(service),
      attempts: 1,
      registry: cloud.registry,
    });
  }
  const ref: JobRef = { clusterId: metadata.clusterId, jobId: metadata.jobId };
  return {
    ...ref,
    operation: operation as SubmittedJob<S>["operation"],
    wait: (waitOptions) => waitForJob(cloud, service, ref, waitOptions),
    logs: (logOptions) => jobLogs(cloud, service, ref, logOptions),
    get: async (getOptions) => (await jobs.get(ref, getOptions)) as JobOf<S>,
    cancel: async (cancelOptions) => {
      await jobs.cancel(ref, cancelOptions);
    },
  };
}

import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { localError } from "../errors.js";
import type { CallOptions } from "@connectrpc/connect";
import type { YandexCloud } from "../cloud.js";
import type { TypedOperation } from "../operation/typed-operation.js";
import type { CreateJobMetadataOf, JobOf, JobServiceDesc } from "./job-services.js";
import { jobHandle } from "./job-handle.js";
import type { YandexJobHandle } from "./job-handle.js";

/** The CreateJobRequest accepted by the given job service. */
export type CreateJobRequestOf<S extends JobServiceDesc> = MessageInitShape<S["method"]["create"]["input"]>;

/**
 * A job that was just submitted, with everything usually done next: a
 * {@link YandexJobHandle} (so a cloud-neutral `JobHandle`) plus the Create
 * operation.
 */
export interface SubmittedJob<S extends JobServiceDesc> extends YandexJobHandle<S> {
  /**
   * The Create operation; it finishes when the job does. Its `wait()`
   * rejects with an `OperationError` when the job fails; prefer
   * {@link SubmittedJob.wait}, which resolves with the job in every outcome.
   */
  readonly operation: TypedOperation<CreateJobMetadataOf<S>, JobOf<S>>;
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
  return {
    ...jobHandle(cloud, service, { clusterId: metadata.clusterId, jobId: metadata.jobId }),
    operation: operation as SubmittedJob<S>["operation"],
  };
}

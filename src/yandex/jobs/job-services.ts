import type { JobService as DataprocJobService } from "../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import type { JobService as SparkJobService } from "../../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import type { Job as DataprocJob } from "../../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { Job as SparkJob } from "../../../gen/yandex/cloud/spark/v1/job_pb.js";

/** Either job service: Data Proc (`yandex.cloud.dataproc.v1`) or Managed Spark (`yandex.cloud.spark.v1`). */
export type JobServiceDesc = typeof DataprocJobService | typeof SparkJobService;

/** The Job message of the given job service. */
export type JobOf<S extends JobServiceDesc> = S extends typeof DataprocJobService ? DataprocJob : SparkJob;

/** Identifies one job. */
export interface JobRef {
  readonly clusterId: string;
  readonly jobId: string;
}

/** The metadata of the Create and Cancel operations of the given job service. */
export type CreateJobMetadataOf<S extends JobServiceDesc> = S extends typeof DataprocJobService
  ? import("../../../gen/yandex/cloud/dataproc/v1/job_service_pb.js").CreateJobMetadata
  : import("../../../gen/yandex/cloud/spark/v1/job_service_pb.js").CreateJobMetadata;

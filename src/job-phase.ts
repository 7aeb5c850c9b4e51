import type { JobRun } from "../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { JobQueryBean } from "../gen/huawei/mrs/v2/job_execution_pb.js";
import type { Job as DataprocJob } from "../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { Job as SparkJob } from "../gen/yandex/cloud/spark/v1/job_pb.js";
import { phaseFromTables } from "./core/job-model.js";
import type { JobPhase, JobPhaseTables } from "./core/job-model.js";
import { awsJobPhases } from "./aws/jobs/phase.js";
import { huaweiJobPhases } from "./huawei/jobs/phase.js";
import { yandexJobPhases } from "./yandex/jobs/phase.js";

/** Every provider's phase table, keyed by job message `$typeName`: data only, no client is loaded. */
const tables: JobPhaseTables = { ...yandexJobPhases, ...awsJobPhases, ...huaweiJobPhases };

/** A job message `jobPhase` knows. */
export type AnyCloudJob = DataprocJob | SparkJob | JobRun | JobQueryBean;

/**
 * The cloud-neutral {@link JobPhase} of a job message of any cloud: Data
 * Proc and Managed Spark `Job` (by `status`), EMR Serverless `JobRun` (by
 * `state`), MRS v2 `JobQueryBean` (by `jobState`, refined by `jobResult`).
 * Each provider's mapping is one table in its folder (`src/yandex/jobs/phase.ts`,
 * `src/aws/jobs/phase.ts`, `src/huawei/jobs/phase.ts`); a status none lists is
 * `"unknown"`.
 *
 * @example
 * ```ts
 * const run = await handle.wait();
 * if (jobPhase(run) !== "succeeded") throw new Error(`job ended ${jobPhase(run)}`);
 * ```
 */
export function jobPhase(job: AnyCloudJob): JobPhase {
  return phaseFromTables(tables, job);
}

import type { JobRunState } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { JobPhase, JobPhaseTables } from "../../core/job-model.js";

/**
 * EMR Serverless job run states as {@link JobPhase}s, for `jobPhase()`,
 * keyed by the `JobRunState` number (the compiler checks every state is
 * listed):
 *
 * | state                          | phase      |
 * | ------------------------------ | ---------- |
 * | JOB_RUN_STATE_UNSPECIFIED (0)  | unknown    |
 * | SUBMITTED (1)                  | pending    |
 * | PENDING (2)                    | pending    |
 * | SCHEDULED (3)                  | pending    |
 * | RUNNING (4)                    | running    |
 * | SUCCESS (5)                    | succeeded  |
 * | FAILED (6)                     | failed     |
 * | CANCELLING (7)                 | cancelling |
 * | CANCELLED (8)                  | cancelled  |
 * | QUEUED (9)                     | pending    |
 *
 * Plain data: loading it loads no descriptor and no client.
 *
 * @internal
 */
const byState = {
  "0": "unknown",
  "1": "pending",
  "2": "pending",
  "3": "pending",
  "4": "running",
  "5": "succeeded",
  "6": "failed",
  "7": "cancelling",
  "8": "cancelled",
  "9": "pending",
} as const satisfies Record<`${JobRunState}`, JobPhase>;

/** @internal */
export const awsJobPhases = {
  "aws.emr_serverless.v1.JobRun": { fields: ["state"], phases: byState },
} as const satisfies JobPhaseTables;

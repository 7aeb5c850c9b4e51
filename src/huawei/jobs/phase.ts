import type { JobPhase, JobPhaseTables } from "../../core/job-model.js";

/**
 * MRS v2 job states (`job_state`, refined by `job_result`) as
 * {@link JobPhase}s, for `jobPhase()`. A `state/result` key is more precise
 * than the state alone:
 *
 * | job_state / job_result | phase     |
 * | ---------------------- | --------- |
 * | NEW, NEW_SAVING        | pending   |
 * | SUBMITTED, ACCEPTED    | pending   |
 * | RUNNING                | running   |
 * | FINISHED / SUCCEEDED   | succeeded |
 * | FINISHED / FAILED      | failed    |
 * | FINISHED / KILLED      | cancelled |
 * | FINISHED / UNDEFINED   | unknown   |
 * | FAILED                 | failed    |
 * | KILLED                 | cancelled |
 * | anything else          | unknown   |
 *
 * MRS has no "killing" state: a stopped job goes straight to KILLED.
 * Plain data: loading it loads no descriptor and no client.
 *
 * @internal
 */
const byState = {
  NEW: "pending",
  NEW_SAVING: "pending",
  SUBMITTED: "pending",
  ACCEPTED: "pending",
  RUNNING: "running",
  "FINISHED/SUCCEEDED": "succeeded",
  "FINISHED/FAILED": "failed",
  "FINISHED/KILLED": "cancelled",
  FAILED: "failed",
  KILLED: "cancelled",
} as const satisfies Readonly<Record<string, JobPhase>>;

/** @internal */
export const huaweiJobPhases = {
  "huawei.mrs.v2.JobQueryBean": { fields: ["jobState", "jobResult"], phases: byState },
} as const satisfies JobPhaseTables;

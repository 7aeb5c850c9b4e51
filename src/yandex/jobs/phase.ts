import type { JobPhase, JobPhaseTable, JobPhaseTables } from "../../core/job-model.js";
import { jobStatusTable } from "./status.js";

/**
 * Yandex job statuses as {@link JobPhase}s, for `jobPhase()`: the `jobPhase`
 * column of the one status table (`jobStatusTable` in `./status.ts`), the
 * same for Data Proc and Managed Spark, keyed by status number:
 *
 * | status             | phase      |
 * | ------------------ | ---------- |
 * | STATUS_UNSPECIFIED | unknown    |
 * | PROVISIONING       | pending    |
 * | PENDING            | pending    |
 * | RUNNING            | running    |
 * | ERROR              | failed     |
 * | DONE               | succeeded  |
 * | CANCELLED          | cancelled  |
 * | CANCELLING         | cancelling |
 *
 * Plain data: loading it loads no descriptor and no client.
 *
 * @internal
 */
const byStatus: JobPhaseTable = {
  fields: ["status"],
  phases: Object.fromEntries(Object.values(jobStatusTable).map((s) => [String(s.value), s.jobPhase satisfies JobPhase])),
};

/** @internal */
export const yandexJobPhases = {
  "yandex.cloud.dataproc.v1.Job": byStatus,
  "yandex.cloud.spark.v1.Job": byStatus,
} as const satisfies JobPhaseTables;

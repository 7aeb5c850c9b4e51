/**
 * A Yandex job (Data Proc or Managed Spark) as every cloud's commands show
 * it: its {@link JobView} (jobs/job-view.ts), which gives the `--json`
 * object `{cloud, jobId, name, kind, status, phase, createdAt, startedAt,
 * finishedAt, ref, …extra, job}` — `job` being the `Job` message in the
 * proto JSON mapping (`toJson`), so scripts get every field — the `get`
 * card and the `list` row.
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { jobKind, jobPhase, statusName } from "../index.js";
import type { JobOf, JobServiceDesc, YandexJobRef } from "../index.js";
import type { JobView } from "./jobs/job-view.js";
import { formatDuration } from "./progress.js";
import type { Session } from "./session.js";

/** A job of either service. */
export type AnyServiceJob = JobOf<JobServiceDesc>;

/** `sparkConnect` → `spark-connect`, as the `submit` kinds are spelled. */
export function kindName(job: AnyServiceJob): string {
  return jobKind(job).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The job as every cloud's commands show it (jobs/job-view.ts): the
 * provider's status beside its phase, times as epoch ms, the `ref` that
 * `jobHandle` takes back, and the message in the proto JSON mapping.
 */
export function yandexView(session: Session, job: AnyServiceJob): JobView {
  const ms = (ts: Timestamp | undefined): number | undefined => (ts === undefined ? undefined : timestampMs(ts));
  const details: [string, string | undefined][] = [
    ["cluster", job.clusterId],
    ["created by", job.createdBy || undefined],
    ["duration", duration(job)],
  ];
  if ("uiUrl" in job) {
    details.push(["ui url", job.uiUrl || undefined], ["connect url", job.connectUrl || undefined]);
    details.push(["service account", job.serviceAccountId || undefined], ["environment", job.environmentId || undefined]);
  } else {
    details.push(["application", job.applicationInfo?.id || undefined]);
  }
  const ref: YandexJobRef = { cloud: "yandex", service: session.service.typeName, clusterId: job.clusterId, jobId: job.id };
  return {
    id: job.id,
    ref,
    name: job.name || undefined,
    kind: kindName(job),
    status: statusName(job),
    phase: jobPhase(job),
    createdAt: ms(job.createdAt),
    startedAt: ms(job.startedAt),
    finishedAt: ms(job.finishedAt),
    details,
    // The schema and the job always belong to the same service.
    job: toJson(session.jobSchema, job as never),
  };
}

function duration(job: AnyServiceJob): string | undefined {
  if (job.startedAt === undefined || job.finishedAt === undefined) return undefined;
  return formatDuration(timestampMs(job.finishedAt) - timestampMs(job.startedAt));
}

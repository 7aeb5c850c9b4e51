/**
 * How jobs are shown: the `--json` object (one per result) and the human
 * forms (the `get` card, the `list` row).
 *
 * The JSON object and the card are every cloud's (jobs/job-view.ts):
 * `{cloud, jobId, name, kind, status, phase, createdAt, startedAt,
 * finishedAt, ref, …extra, job}` where `job` is the `Job` message in the
 * proto JSON mapping (`toJson`), so scripts get every field, and the flat
 * fields the common questions need.
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { jobKind, jobPhase, statusName } from "../index.js";
import type { JobOf, JobServiceDesc, YandexJobRef } from "../index.js";
import { viewCard, viewJson } from "./jobs/job-view.js";
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

/** The `--json` object of a job (jobs/job-view.ts), the same keys on every cloud; `extra` goes before `job`. */
export function jobJson(session: Session, job: AnyServiceJob, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return viewJson("yandex", yandexView(session, job), extra);
}

/** The card `get` prints. */
export function jobCard(session: Session, job: AnyServiceJob): string {
  return viewCard(yandexView(session, job));
}

/** Column headers of `list`, aligned with {@link jobRow}. */
export const jobRowHeader = row("ID", "STATUS", "KIND", "CREATED", "NAME");

/** One line of `list`. Fixed widths, so rows print as they arrive. */
export function jobRow(job: AnyServiceJob): string {
  return row(job.id, statusName(job), kindName(job), time(job.createdAt) ?? "-", job.name || "-");
}

function row(id: string, status: string, kind: string, created: string, name: string): string {
  return `${id.padEnd(22)}${status.padEnd(13)}${kind.padEnd(14)}${created.padEnd(21)}${name}`.trimEnd();
}

function time(ts: Timestamp | undefined): string | undefined {
  return ts === undefined ? undefined : new Date(timestampMs(ts)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function duration(job: AnyServiceJob): string | undefined {
  if (job.startedAt === undefined || job.finishedAt === undefined) return undefined;
  return formatDuration(timestampMs(job.finishedAt) - timestampMs(job.startedAt));
}

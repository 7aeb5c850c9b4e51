/**
 * How jobs are shown: the `--json` object (one per result) and the human
 * forms (the `get` card, the `list` row).
 *
 * The JSON object is `{jobId, clusterId, name, kind, status, …extra, job}`
 * where `job` is the `Job` message in the proto JSON mapping (`toJson`), so
 * scripts get every field, and the flat fields the common questions need.
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { jobKind, statusName } from "../index.js";
import type { JobOf, JobServiceDesc } from "../index.js";
import { formatDuration } from "./progress.js";
import type { Session } from "./session.js";

/** A job of either service. */
export type AnyServiceJob = JobOf<JobServiceDesc>;

/** `sparkConnect` → `spark-connect`, as the `submit` kinds are spelled. */
export function kindName(job: AnyServiceJob): string {
  return jobKind(job).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The `--json` object of a job, with `extra` fields before `job`. */
export function jobJson(session: Session, job: AnyServiceJob, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    jobId: job.id,
    clusterId: job.clusterId,
    name: job.name,
    kind: kindName(job),
    status: statusName(job),
    ...extra,
    // The schema and the job always belong to the same service.
    job: toJson(session.jobSchema, job as never),
  };
}

/** The human card of `get`. */
export function jobCard(job: AnyServiceJob): string {
  const rows: [string, string | undefined][] = [
    ["id", job.id],
    ["cluster", job.clusterId],
    ["name", job.name || undefined],
    ["kind", kindName(job)],
    ["status", statusName(job)],
    ["created", time(job.createdAt)],
    ["created by", job.createdBy || undefined],
    ["started", time(job.startedAt)],
    ["finished", time(job.finishedAt)],
    ["duration", duration(job)],
  ];
  if ("uiUrl" in job) {
    rows.push(["ui url", job.uiUrl || undefined], ["connect url", job.connectUrl || undefined]);
    rows.push(["service account", job.serviceAccountId || undefined], ["environment", job.environmentId || undefined]);
  } else {
    rows.push(["application", job.applicationInfo?.id || undefined]);
  }
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([key, value]) => `${key.padEnd(16)}${value}`)
    .join("\n");
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

/**
 * One job as every cloud's commands show it: the fields a person or a
 * script needs whatever the cloud, each cloud's own status beside the
 * cloud-neutral {@link JobPhase}, and the provider's message as it is.
 * `get`, `list`, `submit --wait` and `cancel --wait` print it the same way
 * on Yandex, AWS and Huawei, so a script written for one reads the others.
 *
 * `--json` shape (keys always present, `null` when unknown; times RFC 3339):
 *
 * ```json
 * {"cloud":"aws","jobId":"00f…","name":"pi","kind":"spark-submit","status":"SUCCESS","phase":"succeeded",
 *  "createdAt":"2026-12-07T10:00:00Z","startedAt":"…","finishedAt":"…","ref":{"cloud":"aws",…},"job":{…}}
 * ```
 *
 * @module
 */
import type { JobPhase, JobRefBase } from "../../core/job-model.js";

/** What the commands print about a job; built by each cloud's adapter. */
export interface JobView {
  readonly id: string;
  /** The handle's `ref`: the ids that find the job again. */
  readonly ref: JobRefBase;
  readonly name: string | undefined;
  /** The job's type in kebab-case, e.g. `spark`, `hive-sql`. */
  readonly kind: string | undefined;
  /** The provider's status, e.g. `DONE`, `SUCCESS`, `FINISHED/SUCCEEDED`. */
  readonly status: string;
  readonly phase: JobPhase;
  /** Times as epoch milliseconds. */
  readonly createdAt: number | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** More card rows of this cloud (`application`, `tracking url`, …); empty values are skipped. */
  readonly details: readonly (readonly [string, string | undefined])[];
  /** The provider's job message as JSON (its own field names). */
  readonly job: unknown;
}

/** `ms` as RFC 3339 UTC, whole seconds when it has no fraction. */
export function rfc3339(ms: number | undefined): string | null {
  if (ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** The `--json` object of a job; `extra` (e.g. `elapsedMs`, `operationId`) goes before `job`. */
export function viewJson(cloud: string, view: JobView, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    cloud,
    jobId: view.id,
    name: view.name ?? null,
    kind: view.kind ?? null,
    status: view.status,
    phase: view.phase,
    createdAt: rfc3339(view.createdAt),
    startedAt: rfc3339(view.startedAt),
    finishedAt: rfc3339(view.finishedAt),
    ref: view.ref,
    ...extra,
    job: view.job,
  };
}

/** The human card of `get`: one `key value` row per known field. */
export function viewCard(view: JobView): string {
  const rows: (readonly [string, string | undefined])[] = [
    ["id", view.id],
    ["name", view.name || undefined],
    ["kind", view.kind || undefined],
    ["status", view.status],
    ["phase", view.phase],
    ["created", rfc3339(view.createdAt) ?? undefined],
    ["started", rfc3339(view.startedAt) ?? undefined],
    ["finished", rfc3339(view.finishedAt) ?? undefined],
    ...view.details,
  ];
  return rows
    .filter((row): row is readonly [string, string] => row[1] !== undefined && row[1] !== "")
    .map(([key, value]) => `${key.padEnd(16)}${value}`)
    .join("\n");
}

/** The `list` table: header and rows, the id column as wide as the cloud's ids. */
export function viewTable(idWidth: number): { header: string; row(view: JobView): string } {
  const line = (id: string, status: string, phase: string, kind: string, created: string, name: string): string =>
    `${id.padEnd(idWidth)}  ${status.padEnd(19)}${phase.padEnd(12)}${kind.padEnd(14)}${created.padEnd(22)}${name}`.trimEnd();
  return {
    header: line("ID", "STATUS", "PHASE", "KIND", "CREATED", "NAME"),
    // Whole seconds in the table; --json keeps the milliseconds.
    row: (v) => line(v.id, v.status, v.phase, v.kind || "-", rfc3339(v.createdAt)?.replace(/\.\d+Z$/, "Z") ?? "-", v.name || "-"),
  };
}

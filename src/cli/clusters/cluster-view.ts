/**
 * One cluster (or EMR Serverless application) as every cloud's commands
 * show it: the provider's status as it spells it beside a short
 * cloud-neutral `state`, so a script that waits for `"running"` works on
 * Yandex, AWS and Huawei alike.
 *
 * `--json` shape (keys always present, `null` when unknown; times RFC 3339):
 *
 * ```json
 * {"cloud":"yandex","clusterId":"c9q…","name":"etl","status":"RUNNING","state":"running",
 *  "createdAt":"2026-12-07T10:00:00Z","cluster":{…}}
 * ```
 *
 * @module
 */
import { rfc3339 } from "../jobs/job-view.js";

/** The short state of every cloud's cluster or application. */
export type ClusterState = "creating" | "starting" | "running" | "stopping" | "stopped" | "updating" | "deleting" | "deleted" | "error" | "unknown";

/** What the commands print about a cluster; built by each cloud's adapter. */
export interface ClusterView {
  readonly id: string;
  readonly name: string | undefined;
  /** The provider's status, e.g. `RUNNING`, `STARTED`, `running`. */
  readonly status: string;
  readonly state: ClusterState;
  /** Epoch milliseconds. */
  readonly createdAt: number | undefined;
  /** More card rows of this cloud; empty values are skipped. */
  readonly details: readonly (readonly [string, string | undefined])[];
  /** The provider's message as JSON. */
  readonly resource: unknown;
}

/** The `--json` object: `clusterId`/`cluster` or `applicationId`/`application` after the noun. */
export function clusterJson(cloud: string, noun: string, view: ClusterView, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    cloud,
    [`${noun}Id`]: view.id,
    name: view.name ?? null,
    status: view.status,
    state: view.state,
    createdAt: rfc3339(view.createdAt),
    ...extra,
    [noun]: view.resource,
  };
}

/** The human card of `get`. */
export function clusterCard(view: ClusterView): string {
  const rows: (readonly [string, string | undefined])[] = [
    ["id", view.id],
    ["name", view.name || undefined],
    ["status", view.status],
    ["state", view.state],
    ["created", rfc3339(view.createdAt) ?? undefined],
    ...view.details,
  ];
  return rows
    .filter((row): row is readonly [string, string] => row[1] !== undefined && row[1] !== "")
    .map(([key, value]) => `${key.padEnd(16)}${value}`)
    .join("\n");
}

/** The `list` table. */
export function clusterTable(idWidth: number): { header: string; row(view: ClusterView): string } {
  const line = (id: string, status: string, state: string, created: string, name: string): string =>
    `${id.padEnd(idWidth)}  ${status.padEnd(14)}${state.padEnd(10)}${created.padEnd(22)}${name}`.trimEnd();
  return {
    header: line("ID", "STATUS", "STATE", "CREATED", "NAME"),
    row: (v) => line(v.id, v.status, v.state, rfc3339(v.createdAt)?.replace(/\.\d+Z$/, "Z") ?? "-", v.name || "-"),
  };
}

/**
 * The short state of a provider's status word: Yandex `RUNNING`, AWS
 * `STARTED` (and `CREATED`, never started, as stopped), MRS `running`,
 * `terminated`, `scaling-out`.
 */
export function clusterState(status: string): ClusterState {
  const s = status.toLowerCase();
  if (s === "started") return "running";
  if (s === "created") return "stopped";
  if (s === "terminating") return "deleting";
  if (s === "terminated") return "deleted";
  if (s === "failed" || s === "abnormal") return "error";
  if (s.startsWith("scaling")) return "updating";
  const known: readonly ClusterState[] = ["creating", "starting", "running", "stopping", "stopped", "updating", "deleting", "error"];
  return (known as readonly string[]).includes(s) ? (s as ClusterState) : "unknown";
}

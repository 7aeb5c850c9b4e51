import type { PollOptions } from "./poll.js";

/**
 * Where a job is in its life, in words that mean the same on every cloud.
 * Each cloud's statuses map onto it through a {@link JobPhaseTable}:
 * `pending` (accepted, not yet running: queued, provisioning, scheduled),
 * `running`, `succeeded`, `failed`, `cancelling`, `cancelled` (killed on
 * request), `unknown` (a status the table does not list, e.g. from a newer
 * server, or none yet). `succeeded`, `failed` and `cancelled` are final.
 *
 * @example
 * ```ts
 * if (jobPhase(await handle.wait()) !== "succeeded") process.exitCode = 1;
 * ```
 */
export type JobPhase = "pending" | "running" | "succeeded" | "failed" | "cancelling" | "cancelled" | "unknown";

/** The phases after which a job never changes again. */
export const finalJobPhases: ReadonlySet<JobPhase> = new Set<JobPhase>(["succeeded", "failed", "cancelled"]);

/**
 * How to wait for a job on any cloud: the shared {@link PollOptions}
 * (`signal`, `timeoutMs`, `initialDelayMs`, `maxDelayMs`, `policy`; each
 * cloud documents its defaults) plus the two things a job operator offers.
 */
export interface JobWaitOptions<J> extends PollOptions {
  /**
   * Called with the job on the first read and whenever its provider status
   * changes (so also once with the final job), on every cloud.
   */
  readonly onStatus?: (job: J) => void;
  /**
   * When the wait ends by its `signal` or its `timeoutMs`, cancel the job
   * first (one cancel call, with a deadline of its own — 30 s — rather
   * than the aborted signal), then reject; a cancel that fails
   * becomes the rejection's `cause`. What Airflow's `cancel_on_kill` and
   * Dagster's `forward_termination` do. Closing the cloud cancels nothing.
   * Default `false`: a wait that ends leaves the job running.
   *
   * @example
   * ```ts
   * // Ctrl-C stops the job too, not just this program
   * await handle.wait({ signal: interrupted, cancelOnAbort: true });
   * ```
   */
  readonly cancelOnAbort?: boolean;
}

/**
 * What a handle's `ref` is: a plain JSON object naming the cloud and the
 * ids, which that cloud's handle function takes back (`jobHandle(cloud,
 * JobService, ref)`, `jobRunHandle(cloud, ref)`, `mrsJobHandle(cloud, ref)`),
 * so a wait can resume after a process restart.
 */
export interface JobRefBase {
  readonly cloud: string;
}

/** A console, dashboard or log page of a job. */
export interface JobLink {
  /** What the page shows, e.g. `"dashboard"`. */
  readonly kind: string;
  readonly url: string;
}

/**
 * One job on any cloud, so that code which submits, waits and cancels is
 * written once. Each cloud's handle (`SubmittedJob` and `jobHandle`,
 * `JobRunHandle`, `MrsJobHandle`) is a `JobHandle` of its job message;
 * tell the outcome with {@link jobPhase}.
 *
 * @example
 * ```ts
 * async function runToEnd<J>(handle: JobHandle<J>, signal: AbortSignal): Promise<J> {
 *   const job = await handle.wait({ signal, cancelOnAbort: true, onStatus: (j) => console.error(jobPhase(j)) });
 *   return job;
 * }
 * ```
 */
export interface JobHandle<J> {
  /** The job's id on its cloud (a Data Proc or Managed Spark job id, an EMR job run id, an MRS job execution id). */
  readonly id: string;
  /** Plain JSON (cloud and ids) the cloud's handle function takes back. */
  readonly ref: JobRefBase;
  /** Reads the job once. */
  get(options?: { signal?: AbortSignal }): Promise<J>;
  /**
   * Polls until the job's phase is final and resolves with it whatever the
   * outcome (check it with {@link jobPhase}); rejects only when the wait
   * itself ends: abort, timeout, close, a failed read.
   */
  wait(options?: JobWaitOptions<J>): Promise<J>;
  /** Asks the cloud to stop the job; a later `wait()` ends with it `cancelled`. */
  cancel(options?: { signal?: AbortSignal }): Promise<void>;
  /** The job's output, where the cloud has a log API (Data Proc and Managed Spark). */
  logs?(options?: { signal?: AbortSignal }): AsyncIterable<string>;
  /** Console, dashboard or log URLs the cloud offers for this job (EMR Serverless: its Spark UI dashboard). */
  links?(options?: { signal?: AbortSignal }): Promise<readonly JobLink[]>;
}

/**
 * How one job message's provider status maps onto {@link JobPhase}: plain
 * data, one table per provider folder, keyed there by the message's
 * `$typeName`. `fields` names the message fields that make the status; a
 * job's key is their values joined with `/`, and the longest key found in
 * `phases` wins (so MRS `FINISHED/SUCCEEDED` is more precise than
 * `FINISHED`). A status missing from `phases` is `unknown`.
 *
 * @example
 * ```ts
 * const mrs: JobPhaseTable = { fields: ["jobState", "jobResult"], phases: { RUNNING: "running", "FINISHED/SUCCEEDED": "succeeded" } };
 * ```
 */
export interface JobPhaseTable {
  readonly fields: readonly string[];
  readonly phases: Readonly<Record<string, JobPhase>>;
}

/** Phase tables keyed by the job message's `$typeName`. */
export type JobPhaseTables = Readonly<Record<string, JobPhaseTable>>;

/**
 * The status key of `job` under `table`: the values of its `fields` joined
 * with `/` (a field the message lacks ends the key). Used both to look the
 * phase up and to tell a status change (`onStatus`).
 *
 * @internal
 */
export function statusKey(table: JobPhaseTable, job: object): string {
  const parts: string[] = [];
  for (const field of table.fields) {
    const value = (job as Record<string, unknown>)[field];
    if (value === undefined || value === null) break;
    parts.push(String(value));
  }
  return parts.join("/");
}

/**
 * The phase of `job` under `tables`: its table by `$typeName`, then the
 * longest prefix of its status key listed there. Unknown message types and
 * statuses are `unknown`.
 *
 * @internal
 */
export function phaseFromTables(tables: JobPhaseTables, job: { readonly $typeName: string }): JobPhase {
  const table = Object.hasOwn(tables, job.$typeName) ? tables[job.$typeName] : undefined;
  if (!table) return "unknown";
  const parts = statusKey(table, job).split("/");
  for (let n = parts.length; n > 0; n--) {
    const key = parts.slice(0, n).join("/");
    if (Object.hasOwn(table.phases, key)) return table.phases[key]!;
  }
  return "unknown";
}

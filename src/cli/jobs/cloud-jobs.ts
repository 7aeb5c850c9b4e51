/**
 * What a cloud contributes to the job commands: how to submit from its
 * flags, how to find a job by id, how to list, how to show its jobs, and
 * whether it has logs. Everything else — waiting with progress, the exit
 * codes, the Ctrl-C hint, `--json`, cancelling an ended job — is written
 * once in run-job-command.ts over the cloud-neutral {@link JobHandle}.
 *
 * @example
 * ```ts
 * const jobs = await openAwsJobs(context); // reads --region, --application-id, …
 * return runJobCommand(jobs, context);
 * ```
 *
 * @module
 */
import type { JobHandle } from "../../core/job-model.js";
import type { Flags } from "../args.js";
import type { JobView } from "./job-view.js";

/** One cloud's jobs, opened from a command line's flags (the cloud is built, nothing sent yet). */
export interface CloudJobs<J> {
  /** `yandex`, `aws`, `huawei`: the JSON's `cloud`. */
  readonly cloud: string;
  /** How people call one: `job`, `job run`. */
  readonly noun: string;
  /** Width of the id column of `list`. */
  readonly idWidth: number;
  /** Builds the spec from the flags of `submit <kind>` and submits it. */
  submit(kind: string, flags: Flags, signal: AbortSignal): Promise<JobHandle<J>>;
  /** More `--json` fields of a submit (e.g. Yandex's `operationId`). */
  submitted?(handle: JobHandle<J>): Readonly<Record<string, unknown>>;
  /** The handle of an existing job. */
  handle(id: string): JobHandle<J>;
  /** Cancels with this cloud's cancel flags (e.g. AWS `--shutdown-grace-period`); default `handle.cancel`. */
  cancel?(handle: JobHandle<J>, flags: Flags, signal: AbortSignal): Promise<Readonly<Record<string, unknown>> | void>;
  /** The jobs `list` prints, with its flags applied (filters, order, limit). */
  list(flags: Flags, signal: AbortSignal): AsyncIterable<JobView>;
  /** How to show a job. */
  view(job: J): JobView;
  /** The job's log, where the cloud has a log API; otherwise what to run instead. */
  readonly logs: ((handle: JobHandle<J>, follow: boolean, signal: AbortSignal) => AsyncIterable<string>) | { readonly instead: string };
  /** Flags that select this cloud and job scope again, as shell words (for the Ctrl-C cancel hint). */
  readonly selector: string;
  close(): void;
}

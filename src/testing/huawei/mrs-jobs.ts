import { Code } from "@connectrpc/connect";
import { rpcError } from "../errors.js";
import { resourceId } from "../ids.js";
import { JobRecord, JobStatus, JobStore, timingFromProperties } from "../jobs.js";
import type { JobState, JobTiming } from "../jobs.js";

/** What a submitted MRS job keeps besides its schedule. */
export interface MrsJobSpec {
  readonly jobType: string;
  readonly jobName: string;
  readonly arguments: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly user: string;
}

/** A job's v2 view: YARN-style `job_state` and `job_result`. */
export interface MrsJobView {
  readonly jobState: "NEW" | "NEW_SAVING" | "SUBMITTED" | "ACCEPTED" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED";
  readonly jobResult: "UNDEFINED" | "SUCCEEDED" | "FAILED" | "KILLED";
  readonly progress: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly terminal: boolean;
}

/**
 * Maps the emulator's derived job state onto MRS v2: PROVISIONING →
 * SUBMITTED, PENDING → ACCEPTED, RUNNING and CANCELLING (a kill in flight) →
 * RUNNING, DONE → FINISHED/SUCCEEDED, ERROR → FAILED/FAILED, CANCELLED →
 * KILLED/KILLED. `job_result` stays UNDEFINED until the job ends.
 */
export function mrsView(state: JobState, timing: JobTiming, now: number): MrsJobView {
  const base = { terminal: state.terminal, ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }), ...(state.finishedAt === undefined ? {} : { finishedAt: state.finishedAt }) };
  switch (state.status) {
    case JobStatus.PROVISIONING:
      return { ...base, jobState: "SUBMITTED", jobResult: "UNDEFINED", progress: 0 };
    case JobStatus.PENDING:
      return { ...base, jobState: "ACCEPTED", jobResult: "UNDEFINED", progress: 0 };
    case JobStatus.RUNNING:
    case JobStatus.CANCELLING: {
      const ran = state.startedAt === undefined ? 0 : now - state.startedAt;
      const progress = timing.runningMs === 0 ? 100 : Math.min(99, Math.floor((ran / timing.runningMs) * 100));
      return { ...base, jobState: "RUNNING", jobResult: "UNDEFINED", progress };
    }
    case JobStatus.DONE:
      return { ...base, jobState: "FINISHED", jobResult: "SUCCEEDED", progress: 100 };
    case JobStatus.ERROR:
      return { ...base, jobState: "FAILED", jobResult: "FAILED", progress: 100 };
    default:
      return { ...base, jobState: "KILLED", jobResult: "KILLED", progress: 100 };
  }
}

/** Options of {@link MrsJobs}. */
export interface MrsJobsOptions {
  /** The project id the emulator's MRS face answers for. */
  readonly projectId: string;
  /** Cluster ids jobs may be submitted to. */
  readonly clusters: readonly string[];
  /** Default schedule; per job `properties["emulator.duration_ms"]` and `["emulator.outcome"]` override it. */
  readonly timing: JobTiming;
  /** Time a kill takes to land (default: `timing.cancellingMs`). */
  readonly killMs?: number;
}

/**
 * The MRS jobs of an emulator: one store that v1.1 cancel and every v2
 * method read and write, so a job submitted through v2 can be cancelled
 * through v1.1 and seen KILLED in v2. State is derived from the clock (no
 * timers): a `ManualClock` drives it.
 */
export class MrsJobs {
  readonly projectId: string;
  readonly clusters: ReadonlySet<string>;
  readonly #timing: JobTiming;
  readonly #store = new JobStore<MrsJobSpec>();
  readonly #deleted = new Set<string>();

  constructor(options: MrsJobsOptions) {
    this.projectId = options.projectId;
    this.clusters = new Set(options.clusters);
    this.#timing = { ...options.timing, cancellingMs: options.killMs ?? options.timing.cancellingMs };
  }

  /** NOT_FOUND unless `projectId` and `clusterId` are the emulator's. */
  checkScope(projectId: string, clusterId?: string): void {
    if (projectId !== this.projectId) throw rpcError(Code.NotFound, `project ${projectId} not found`);
    if (clusterId !== undefined && !this.clusters.has(clusterId)) throw rpcError(Code.NotFound, `cluster ${clusterId} not found`);
  }

  /** Adds a job; scripted timing comes from `emulator.*` properties. */
  submit(clusterId: string, spec: MrsJobSpec, now: number): JobRecord<MrsJobSpec> {
    const timing = timingFromProperties(spec.properties, this.#timing, "properties");
    const job = new JobRecord<MrsJobSpec>({ id: uuid(), clusterId, name: spec.jobName, createdAt: now, timing, template: spec });
    this.#store.add(job);
    return job;
  }

  /** The job, or NOT_FOUND. */
  get(clusterId: string, jobId: string): JobRecord<MrsJobSpec> {
    if (this.#deleted.has(jobId)) throw rpcError(Code.NotFound, `job ${jobId} not found in cluster ${clusterId}`);
    return this.#store.get(clusterId, jobId);
  }

  /** A job by id in any cluster of the project (v1.1 paths carry no cluster id). */
  find(jobId: string): JobRecord<MrsJobSpec> {
    for (const clusterId of this.clusters) {
      try {
        return this.get(clusterId, jobId);
      } catch {
        // not in this cluster
      }
    }
    throw rpcError(Code.NotFound, `job execution ${jobId} not found`);
  }

  /** Jobs of a cluster, newest first (MRS sorts by submit time, desc by default). */
  list(clusterId: string): JobRecord<MrsJobSpec>[] {
    return this.#store.list(clusterId).filter((job) => !this.#deleted.has(job.id));
  }

  /** Removes jobs; unknown ids are NOT_FOUND and nothing is removed. */
  delete(clusterId: string, jobIds: readonly string[]): void {
    for (const id of jobIds) this.get(clusterId, id);
    for (const id of jobIds) this.#deleted.add(id);
  }
}

/** MRS job ids are UUIDs (`44b37a20-ffe8-42b1-b42b-78a5978d7e40`). */
function uuid(): string {
  const c = globalThis.crypto as { randomUUID?: () => string } | undefined;
  return c?.randomUUID ? c.randomUUID() : resourceId("job");
}

import { Code } from "@connectrpc/connect";
import { emulatorOutcome } from "./outcome.js";
import { rpcError } from "./errors.js";
import { JobLog } from "./log.js";
import { jobStatusTable } from "../yandex/jobs/status.js";

/**
 * Job status numbers, identical in `dataproc.v1.Job.Status` and
 * `spark.v1.Job.Status`, so one job model serves both services. Read from
 * the package's one status table (src/jobs/status.ts).
 */
export const JobStatus = {
  PROVISIONING: jobStatusTable.PROVISIONING.value,
  PENDING: jobStatusTable.PENDING.value,
  RUNNING: jobStatusTable.RUNNING.value,
  ERROR: jobStatusTable.ERROR.value,
  DONE: jobStatusTable.DONE.value,
  CANCELLED: jobStatusTable.CANCELLED.value,
  CANCELLING: jobStatusTable.CANCELLING.value,
} as const;

/** One of the {@link JobStatus} values. */
export type JobStatusValue = (typeof JobStatus)[keyof typeof JobStatus];

/** How a job ends when nobody cancels it. */
export type JobOutcome = "done" | "error";

/**
 * A job's schedule, in emulator-clock milliseconds. The defaults add up to
 * about 3 s (300 + 200 + 2500) so that a real-time demo shows every phase.
 * `runningMs`, `outcome` and `logBytes` can be overridden per job through
 * the spec's `properties`: `emulator.duration_ms`, `emulator.outcome`,
 * `emulator.log_bytes`.
 *
 * @example
 * ```ts
 * startEmulator({ jobTiming: { provisioningMs: 0, pendingMs: 0, runningMs: 100 } });
 * ```
 */
export interface JobTiming {
  /** PROVISIONING phase (default 300). */
  readonly provisioningMs: number;
  /** PENDING phase (default 200). */
  readonly pendingMs: number;
  /** RUNNING phase (default 2500; `emulator.duration_ms`). */
  readonly runningMs: number;
  /** CANCELLING phase after a cancel request (default 500). */
  readonly cancellingMs: number;
  /** Final outcome (default `done`; `emulator.outcome`). */
  readonly outcome: JobOutcome;
  /** Log size written over the RUNNING phase (default 8 KiB; `emulator.log_bytes`). */
  readonly logBytes: number;
}

/** The default {@link JobTiming}. */
export const defaultJobTiming: JobTiming = {
  provisioningMs: 300,
  pendingMs: 200,
  runningMs: 2500,
  cancellingMs: 500,
  outcome: "done",
  logBytes: 8192,
};

const maxDurationMs = 7 * 24 * 3600 * 1000;
const maxLogBytes = 64 * 1024 * 1024;

/**
 * Reads the `emulator.*` properties of a job spec into a timing. A bad value
 * is an INVALID_ARGUMENT naming the property, e.g.
 * `spark_job.properties["emulator.outcome"]: must be "done" or "error"`.
 */
export function timingFromProperties(
  properties: Readonly<Record<string, string>>,
  defaults: JobTiming,
  fieldPath: string,
): JobTiming {
  const path = (key: string): string => `${fieldPath}.properties[${JSON.stringify(key)}]`;
  const integer = (key: string, max: number): number | undefined => {
    const raw = properties[key];
    if (raw === undefined) return undefined;
    if (!/^\d{1,12}$/.test(raw) || Number(raw) > max) {
      throw rpcError(Code.InvalidArgument, `${path(key)}: must be an integer from 0 to ${max}`);
    }
    return Number(raw);
  };
  const runningMs = integer("emulator.duration_ms", maxDurationMs) ?? defaults.runningMs;
  const logBytes = integer("emulator.log_bytes", maxLogBytes) ?? defaults.logBytes;
  // One meaning on every face (outcome.ts): done/success/succeeded, error/failed.
  let outcome;
  try {
    outcome = emulatorOutcome(properties["emulator.outcome"]);
  } catch (error) {
    throw rpcError(Code.InvalidArgument, `${path("emulator.outcome")}: ${(error as Error).message}`);
  }
  return { ...defaults, runningMs, logBytes, outcome: outcome === undefined ? defaults.outcome : outcome === "succeeded" ? "done" : "error" };
}

/** A job's state at one instant. Timestamps are emulator-clock ms. */
export interface JobState {
  readonly status: JobStatusValue;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** True for DONE, ERROR and CANCELLED. */
  readonly terminal: boolean;
}

/**
 * A job of either service. Its status is never stored: it is derived from
 * the clock, the creation time, the schedule and the cancel request time, so
 * there are no timers and a manual clock needs no ticking.
 */
export class JobRecord<J> {
  readonly id: string;
  readonly clusterId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly timing: JobTiming;
  /** The job message with its spec and request-derived fields; status fields are filled at read time. */
  readonly template: J;
  readonly log: JobLog;
  #cancelAt: number | undefined;

  constructor(init: { id: string; clusterId: string; name: string; createdAt: number; timing: JobTiming; template: J }) {
    this.id = init.id;
    this.clusterId = init.clusterId;
    this.name = init.name;
    this.createdAt = init.createdAt;
    this.timing = init.timing;
    this.template = init.template;
    this.log = new JobLog(init.id, init.timing.logBytes, this.#runStart);
  }

  /** When the cancel request was accepted, if one was. */
  get cancelRequestedAt(): number | undefined {
    return this.#cancelAt;
  }

  get #runStart(): number {
    return this.createdAt + this.timing.provisioningMs + this.timing.pendingMs;
  }

  get #naturalEnd(): number {
    return this.#runStart + this.timing.runningMs;
  }

  /** The state at `now`. */
  stateAt(now: number): JobState {
    const runStart = this.#runStart;
    const cancelAt = this.#cancelAt;
    if (cancelAt !== undefined && now >= cancelAt) {
      const started = runStart <= cancelAt ? { startedAt: runStart } : {};
      const cancelEnd = cancelAt + this.timing.cancellingMs;
      if (now >= cancelEnd) return { status: JobStatus.CANCELLED, ...started, finishedAt: cancelEnd, terminal: true };
      return { status: JobStatus.CANCELLING, ...started, terminal: false };
    }
    if (now < this.createdAt + this.timing.provisioningMs) return { status: JobStatus.PROVISIONING, terminal: false };
    if (now < runStart) return { status: JobStatus.PENDING, terminal: false };
    const end = this.#naturalEnd;
    if (now < end) return { status: JobStatus.RUNNING, startedAt: runStart, terminal: false };
    const status = this.timing.outcome === "done" ? JobStatus.DONE : JobStatus.ERROR;
    return { status, startedAt: runStart, finishedAt: end, terminal: true };
  }

  /**
   * Records a cancel request at `now`. Returns false (and changes nothing)
   * when the job is already terminal; a second request while CANCELLING
   * keeps the first one's schedule.
   */
  cancel(now: number): boolean {
    const state = this.stateAt(now);
    if (state.terminal) return false;
    if (this.#cancelAt === undefined) this.#cancelAt = now;
    return true;
  }

  /** Bytes of log readable at `now`; the log stops growing when the job stops running. */
  logLengthAt(now: number): number {
    const stop = Math.min(now, this.#naturalEnd, this.#cancelAt ?? Infinity);
    const runStart = this.#runStart;
    if (stop < runStart) return 0;
    const fraction = this.timing.runningMs === 0 ? 1 : (stop - runStart) / this.timing.runningMs;
    return this.log.visibleLength(fraction);
  }
}

/** The jobs of one service, by cluster, in creation order. */
export class JobStore<J> {
  readonly #byId = new Map<string, JobRecord<J>>();
  readonly #byCluster = new Map<string, JobRecord<J>[]>();

  add(job: JobRecord<J>): void {
    this.#byId.set(job.id, job);
    let list = this.#byCluster.get(job.clusterId);
    if (list === undefined) this.#byCluster.set(job.clusterId, (list = []));
    list.push(job);
  }

  /** The job, or NOT_FOUND if it does not exist in that cluster. */
  get(clusterId: string, jobId: string): JobRecord<J> {
    const job = this.#byId.get(jobId);
    if (job === undefined || job.clusterId !== clusterId) {
      throw rpcError(Code.NotFound, `job ${jobId} not found in cluster ${clusterId}`);
    }
    return job;
  }

  /** Jobs of a cluster, oldest first (a stable order for paging). */
  list(clusterId: string): readonly JobRecord<J>[] {
    return this.#byCluster.get(clusterId) ?? [];
  }
}

import { Code } from "@connectrpc/connect";
import { rpcError } from "./errors.js";

/**
 * Lifecycle statuses a cluster passes through, by the names both Yandex
 * services give them (their numbers differ: Data Proc's STOPPED is 5, Managed
 * Spark's is 6, so the store keeps names and each service maps them with its
 * own enum).
 */
export type ClusterStatusName = "CREATING" | "RUNNING" | "STOPPING" | "STOPPED" | "STARTING";

/**
 * How long each transition takes, in milliseconds of the emulator's clock
 * (a `ManualClock` in tests, so a test scripts it with `advance`).
 */
export interface ClusterTiming {
  readonly createMs: number;
  readonly startMs: number;
  readonly stopMs: number;
  readonly deleteMs: number;
}

export const defaultClusterTiming: ClusterTiming = { createMs: 5_000, startMs: 3_000, stopMs: 2_000, deleteMs: 2_000 };

/** One step of a cluster's timeline: from `at` on, the cluster is `status`. */
interface Step {
  readonly at: number;
  readonly status: ClusterStatusName;
}

/**
 * One cluster. Like a job, its status is derived at read time from a
 * timeline (`statusAt(now)`), so nothing needs a timer and a ManualClock
 * drives every transition.
 *
 * @example
 * ```ts
 * const c = new ClusterRecord({ id, folderId, name, createdAt: 0, owner: undefined, running: true });
 * c.stop(1_000, 2_000); // STOPPING until 3 000, then STOPPED
 * c.statusAt(2_999);     // "STOPPING"
 * ```
 */
export class ClusterRecord<T = unknown> {
  readonly id: string;
  readonly folderId: string;
  /** Changed by an Update whose mask names `name`. */
  name: string;
  readonly createdAt: number;
  /**
   * The proto package of the service that created it (e.g.
   * `yandex.cloud.spark.v1`), whose own Cluster message `details` is;
   * `undefined` for clusters given at start, which both packages' job and
   * cluster services know.
   */
  readonly owner: string | undefined;
  /** The owner's Cluster message as created (status aside), updated by Update. */
  details: T | undefined;
  readonly #steps: Step[];
  /** When a Delete was accepted; the cluster is gone from then on. */
  deletedAt: number | undefined;

  constructor(init: { id: string; folderId: string; name: string; createdAt: number; owner: string | undefined; details?: T; running?: boolean; createMs?: number }) {
    this.id = init.id;
    this.folderId = init.folderId;
    this.name = init.name;
    this.createdAt = init.createdAt;
    this.owner = init.owner;
    this.details = init.details;
    this.#steps = init.running === true
      ? [{ at: init.createdAt, status: "RUNNING" }]
      : [{ at: init.createdAt, status: "CREATING" }, { at: init.createdAt + (init.createMs ?? 0), status: "RUNNING" }];
  }

  statusAt(now: number): ClusterStatusName {
    let status = this.#steps[0]!.status;
    for (const step of this.#steps) if (step.at <= now) status = step.status;
    return status;
  }

  /** When the last scheduled transition completes. */
  get settlesAt(): number {
    return this.#steps[this.#steps.length - 1]!.at;
  }

  /** RUNNING → STOPPING → STOPPED; FAILED_PRECONDITION from any other status. */
  stop(now: number, ms: number): void {
    this.#expect(now, "RUNNING", "stopped");
    this.#steps.push({ at: now, status: "STOPPING" }, { at: now + ms, status: "STOPPED" });
  }

  /** STOPPED → STARTING → RUNNING; FAILED_PRECONDITION from any other status. */
  start(now: number, ms: number): void {
    this.#expect(now, "STOPPED", "started");
    this.#steps.push({ at: now, status: "STARTING" }, { at: now + ms, status: "RUNNING" });
  }

  /** Throws unless the cluster accepts new jobs at `now` (RUNNING). */
  assertRunsJobs(now: number): void {
    const status = this.statusAt(now);
    if (status !== "RUNNING") {
      throw rpcError(Code.FailedPrecondition, `cluster ${this.id} is ${status}; jobs can only be created on a RUNNING cluster`);
    }
  }

  #expect(now: number, wanted: ClusterStatusName, verb: string): void {
    const status = this.statusAt(now);
    if (status !== wanted) {
      throw rpcError(Code.FailedPrecondition, `cluster ${this.id} is ${status} and cannot be ${verb}; it must be ${wanted}`);
    }
  }
}

/**
 * Every cluster of an emulator, whichever service created it: the job
 * services look clusters up here, so a stopped or deleted cluster refuses
 * new jobs whichever API stopped it.
 */
export class ClusterStore<T = unknown> {
  readonly #clusters = new Map<string, ClusterRecord<T>>();
  readonly timing: ClusterTiming;

  constructor(timing: ClusterTiming) {
    this.timing = timing;
  }

  add(cluster: ClusterRecord<T>): void {
    this.#clusters.set(cluster.id, cluster);
  }

  /**
   * The cluster as the services of package `service` see it (their own
   * clusters and those given at start), or NOT_FOUND; a deleted cluster is
   * not found.
   */
  get(id: string, service?: string): ClusterRecord<T> {
    const cluster = this.#clusters.get(id);
    if (cluster === undefined || cluster.deletedAt !== undefined || !visibleTo(cluster, service)) {
      throw rpcError(Code.NotFound, `cluster ${id} not found`);
    }
    return cluster;
  }

  /** The live clusters of a folder that `service` sees, oldest first. */
  list(folderId: string, service: string): ClusterRecord<T>[] {
    return [...this.#clusters.values()].filter((c) => c.deletedAt === undefined && c.folderId === folderId && visibleTo(c, service));
  }

  /** True when a live cluster of `folderId` already has `name`. */
  nameTaken(folderId: string, name: string): boolean {
    return [...this.#clusters.values()].some((c) => c.deletedAt === undefined && c.folderId === folderId && c.name === name);
  }
}

function visibleTo(cluster: ClusterRecord<unknown>, service: string | undefined): boolean {
  return service === undefined || cluster.owner === undefined || cluster.owner === service;
}

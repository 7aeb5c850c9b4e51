import { Code } from "@connectrpc/connect";
import { rpcError } from "../errors.js";

/** The EMR Serverless job-run states, by their wire names. */
export type RunState = "SUBMITTED" | "PENDING" | "SCHEDULED" | "RUNNING" | "SUCCESS" | "FAILED" | "CANCELLING" | "CANCELLED";

/**
 * A run's schedule in emulator-clock ms. Per run, tags override it:
 * `emulator.duration_ms` (RUNNING time), `emulator.outcome` (`success`/`done`/`succeeded` |
 * `failed`/`error`, one meaning on every face: ../outcome.ts).
 */
export interface RunTiming {
  readonly submittedMs: number;
  readonly pendingMs: number;
  readonly scheduledMs: number;
  readonly runningMs: number;
  /** CANCELLING before RUNNING, or when no grace period is given. */
  readonly cancellingMs: number;
  readonly outcome: "success" | "failed";
}

export const defaultRunTiming: RunTiming = {
  submittedMs: 200,
  pendingMs: 300,
  scheduledMs: 500,
  runningMs: 2000,
  cancellingMs: 500,
  outcome: "success",
};

/** Where a run is at a given time. */
export interface RunSnapshot {
  readonly state: RunState;
  /** When it entered `state`. */
  readonly since: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
}

/**
 * One job run: its schedule is fixed at start, its state is computed from
 * the clock on every read, so a ManualClock moves it with no timers.
 */
export class RunRecord {
  readonly createdAt: number;
  readonly timing: RunTiming;
  #cancel: { at: number; endsAt: number } | undefined;

  constructor(
    readonly id: string,
    createdAt: number,
    timing: RunTiming,
  ) {
    this.createdAt = createdAt;
    this.timing = timing;
  }

  #phases(): [RunState, number][] {
    const t = this.timing;
    let at = this.createdAt;
    const out: [RunState, number][] = [["SUBMITTED", at]];
    out.push(["PENDING", (at += t.submittedMs)]);
    out.push(["SCHEDULED", (at += t.pendingMs)]);
    out.push(["RUNNING", (at += t.scheduledMs)]);
    out.push([t.outcome === "failed" ? "FAILED" : "SUCCESS", (at += t.runningMs)]);
    return out;
  }

  /** The state at `now`. */
  at(now: number): RunSnapshot {
    const phases = this.#phases();
    const runningAt = phases[3]![1];
    const cancel = this.#cancel;
    let state: RunState = "SUBMITTED";
    let since = this.createdAt;
    for (const [s, t] of phases) {
      if (cancel && t > cancel.at) break;
      if (now >= t) [state, since] = [s, t];
    }
    if (cancel && now >= cancel.at && !isFinal(state)) {
      [state, since] = now >= cancel.endsAt ? ["CANCELLED", cancel.endsAt] : ["CANCELLING", cancel.at];
    }
    const started = runningAt <= now && (!cancel || runningAt <= cancel.at);
    return { state, since, ...(started ? { startedAt: runningAt } : {}), ...(isFinal(state) ? { endedAt: since } : {}) };
  }

  /**
   * Requests a cancel at `now`: a running run shuts down for the grace
   * period (`0` = at once), an earlier one in `cancellingMs`. A final run
   * cannot be cancelled (ValidationException, as AWS answers).
   */
  cancel(now: number, graceSeconds: number | undefined): void {
    const { state } = this.at(now);
    if (isFinal(state)) throw rpcError(Code.InvalidArgument, `Job run ${this.id} is in ${state} state and cannot be cancelled`);
    if (state === "CANCELLING") return;
    const wait = state === "RUNNING" && graceSeconds !== undefined ? graceSeconds * 1000 : this.timing.cancellingMs;
    this.#cancel = { at: now, endsAt: now + wait };
  }
}

export function isFinal(state: RunState): boolean {
  return state === "SUCCESS" || state === "FAILED" || state === "CANCELLED";
}

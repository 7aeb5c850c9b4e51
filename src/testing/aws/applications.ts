import { Code } from "@connectrpc/connect";
import type { CreateApplicationRequest } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { awsError } from "./errors.js";

/** The EMR Serverless application states, by their wire names. */
export type AppState = "CREATING" | "CREATED" | "STARTING" | "STARTED" | "STOPPING" | "STOPPED" | "TERMINATED";

/**
 * How long an application's transitions take, in emulator-clock ms:
 * CREATING → CREATED, STARTING → STARTED, STOPPING → STOPPED.
 */
export interface ApplicationTiming {
  readonly creatingMs: number;
  readonly startingMs: number;
  readonly stoppingMs: number;
}

export const defaultApplicationTiming: ApplicationTiming = { creatingMs: 1000, startingMs: 2000, stoppingMs: 1000 };

/** What an application was created (or last updated) with, without its token. */
export type ApplicationConfig = Omit<CreateApplicationRequest, "$typeName" | "$unknown" | "clientToken">;

/**
 * One application: its transitions are fixed when an action happens and its
 * state is computed from the clock on every read, so a ManualClock moves it
 * with no timers (as job runs do). Actions refuse what AWS refuses, with the
 * error AWS answers (ValidationException, 400).
 *
 * @example
 * ```ts
 * const app = new ApplicationRecord("00fapp", config, clock.now(), timing, "CREATING");
 * app.start(clock.now() + timing.creatingMs); // CREATED → STARTING → STARTED
 * ```
 */
export class ApplicationRecord {
  readonly createdAt: number;
  #steps: [AppState, number][];
  #config: ApplicationConfig;
  #updatedAt: number;

  constructor(
    readonly id: string,
    config: ApplicationConfig,
    createdAt: number,
    readonly timing: ApplicationTiming,
    initial: "CREATING" | "STARTED",
  ) {
    this.createdAt = createdAt;
    this.#config = config;
    this.#updatedAt = createdAt;
    this.#steps = initial === "CREATING" ? [["CREATING", createdAt], ["CREATED", createdAt + timing.creatingMs]] : [["STARTED", createdAt]];
  }

  get config(): ApplicationConfig {
    return this.#config;
  }

  /** The state at `now` and when it was entered. */
  at(now: number): { state: AppState; since: number } {
    let current = this.#steps[0]!;
    for (const step of this.#steps) if (step[1] <= now) current = step;
    return { state: current[0], since: current[1] };
  }

  /** When the application last changed (a transition or an update). */
  updatedAt(now: number): number {
    return Math.max(this.#updatedAt, this.at(now).since);
  }

  /** Whether a job submitted now should start it first (auto-start is on unless disabled). */
  get autoStarts(): boolean {
    return this.#config.autoStartConfiguration?.enabled !== false;
  }

  /** CREATED or STOPPED → STARTING → STARTED; starting a starting or started application changes nothing. */
  start(now: number): void {
    const { state } = this.at(now);
    if (state === "STARTING" || state === "STARTED") return;
    if (state !== "CREATED" && state !== "STOPPED") this.#refuse("started", state);
    this.#go(now, ["STARTING", now], ["STARTED", now + this.timing.startingMs]);
  }

  /** STARTING or STARTED → STOPPING → STOPPED; stopping a stopped or created application changes nothing. */
  stop(now: number): void {
    const { state } = this.at(now);
    if (state === "STOPPING" || state === "STOPPED" || state === "CREATED") return;
    if (state !== "STARTING" && state !== "STARTED") this.#refuse("stopped", state);
    this.#go(now, ["STOPPING", now], ["STOPPED", now + this.timing.stoppingMs]);
  }

  /** Replaces the configuration: only while CREATED or STOPPED, as AWS allows. */
  update(now: number, config: ApplicationConfig): void {
    const { state } = this.at(now);
    if (state !== "CREATED" && state !== "STOPPED") this.#refuse("updated", state);
    this.#config = config;
    this.#updatedAt = now;
  }

  /** CREATED or STOPPED → TERMINATED. */
  terminate(now: number): void {
    const { state } = this.at(now);
    if (state !== "CREATED" && state !== "STOPPED") this.#refuse("deleted", state);
    this.#go(now, ["TERMINATED", now]);
  }

  #go(now: number, ...next: [AppState, number][]): void {
    this.#steps = [...this.#steps.filter(([, at]) => at <= now), ...next];
  }

  #refuse(action: string, state: AppState): never {
    throw awsError(Code.InvalidArgument, "ValidationException", `Application ${this.id} is in ${state} state and cannot be ${action}`);
  }
}

/** A fresh id in the shape EMR Serverless uses (16 lowercase letters and digits, `00f…`). */
export function emrId(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  const bytes = crypto.getRandomValues(new Uint8Array(13));
  return `00f${Array.from(bytes, (b) => alphabet[b % 36]).join("")}`;
}

/**
 * The applications of one emulated account and region: the ready one the
 * emulator starts with, those CreateApplication adds, and the clientTokens
 * they were created with (a repeated token returns the same application).
 */
export class Applications {
  readonly #byId = new Map<string, ApplicationRecord>();
  readonly #byToken = new Map<string, { app: ApplicationRecord; config: ApplicationConfig }>();

  constructor(readonly timing: ApplicationTiming) {}

  /** Adds an application; `STARTED` for the emulator's ready one, else it is CREATING. */
  add(app: ApplicationRecord): ApplicationRecord {
    this.#byId.set(app.id, app);
    return app;
  }

  /** The application created with `token`, and the configuration it was created with. */
  byToken(token: string): { app: ApplicationRecord; config: ApplicationConfig } | undefined {
    return this.#byToken.get(token);
  }

  /** Creates an application under a clientToken. */
  create(token: string, config: ApplicationConfig, now: number): ApplicationRecord {
    const app = this.add(new ApplicationRecord(emrId(), config, now, this.timing, "CREATING"));
    this.#byToken.set(token, { app, config });
    return app;
  }

  /** An application by id (a terminated one too: GetApplication still shows it), or ResourceNotFoundException. */
  get(id: string): ApplicationRecord {
    const app = this.#byId.get(id);
    if (!app) throw awsError(Code.NotFound, "ResourceNotFoundException", `Application ${id} does not exist`);
    return app;
  }

  /** Every application, newest first. */
  list(): ApplicationRecord[] {
    return [...this.#byId.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  }
}

import { create, equals } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code } from "@connectrpc/connect";
import {
  CreateApplicationRequestSchema,
  EmrServerlessService,
  StartJobRunRequestSchema,
} from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import type { StartJobRunRequest } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { JobRunMode, JobRunSchema, JobRunState, JobRunSummarySchema } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import { emulatorOutcome } from "../outcome.js";
import { unary } from "../pipeline.js";
import type { PipelineDeps } from "../pipeline.js";
import { registerApplicationService } from "./application-service.js";
import { ApplicationRecord, Applications, defaultApplicationTiming } from "./applications.js";
import type { ApplicationTiming } from "./applications.js";
import { awsError } from "./errors.js";
import { isFinal, RunRecord } from "./job-runs.js";
import type { RunTiming } from "./job-runs.js";

/** The emulated AWS account of every ARN. */
export const emulatorAccountId = "123456789012";

/** What the EMR Serverless emulator serves. */
export interface EmrServerlessEnv {
  readonly region: string;
  /** The ready application the emulator starts with (STARTED). */
  readonly applicationId: string;
  readonly timing: RunTiming;
  /** How long applications take to be created, started and stopped. */
  readonly applicationTiming?: Partial<ApplicationTiming>;
  /** The identity runs are created by (an IAM user ARN). */
  readonly createdBy: string;
}

interface Stored {
  readonly record: RunRecord;
  readonly request: StartJobRunRequest;
  readonly applicationId: string;
}

function runId(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  return `00f${Array.from(bytes, (b) => alphabet[b % 36]).join("")}`.slice(0, 16);
}

function timingFor(request: StartJobRunRequest, base: RunTiming): RunTiming {
  const duration = Number(request.tags["emulator.duration_ms"]);
  // One meaning on every face (outcome.ts): success/done/succeeded, failed/error.
  let outcome;
  try {
    outcome = emulatorOutcome(request.tags["emulator.outcome"]);
  } catch (error) {
    throw awsError(Code.InvalidArgument, "ValidationException", `tags["emulator.outcome"]: ${(error as Error).message}`);
  }
  return {
    ...base,
    ...(Number.isFinite(duration) && duration >= 0 && request.tags["emulator.duration_ms"] !== undefined ? { runningMs: duration } : {}),
    ...(outcome === undefined ? {} : { outcome: outcome === "succeeded" ? ("success" as const) : ("failed" as const) }),
  };
}

/**
 * Amazon EMR Serverless applications and job runs over the emulator clock,
 * registered as Connect handlers (faults, validation and the call log come
 * from the shared pipeline; SigV4 is checked by the AWS REST face before a
 * handler runs). Runs go SUBMITTED → PENDING → SCHEDULED → RUNNING →
 * SUCCESS | FAILED, and CANCELLING → CANCELLED; a repeated `clientToken`
 * returns the run it started (the same input) or ConflictException
 * (different input). A run needs its application STARTED or STARTING: a
 * CREATED or STOPPED one is started by the run when auto-start is on (the
 * default) and refuses it with ValidationException when it is off.
 */
export function registerEmrServerless(router: ConnectRouter, deps: PipelineDeps, env: EmrServerlessEnv): void {
  const runs = new Map<string, Stored>();
  const byToken = new Map<string, Stored>();
  const apps = new Applications({ ...defaultApplicationTiming, ...env.applicationTiming });
  apps.add(
    new ApplicationRecord(
      env.applicationId,
      create(CreateApplicationRequestSchema, { name: "emulator", releaseLabel: "emr-7.1.0", type: "Spark" }),
      deps.clock.now(),
      apps.timing,
      "STARTED",
    ),
  );
  registerApplicationService(router, deps, apps, {
    region: env.region,
    accountId: emulatorAccountId,
    activeRuns: (applicationId, now) => [...runs.values()].filter((r) => r.applicationId === applicationId && !isFinal(r.record.at(now).state)).length,
  });
  const arnOf = (run: Stored): string =>
    `arn:aws:emr-serverless:${env.region}:${emulatorAccountId}:/applications/${run.applicationId}/jobruns/${run.record.id}`;
  const application = (id: string): ApplicationRecord => {
    const app = apps.get(id);
    if (app.at(deps.clock.now()).state === "TERMINATED") throw awsError(Code.NotFound, "ResourceNotFoundException", `Application ${id} does not exist`);
    return app;
  };
  const find = (applicationId: string, jobRunId: string): Stored => {
    application(applicationId);
    const run = runs.get(jobRunId);
    if (!run || run.applicationId !== applicationId) throw awsError(Code.NotFound, "ResourceNotFoundException", `Job run ${jobRunId} does not exist`);
    return run;
  };
  /** A run may start when the application is STARTED or STARTING, or starts it when auto-start is on. */
  const admit = (app: ApplicationRecord, now: number): void => {
    const { state } = app.at(now);
    if (state === "STARTED" || state === "STARTING") return;
    if ((state === "CREATED" || state === "STOPPED") && app.autoStarts) {
      app.start(now);
      return;
    }
    const why = state === "CREATED" || state === "STOPPED" ? "; auto-start is disabled, so start the application first" : "";
    throw awsError(Code.InvalidArgument, "ValidationException", `Application ${app.id} is in ${state} state and cannot accept new job runs${why}`);
  };
  const view = (run: Stored, now: number) => {
    const snap = run.record.at(now);
    const r = run.request;
    return {
      snap,
      common: {
        applicationId: run.applicationId,
        name: r.name,
        arn: arnOf(run),
        createdBy: env.createdBy,
        createdAt: timestampFromMs(run.record.createdAt),
        updatedAt: timestampFromMs(snap.since),
        executionRole: r.executionRoleArn,
        state: JobRunState[snap.state],
        stateDetails: snap.state === "FAILED" ? "Job failed (emulated: tag emulator.outcome=failed)" : "",
        releaseLabel: "emr-7.1.0",
        mode: r.mode === JobRunMode.JOB_RUN_MODE_UNSPECIFIED ? JobRunMode.BATCH : r.mode,
        attempt: 1,
        attemptCreatedAt: timestampFromMs(run.record.createdAt),
        attemptUpdatedAt: timestampFromMs(snap.since),
      },
    };
  };
  const m = EmrServerlessService.method;

  router.rpc(
    m.startJobRun,
    unary(deps, m.startJobRun, { public: true }, (request, call) => {
      const app = application(request.applicationId);
      if (request.clientToken === "") throw awsError(Code.InvalidArgument, "ValidationException", "clientToken is required");
      if (request.jobDriver?.driver.case === undefined) throw awsError(Code.InvalidArgument, "ValidationException", "jobDriver is required");
      const previous = byToken.get(request.clientToken);
      if (previous) {
        if (!equals(StartJobRunRequestSchema, previous.request, request)) {
          throw awsError(Code.AlreadyExists, "ConflictException", `clientToken ${request.clientToken} was used with a different request`);
        }
        return { applicationId: previous.applicationId, jobRunId: previous.record.id, arn: arnOf(previous) };
      }
      admit(app, call.now);
      const id = runId();
      const stored = { record: new RunRecord(id, call.now, timingFor(request, env.timing)), request, applicationId: app.id };
      runs.set(id, stored);
      byToken.set(request.clientToken, stored);
      return { applicationId: app.id, jobRunId: id, arn: arnOf(stored) };
    }),
  );

  router.rpc(
    m.getJobRun,
    unary(deps, m.getJobRun, { public: true }, (request, call) => {
      const run = find(request.applicationId, request.jobRunId);
      if (request.attempt !== undefined && request.attempt !== 1) {
        throw awsError(Code.NotFound, "ResourceNotFoundException", `Attempt ${request.attempt} of job run ${request.jobRunId} does not exist`);
      }
      const { snap, common } = view(run, call.now);
      const r = run.request;
      const jobRun: MessageInitShape<typeof JobRunSchema> = {
        ...common,
        jobRunId: run.record.id,
        configurationOverrides: r.configurationOverrides,
        jobDriver: r.jobDriver,
        tags: r.tags,
        executionTimeoutMinutes: r.executionTimeoutMinutes ?? 720n,
        retryPolicy: r.retryPolicy,
        executionIamPolicy: r.executionIamPolicy,
        ...(snap.startedAt !== undefined ? { startedAt: timestampFromMs(snap.startedAt) } : {}),
        ...(snap.endedAt !== undefined
          ? {
              endedAt: timestampFromMs(snap.endedAt),
              totalExecutionDurationSeconds: Math.round((snap.endedAt - (snap.startedAt ?? snap.endedAt)) / 1000),
              totalResourceUtilization: { vCpuHour: 0.25, memoryGbHour: 1, storageGbHour: 5 },
            }
          : {}),
      };
      return { jobRun: create(JobRunSchema, jobRun) };
    }),
  );

  router.rpc(
    m.listJobRuns,
    unary(deps, m.listJobRuns, { public: true }, (request, call) => {
      application(request.applicationId);
      const after = request.createdAtAfter ? timestampMs(request.createdAtAfter) : -Infinity;
      const before = request.createdAtBefore ? timestampMs(request.createdAtBefore) : Infinity;
      const all = [...runs.values()]
        .filter((run) => run.applicationId === request.applicationId)
        .filter((run) => run.record.createdAt >= after && run.record.createdAt <= before)
        .filter((run) => request.mode === JobRunMode.JOB_RUN_MODE_UNSPECIFIED || (run.request.mode || JobRunMode.BATCH) === request.mode)
        .map((run) => ({ run, ...view(run, call.now) }))
        .filter((v) => request.states.length === 0 || request.states.includes(v.common.state))
        .sort((a, b) => b.run.record.createdAt - a.run.record.createdAt || (a.run.record.id < b.run.record.id ? -1 : 1));
      let offset = 0;
      if (request.nextToken !== "") {
        const match = /^o([0-9]+)$/.exec(request.nextToken);
        if (!match) throw awsError(Code.InvalidArgument, "ValidationException", "Invalid nextToken");
        offset = Number(match[1]);
      }
      const size = request.maxResults ?? 50;
      const page = all.slice(offset, offset + size);
      return {
        jobRuns: page.map((v) =>
          create(JobRunSummarySchema, { ...v.common, id: v.run.record.id, type: v.run.request.jobDriver?.driver.case === "hive" ? "Hive" : "Spark" }),
        ),
        nextToken: offset + size < all.length ? `o${offset + size}` : "",
      };
    }),
  );

  router.rpc(
    m.cancelJobRun,
    unary(deps, m.cancelJobRun, { public: true }, (request, call) => {
      const run = find(request.applicationId, request.jobRunId);
      const grace = request.shutdownGracePeriodInSeconds;
      if (grace !== undefined && grace !== 0 && (grace < 15 || grace > 1800)) {
        throw awsError(Code.InvalidArgument, "ValidationException", "shutdownGracePeriodInSeconds must be 0 or between 15 and 1800");
      }
      const state = run.record.at(call.now).state;
      if (!isFinal(state)) run.record.cancel(call.now, grace);
      else if (state !== "CANCELLED") {
        throw awsError(Code.InvalidArgument, "ValidationException", `Job run ${request.jobRunId} is in ${state} state and cannot be cancelled`);
      }
      return { applicationId: run.applicationId, jobRunId: run.record.id };
    }),
  );

  router.rpc(
    m.getDashboardForJobRun,
    unary(deps, m.getDashboardForJobRun, { public: true }, (request) => {
      find(request.applicationId, request.jobRunId);
      return { url: `https://emr-serverless-dashboard.emulator.invalid/applications/${request.applicationId}/jobruns/${request.jobRunId}` };
    }),
  );
}

export { awsError } from "./errors.js";

import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { PagingGuard } from "../../core/paging-guard.js";
import type { JobHandle, JobLink, JobWaitOptions } from "../../core/job-model.js";
import { waitForJobEnd } from "../../core/job-wait.js";
import type { PollOptions } from "../../core/poll.js";
import { localAwsError } from "../errors.js";
import type { Client } from "@connectrpc/connect";
import { EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import type { ListJobRunsRequestSchema, StartJobRunRequestSchema } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { JobRunState } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { JobRun, JobRunSummary } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { AwsCloud } from "../cloud.js";
import { startApplication } from "./application-state.js";
import type { ApplicationWaitOptions } from "./application-state.js";

/** SUCCESS, FAILED and CANCELLED: the run will not change again. */
export function isFinalJobRunState(state: JobRunState): boolean {
  return state === JobRunState.SUCCESS || state === JobRunState.FAILED || state === JobRunState.CANCELLED;
}

/**
 * Options of {@link JobRunHandle.wait}: the cloud-neutral
 * {@link JobWaitOptions} — the shared {@link PollOptions} plus `onStatus`
 * and `cancelOnAbort` — with these defaults on AWS EMR Serverless:
 *
 * | option           | default on AWS                          |
 * | ---------------- | --------------------------------------- |
 * | `initialDelayMs` | 1 s                                     |
 * | `maxDelayMs`     | 30 s (delays grow ×1.5 up to it)        |
 * | `policy`         | `"fixed-cap"`                           |
 * | `timeoutMs`      | none                                    |
 * | `cancelOnAbort`  | `false` (the cancel sends no grace period) |
 * | clock, sleep     | the cloud's (`createAwsCloud({ clock, sleep })`) |
 *
 * @example
 * ```ts
 * // an hour-long run: the growing cap polls about 75 times instead of about 128
 * await run.wait({ policy: "growing-cap", timeoutMs: 2 * 3_600_000 });
 * ```
 */
export interface WaitForJobRunOptions extends JobWaitOptions<JobRun> {}

/** A handle's `ref` on AWS: plain JSON that {@link jobRunHandle} takes back. */
export interface JobRunRef {
  readonly cloud: "aws";
  readonly applicationId: string;
  readonly jobRunId: string;
  /** Empty when unknown. */
  readonly arn: string;
}

/** A started (or looked-up) job run: a cloud-neutral {@link JobHandle} of `JobRun`. */
export interface JobRunHandle extends JobHandle<JobRun> {
  /** The job run id (same as `jobRunId`). */
  readonly id: string;
  readonly ref: JobRunRef;
  readonly applicationId: string;
  readonly jobRunId: string;
  /** Empty for a handle from {@link jobRunHandle} given no arn. */
  readonly arn: string;
  /** The run now. */
  get(options?: { signal?: AbortSignal }): Promise<JobRun>;
  /** Requests a cancel; the run goes CANCELLING, then CANCELLED. */
  cancel(options?: { shutdownGracePeriodInSeconds?: number; signal?: AbortSignal }): Promise<void>;
  /**
   * Polls until SUCCESS, FAILED or CANCELLED (with growing intervals) and
   * resolves with the final run; it does not throw for FAILED, check
   * `state` or `jobPhase`. Rejects on abort or timeout (cancelling the run
   * first with `cancelOnAbort`), and on errors the retry layer gave up on.
   */
  wait(options?: WaitForJobRunOptions): Promise<JobRun>;
  /** The run's Spark UI dashboard (`GetDashboardForJobRun`, a URL valid for a short time), as `{ kind: "dashboard", url }`. */
  links(options?: { signal?: AbortSignal }): Promise<readonly JobLink[]>;
}

/** AWS job run waits start at 1 s and back off to 30 s. @internal */
export const awsJobWaitDefaults = { initialDelayMs: 1_000, maxDelayMs: 30_000 } as const;

const getMethod = "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun";

/**
 * A handle for an existing run: `jobRunHandle(cloud, { applicationId,
 * jobRunId })`, a saved `ref`, or the ids in place. Bad ids fail with
 * INVALID_ARGUMENT naming the field, before any call.
 *
 * @example
 * ```ts
 * const run = jobRunHandle(aws, JSON.parse(savedRef));
 * await run.wait({ cancelOnAbort: true, signal });
 * ```
 */
export function jobRunHandle(cloud: AwsCloud, ref: { readonly applicationId: string; readonly jobRunId: string; readonly arn?: string; readonly cloud?: string }): JobRunHandle;
export function jobRunHandle(cloud: AwsCloud, applicationId: string, jobRunId: string, arn?: string): JobRunHandle;
export function jobRunHandle(
  cloud: AwsCloud,
  refOrApplicationId: string | { readonly applicationId: string; readonly jobRunId: string; readonly arn?: string; readonly cloud?: string },
  positionalJobRunId?: string,
  positionalArn = "",
): JobRunHandle {
  const ref: { readonly applicationId: unknown; readonly jobRunId: unknown; readonly arn?: unknown; readonly cloud?: unknown } =
    typeof refOrApplicationId === "string" ? { applicationId: refOrApplicationId, jobRunId: positionalJobRunId, arn: positionalArn } : refOrApplicationId;
  const refuse = (text: string) => localAwsError(Code.InvalidArgument, `jobRunHandle: ${text}`, { method: "jobRunHandle", attempts: 0 });
  if (ref === null || typeof ref !== "object") throw refuse("ref: expected { applicationId, jobRunId }");
  for (const field of ["applicationId", "jobRunId"] as const) {
    const value: unknown = ref[field];
    if (typeof value !== "string" || value === "") throw refuse(`${field}: expected a non-empty string, got ${JSON.stringify(value) ?? String(value)}`);
  }
  if (ref.cloud !== undefined && ref.cloud !== "aws") throw refuse(`cloud: this ref is of ${JSON.stringify(ref.cloud)}, not "aws"`);
  if (ref.arn !== undefined && typeof ref.arn !== "string") throw refuse("arn: expected a string");
  const applicationId = ref.applicationId as string;
  const jobRunId = ref.jobRunId as string;
  const arn = (ref.arn as string | undefined) ?? "";
  const emr: Client<typeof EmrServerlessService> = cloud.client(EmrServerlessService);
  const get = async (options: { signal?: AbortSignal } = {}): Promise<JobRun> => {
    const { jobRun } = await emr.getJobRun({ applicationId, jobRunId }, { signal: options.signal });
    if (!jobRun) throw localAwsError(Code.Internal, `GetJobRun returned no jobRun for ${jobRunId}`, { method: getMethod });
    return jobRun;
  };
  const cancel = async (options: { shutdownGracePeriodInSeconds?: number; signal?: AbortSignal } = {}): Promise<void> => {
    await emr.cancelJobRun({ applicationId, jobRunId, shutdownGracePeriodInSeconds: options.shutdownGracePeriodInSeconds }, { signal: options.signal });
  };
  return {
    id: jobRunId,
    ref: { cloud: "aws", applicationId, jobRunId, arn },
    applicationId,
    jobRunId,
    arn,
    get,
    cancel,
    wait: (options = {}) =>
      waitForJobEnd<JobRun>(cloud, options, {
        defaults: awsJobWaitDefaults,
        method: getMethod,
        failures: (last) => ({
          timeout: (ms, polls) => {
            const state = last()?.state;
            return localAwsError(Code.DeadlineExceeded, `job run ${jobRunId} is still ${state === undefined ? "unknown" : JobRunState[state]} after ${ms} ms (${polls} polls)`, { method: getMethod, attempts: polls });
          },
          aborted: (reason, polls) =>
            localAwsError(cloud.closeSignal.aborted ? Code.Canceled : abortCode(reason), `wait for job run ${jobRunId}: ${abortText(reason)}`, { method: getMethod, attempts: polls, cause: reason }),
        }),
        read: (signal) => get({ signal }),
        status: (run) => String(run.state),
        isFinal: (run) => isFinalJobRunState(run.state),
        cancel: (signal) => cancel({ signal }),
      }),
    async links(options = {}) {
      const { url } = await emr.getDashboardForJobRun({ applicationId, jobRunId }, { signal: options.signal });
      return url ? [{ kind: "dashboard", url }] : [];
    },
  };
}

/**
 * Starts a job run and returns its handle. The call carries one
 * `clientToken` (yours, or a UUID) on every retry, so it starts one run.
 *
 * With `startApplication: true` (or the wait options to start it with), the
 * application is started first and waited for until STARTED (see
 * `startApplication`): for an application whose auto-start is off, which
 * would refuse the run while CREATED or STOPPED. Default `false`.
 *
 * @example
 * ```ts
 * const run = await startJobRun(aws, {
 *   applicationId, executionRoleArn,
 *   jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://bucket/main.py" } } },
 * });
 * const final = await run.wait({ timeoutMs: 3_600_000, onStatus: (r) => console.log(JobRunState[r.state]) });
 * ```
 */
export async function startJobRun(
  cloud: AwsCloud,
  request: MessageInitShape<typeof StartJobRunRequestSchema>,
  options: { signal?: AbortSignal; startApplication?: boolean | ApplicationWaitOptions } = {},
): Promise<JobRunHandle> {
  const emr = cloud.client(EmrServerlessService);
  const start = options.startApplication;
  if (start !== undefined && typeof start !== "boolean" && (start === null || typeof start !== "object")) {
    throw localAwsError(Code.InvalidArgument, `startJobRun: startApplication: expected true, false or wait options, got ${JSON.stringify(start) ?? typeof start}`, { method: "startJobRun", attempts: 0 });
  }
  if (start !== undefined && start !== false) {
    const applicationId = request.applicationId ?? "";
    await startApplication(cloud, { applicationId }, start === true ? { signal: options.signal } : { signal: options.signal, ...start });
  }
  const started = await emr.startJobRun(request, { signal: options.signal });
  return jobRunHandle(cloud, started.applicationId, started.jobRunId, started.arn);
}

/**
 * Every job run matching `request`, newest first, fetching pages lazily
 * (`nextToken`) as the loop asks for more. Break out early to stop paging.
 * A `nextToken` the service already returned in this listing ends it with
 * INTERNAL instead of paging forever (see `PagingGuard`).
 *
 * @example
 * ```ts
 * for await (const run of listJobRuns(aws, { applicationId, states: [JobRunState.RUNNING] })) console.log(run.id);
 * ```
 */
export async function* listJobRuns(
  cloud: AwsCloud,
  request: MessageInitShape<typeof ListJobRunsRequestSchema>,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<JobRunSummary, void, undefined> {
  const emr = cloud.client(EmrServerlessService);
  const guard = new PagingGuard(`ListJobRuns of application ${request.applicationId ?? ""}`, (message) =>
    localAwsError(Code.Internal, message, { method: "/aws.emr_serverless.v1.EmrServerlessService/ListJobRuns" }),
  );
  let nextToken = request.nextToken ?? "";
  guard.start(nextToken);
  do {
    const page = await emr.listJobRuns({ ...request, nextToken }, { signal: options.signal });
    yield* page.jobRuns;
    nextToken = page.nextToken;
    if (nextToken !== "") guard.nextPage(nextToken);
  } while (nextToken !== "");
}

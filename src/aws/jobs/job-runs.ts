import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { PagingGuard } from "../../core/paging-guard.js";
import { Poller } from "../../core/poll.js";
import type { PollOptions } from "../../core/poll.js";
import { localAwsError } from "../errors.js";
import type { Client } from "@connectrpc/connect";
import { EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import type { ListJobRunsRequestSchema, StartJobRunRequestSchema } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { JobRunState } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { JobRun, JobRunSummary } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { AwsCloud } from "../cloud.js";

/** SUCCESS, FAILED and CANCELLED: the run will not change again. */
export function isFinalJobRunState(state: JobRunState): boolean {
  return state === JobRunState.SUCCESS || state === JobRunState.FAILED || state === JobRunState.CANCELLED;
}

/**
 * Options of {@link JobRunHandle.wait}: the shared {@link PollOptions} of
 * every waiting helper (`signal`, `timeoutMs`, `initialDelayMs` default 1 s,
 * `maxDelayMs` default 30 s, `policy`) plus a status callback.
 *
 * @example
 * ```ts
 * // an hour-long run: the growing cap polls about 75 times instead of about 128
 * await run.wait({ policy: "growing-cap", timeoutMs: 2 * 3_600_000 });
 * ```
 */
export interface WaitForJobRunOptions extends PollOptions {
  /** Called with the run whenever its state changes (and once at the start). */
  readonly onStatus?: (jobRun: JobRun) => void;
}

/** A started (or looked-up) job run. */
export interface JobRunHandle {
  readonly applicationId: string;
  readonly jobRunId: string;
  /** Empty for a handle from {@link jobRunHandle}. */
  readonly arn: string;
  /** The run now. */
  get(options?: { signal?: AbortSignal }): Promise<JobRun>;
  /** Requests a cancel; the run goes CANCELLING, then CANCELLED. */
  cancel(options?: { shutdownGracePeriodInSeconds?: number; signal?: AbortSignal }): Promise<void>;
  /**
   * Polls until SUCCESS, FAILED or CANCELLED (with growing intervals) and
   * resolves with the final run; it does not throw for FAILED, check
   * `state`. Rejects on abort or timeout, and on errors the retry layer
   * gave up on.
   */
  wait(options?: WaitForJobRunOptions): Promise<JobRun>;
}

/** A handle for an existing run. */
export function jobRunHandle(cloud: AwsCloud, applicationId: string, jobRunId: string, arn = ""): JobRunHandle {
  const emr: Client<typeof EmrServerlessService> = cloud.client(EmrServerlessService);
  const get = async (options: { signal?: AbortSignal } = {}): Promise<JobRun> => {
    const { jobRun } = await emr.getJobRun({ applicationId, jobRunId }, { signal: options.signal });
    if (!jobRun) throw localAwsError(Code.Internal, `GetJobRun returned no jobRun for ${jobRunId}`, { method: "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun" });
    return jobRun;
  };
  return {
    applicationId,
    jobRunId,
    arn,
    get,
    async cancel(options = {}) {
      await emr.cancelJobRun(
        { applicationId, jobRunId, shutdownGracePeriodInSeconds: options.shutdownGracePeriodInSeconds },
        { signal: options.signal },
      );
    },
    async wait(options = {}) {
      const method = "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun";
      const poller = new Poller(
        { clock: cloud.clock, sleep: cloud.sleep },
        {
          ...options,
          initialDelayMs: options.initialDelayMs,
          maxDelayMs: options.maxDelayMs,
        },
        { initialDelayMs: 1_000, maxDelayMs: 30_000 },
        {
          timeout: (ms, polls) =>
            localAwsError(Code.DeadlineExceeded, `job run ${jobRunId} is still ${last === undefined ? "unknown" : JobRunState[last]} after ${ms} ms (${polls} polls)`, { method, attempts: polls }),
          aborted: (reason, polls) =>
            localAwsError(cloud.closeSignal.aborted ? Code.Canceled : abortCode(reason), `wait for job run ${jobRunId}: ${abortText(reason)}`, { method, attempts: polls, cause: reason }),
        },
      );
      let last: JobRunState | undefined;
      for (;;) {
        poller.checkAborted();
        const run = await get({ signal: options.signal });
        if (run.state !== last) {
          last = run.state;
          options.onStatus?.(run);
        }
        if (isFinalJobRunState(run.state)) return run;
        await poller.pause();
      }
    },
  };
}

/**
 * Starts a job run and returns its handle. The call carries one
 * `clientToken` (yours, or a UUID) on every retry, so it starts one run.
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
  options: { signal?: AbortSignal } = {},
): Promise<JobRunHandle> {
  const emr = cloud.client(EmrServerlessService);
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

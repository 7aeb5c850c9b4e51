import { Code } from "@connectrpc/connect";
import { nameArgument, pickByName } from "../../core/find-by-name.js";
import { PagingGuard } from "../../core/paging-guard.js";
import { EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { ApplicationState } from "../../../gen/aws/emr_serverless/v1/application_pb.js";
import type { Application, ApplicationSummary } from "../../../gen/aws/emr_serverless/v1/application_pb.js";
import { JobRunState } from "../../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { AwsCloud } from "../cloud.js";
import { localAwsError } from "../errors.js";
import { applicationIdOf, driveApplication } from "./application-state.js";
import type { ApplicationWaitOptions } from "./application-state.js";
import { jobRunHandle, listJobRuns } from "./job-runs.js";

const listMethod = "/aws.emr_serverless.v1.EmrServerlessService/ListApplications";

/** Every state but TERMINATED: a deleted application's name is free again, so it is no candidate. */
const liveStates = [
  ApplicationState.CREATING,
  ApplicationState.CREATED,
  ApplicationState.STARTING,
  ApplicationState.STARTED,
  ApplicationState.STOPPING,
  ApplicationState.STOPPED,
];

/**
 * The EMR Serverless application named `name` (not TERMINATED). The API
 * has no name filter, so every page of `ListApplications` is read (50 a
 * page) under the paging guard. NOT_FOUND when none has the name;
 * FAILED_PRECONDITION naming the ids when several do (EMR Serverless
 * allows duplicate names: pass the id of the one you mean). Errors are
 * {@link AwsError}s.
 *
 * @example
 * ```ts
 * const app = await findApplicationByName(aws, "nightly-etl");
 * await startJobRun(aws, { applicationId: app.id, executionRoleArn, jobDriver }, { startApplication: true });
 * ```
 */
export async function findApplicationByName(cloud: AwsCloud, name: string, options: { signal?: AbortSignal } = {}): Promise<ApplicationSummary> {
  nameArgument(name, "name", (text) => localAwsError(Code.InvalidArgument, `findApplicationByName: ${text}`, { method: listMethod, attempts: 0 }));
  const emr = cloud.client(EmrServerlessService);
  const guard = new PagingGuard("ListApplications", (message) => localAwsError(Code.Internal, message, { method: listMethod }));
  const found: ApplicationSummary[] = [];
  let nextToken = "";
  guard.start(nextToken);
  do {
    const page = await emr.listApplications({ states: liveStates, maxResults: 50, nextToken }, { signal: options.signal });
    found.push(...page.applications.filter((a) => a.name === name));
    nextToken = page.nextToken;
    if (nextToken !== "") guard.nextPage(nextToken);
  } while (nextToken !== "");
  const where = cloud.region === undefined ? "in this account" : `in ${cloud.region}`;
  return pickByName(found, name, { what: "EMR Serverless application", where, fail: (code, text) => localAwsError(code, text, { method: listMethod }) });
}

/** Options of {@link stopApplication}. */
export interface StopApplicationOptions extends ApplicationWaitOptions {
  /**
   * Cancel the application's unfinished job runs first (SUBMITTED, PENDING,
   * SCHEDULED, RUNNING, QUEUED; CANCELLING ones are only waited for) and
   * wait until each is final, then stop — what Airflow's
   * `EmrServerlessStopApplicationOperator(force_stop=True)` does. Without
   * it, AWS refuses to stop an application that has unfinished runs. A run
   * submitted between the listing and the stop still makes AWS refuse.
   * Default `false`.
   */
  readonly cancelJobRuns?: boolean;
}

/** The runs that hold an application up. */
const unfinishedRunStates = [JobRunState.SUBMITTED, JobRunState.PENDING, JobRunState.SCHEDULED, JobRunState.RUNNING, JobRunState.QUEUED, JobRunState.CANCELLING];

/**
 * Stops an application and resolves with it once it is STOPPED (CREATED, never
 * started, counts as stopped), polling `GetApplication` with the shared
 * `Poller`. With `cancelJobRuns`, its unfinished runs are cancelled and
 * waited for first. `timeoutMs` bounds the whole call.
 *
 * @example
 * ```ts
 * await stopApplication(aws, { applicationId }, { cancelJobRuns: true, timeoutMs: 15 * 60_000 });
 * ```
 */
export async function stopApplication(cloud: AwsCloud, request: { readonly applicationId: string }, options: StopApplicationOptions = {}): Promise<Application> {
  const applicationId = applicationIdOf(request, "stopApplication");
  if (options.cancelJobRuns !== undefined && typeof options.cancelJobRuns !== "boolean") {
    throw localAwsError(Code.InvalidArgument, `stopApplication: cancelJobRuns: expected true or false, got ${JSON.stringify(options.cancelJobRuns) ?? typeof options.cancelJobRuns}`, {
      method: "stopApplication",
      attempts: 0,
    });
  }
  const started = cloud.clock.now();
  const rest = (): ApplicationWaitOptions =>
    options.timeoutMs === undefined ? options : { ...options, timeoutMs: Math.max(1, options.timeoutMs - (cloud.clock.now() - started)) };
  if (options.cancelJobRuns === true) {
    const unfinished = [];
    for await (const run of listJobRuns(cloud, { applicationId, states: unfinishedRunStates }, { signal: options.signal })) unfinished.push(run);
    const handles = unfinished.map((run) => jobRunHandle(cloud, applicationId, run.id, run.arn));
    for (const [i, handle] of handles.entries()) {
      if (unfinished[i]!.state !== JobRunState.CANCELLING) await handle.cancel({ signal: options.signal });
    }
    for (const handle of handles) await handle.wait(rest());
  }
  return driveApplication(cloud, { applicationId }, rest(), "stopped");
}

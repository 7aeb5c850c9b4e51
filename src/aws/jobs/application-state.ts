import { Code } from "@connectrpc/connect";
import { abortCode, abortText } from "../../core/abort.js";
import { Poller } from "../../core/poll.js";
import type { PollOptions } from "../../core/poll.js";
import { EmrServerlessService } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { ApplicationState } from "../../../gen/aws/emr_serverless/v1/application_pb.js";
import type { Application } from "../../../gen/aws/emr_serverless/v1/application_pb.js";
import type { AwsCloud } from "../cloud.js";
import { localAwsError } from "../errors.js";

/**
 * How {@link startApplication} and `stopApplication` wait: the shared
 * {@link PollOptions}, polling `GetApplication` from 1 s, backing off ×1.5
 * to 15 s (an application starts in one to a few minutes), no time limit
 * unless `timeoutMs`, on the cloud's clock and sleep.
 */
export interface ApplicationWaitOptions extends PollOptions {}

/** Application waits start at 1 s and back off to 15 s. @internal */
export const applicationWaitDefaults = { initialDelayMs: 1_000, maxDelayMs: 15_000 } as const;

const getMethod = "/aws.emr_serverless.v1.EmrServerlessService/GetApplication";

/**
 * Starts an application and resolves with it once it is STARTED, polling
 * `GetApplication` with the shared `Poller`. Already STARTED: no call but
 * the read. CREATING or STOPPING: waits for it to settle, then starts it.
 * STARTING: just waits. TERMINATED: FAILED_PRECONDITION. Calling it twice
 * is safe (`StartApplication` is idempotent on AWS).
 *
 * @example
 * ```ts
 * const app = await startApplication(aws, { applicationId }, { timeoutMs: 10 * 60_000 });
 * console.log(ApplicationState[app.state]); // "STARTED"
 * ```
 */
export function startApplication(cloud: AwsCloud, request: { readonly applicationId: string }, options: ApplicationWaitOptions = {}): Promise<Application> {
  return driveApplication(cloud, request, options, "started");
}

/**
 * Drives the application to STARTED or STOPPED (CREATED counts as stopped:
 * it has never run and holds no capacity) and resolves with it. @internal
 */
export async function driveApplication(
  cloud: AwsCloud,
  request: { readonly applicationId: string },
  options: ApplicationWaitOptions,
  goal: "started" | "stopped",
): Promise<Application> {
  const verb = goal === "started" ? "startApplication" : "stopApplication";
  const applicationId = applicationIdOf(request, verb);
  const emr = cloud.client(EmrServerlessService);
  let last: Application | undefined;
  const poller = new Poller(cloud, options, applicationWaitDefaults, {
    timeout: (ms, polls) =>
      localAwsError(Code.DeadlineExceeded, `application ${applicationId} is still ${stateName(last?.state)} after ${ms} ms (${polls} polls); wanted ${goal.toUpperCase()}`, {
        method: getMethod,
        attempts: polls,
      }),
    aborted: (reason, polls) =>
      localAwsError(cloud.closeSignal.aborted ? Code.Canceled : abortCode(reason), `wait for application ${applicationId} to be ${goal}: ${abortText(reason)}`, {
        method: getMethod,
        attempts: polls,
        cause: reason,
      }),
  });
  for (;;) {
    poller.checkAborted();
    const { application } = await emr.getApplication({ applicationId }, { signal: poller.signal });
    if (!application) throw localAwsError(Code.Internal, `GetApplication returned no application for ${applicationId}`, { method: getMethod });
    last = application;
    const state = application.state;
    if (state === ApplicationState.TERMINATED) {
      throw localAwsError(Code.FailedPrecondition, `application ${applicationId} is TERMINATED and cannot be ${goal}`, { method: getMethod });
    }
    if (goal === "started") {
      if (state === ApplicationState.STARTED) return application;
      if (state === ApplicationState.CREATED || state === ApplicationState.STOPPED) await emr.startApplication({ applicationId }, { signal: poller.signal });
    } else {
      if (state === ApplicationState.STOPPED || state === ApplicationState.CREATED) return application;
      if (state === ApplicationState.STARTED || state === ApplicationState.STARTING) await emr.stopApplication({ applicationId }, { signal: poller.signal });
    }
    await poller.pause();
  }
}

/** The state's name for messages. @internal */
export function stateName(state: ApplicationState | undefined): string {
  return state === undefined ? "unknown" : (ApplicationState[state] ?? String(state));
}

/** The request's `applicationId`, or INVALID_ARGUMENT naming it before any call. @internal */
export function applicationIdOf(request: { readonly applicationId: string } | undefined, helper: string): string {
  const id: unknown = request?.applicationId;
  if (typeof id !== "string" || id === "") {
    throw localAwsError(Code.InvalidArgument, `${helper}: applicationId: expected a non-empty string, got ${JSON.stringify(id) ?? typeof id}`, { method: helper, attempts: 0 });
  }
  return id;
}

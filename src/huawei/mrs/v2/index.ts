/**
 * Huawei Cloud MRS job API v2 as the official SDKs name it:
 * `JobExecutionService` with `createExecuteJob` (submit), `showJobExeListNew`
 * (list), `showSingleJobExe` (get), `stopJob` (kill, 202 with no body) and
 * `batchDeleteJobs`. Times are epoch milliseconds (`bigint`); `job_state` and
 * `job_result` are strings (see {@link MrsJobState}, {@link MrsJobResult}).
 * The job helpers (`submitMrsJob`, `listMrsJobs`) wrap them.
 *
 * @module
 */
// Every file of the package (generated).
export * from "../../../../gen/huawei/mrs/v2/index.js";
export { submitMrsJob, mrsJobHandle, listMrsJobs, isTerminalMrsState, mrsTerminalStates } from "../../jobs/mrs-jobs.js";
export type { MrsCallOptions, MrsJobHandle, MrsJobRef, MrsJobState, MrsJobResult, MrsJobType, SubmitMrsJobInit, WaitOptions, ListMrsJobsOptions } from "../../jobs/mrs-jobs.js";
export type { PollOptions, PollPolicy } from "../../../core/poll.js";

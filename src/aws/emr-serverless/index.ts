/**
 * Amazon EMR Serverless applications and job runs: the service descriptor
 * and its messages.
 *
 * @example
 * ```ts
 * import { createAwsCloud } from "dataproc-connect/aws";
 * import { EmrServerless, JobRunState } from "dataproc-connect/aws/emr-serverless";
 *
 * const emr = createAwsCloud({ region: "us-east-1" }).client(EmrServerless);
 * const { applicationId } = await emr.createApplication({ name: "etl", releaseLabel: "emr-7.1.0", type: "Spark" });
 * await emr.startApplication({ applicationId });
 * const { jobRunId } = await emr.startJobRun({
 *   applicationId, executionRoleArn,
 *   jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "s3://bucket/main.py" } } },
 * });
 * ```
 *
 * @module
 */
export { EmrServerlessService as EmrServerless } from "../../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
// Every file of the package (generated).
export * from "../../../gen/aws/emr_serverless/v1/index.js";
export { isFinalJobRunState, jobRunHandle, listJobRuns, startJobRun } from "../jobs/job-runs.js";
export type { JobRunHandle, JobRunRef, WaitForJobRunOptions } from "../jobs/job-runs.js";
export { startApplication } from "../jobs/application-state.js";
export type { ApplicationWaitOptions } from "../jobs/application-state.js";
export { findApplicationByName, stopApplication } from "../jobs/applications.js";
export type { StopApplicationOptions } from "../jobs/applications.js";
export type { PollOptions, PollPolicy } from "../../core/poll.js";

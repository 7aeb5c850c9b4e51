/**
 * `--cloud aws`: EMR Serverless job runs through the library's helpers
 * (`startJobRun`, `jobRunHandle`, `listJobRuns`), signed with SigV4 using
 * the AWS default credential chain read from the CLI's environment. This
 * file holds what AWS contributes — its flags read, its spec, its views,
 * `dashboard` — and runs the shared job commands (jobs/run-job-command.ts).
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { createAwsCloud, defaultAwsCredentials, resolveAwsRegion } from "../../aws/index.js";
import type { AwsCloud } from "../../aws/index.js";
import { EmrServerless, JobRunSchema, JobRunState, JobRunSummarySchema, jobRunHandle, listJobRuns, startJobRun } from "../../aws/emr-serverless/index.js";
import type { JobRun, JobRunHandle, JobRunSummary } from "../../aws/emr-serverless/index.js";
import type { JobRunRef } from "../../aws/jobs/job-runs.js";
import { awsJobPhases } from "../../aws/jobs/phase.js";
import { phaseFromTables } from "../../core/job-model.js";
import { keyValues } from "../args.js";
import type { Flags } from "../args.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { shellWord } from "../globals.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import type { CloudJobs } from "../jobs/cloud-jobs.js";
import type { JobView } from "../jobs/job-view.js";
import { runJobCommand } from "../jobs/run-job-command.js";
import { runClusterCommand } from "../clusters/run-cluster-command.js";
import { openAwsApplications } from "./aws-applications.js";
import { numberFlag, required } from "./shared.js";

export async function run(context: CommandContext): Promise<number> {
  const { command, io, flags, positionals } = context;
  if (command.path[0] === "applications") return runClusterCommand(openAwsApplications((await openAwsCloud(context)).aws), context);
  const jobs = await openAwsJobs(context);
  if (command.path[0] !== "dashboard") return runJobCommand(jobs, context);
  try {
    const applicationId = jobs.applicationId;
    const { url } = await jobs.aws.client(EmrServerless).getDashboardForJobRun({ applicationId, jobRunId: positionals[0]! }, { signal: io.signal });
    await new Output(io, flags.boolean("json")).result(url, { applicationId, jobRunId: positionals[0]!, url });
    return ExitCode.ok;
  } finally {
    jobs.close();
  }
}

/** The AWS cloud of `--region`, `--profile`, `--endpoint` and the environment (nothing sent yet). */
export async function openAwsCloud({ io, flags }: CommandContext): Promise<{ aws: AwsCloud; region: string; profile: string | undefined }> {
  const env = io.env ?? process.env;
  const profile = flags.string("profile");
  let region: string;
  try {
    region = await resolveAwsRegion({ ...(flags.string("region") ? { region: flags.string("region")! } : {}), ...(profile ? { profile } : {}), env });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const endpoint = flags.string("endpoint") ?? (env["AWS_ENDPOINT_URL_EMR_SERVERLESS"] || env["AWS_ENDPOINT_URL"] || undefined);
  const plaintext = (env["DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS"] ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  try {
    const aws = createAwsCloud({
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      credentials: defaultAwsCredentials({ env, ...(profile ? { profile } : {}) }),
      insecurePlaintextHosts: plaintext,
    });
    return { aws, region, profile };
  } catch (error) {
    throw new UsageError(`--endpoint ${endpoint ?? ""}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The AWS {@link CloudJobs}, from `--application-id`, `--region`, `--profile`, `--endpoint` and the environment. */
export async function openAwsJobs(context: CommandContext): Promise<CloudJobs<JobRun> & { aws: AwsCloud; applicationId: string }> {
  const { command, flags } = context;
  const word = command.path.join(" ");
  const applicationId = required(flags, "application-id", word);
  const { aws, region, profile } = await openAwsCloud(context);
  const selector = [
    "--cloud aws --application-id",
    shellWord(applicationId),
    ...(flags.string("region") === undefined ? [] : ["--region", shellWord(region)]),
    ...(profile === undefined ? [] : ["--profile", shellWord(profile)]),
    ...(flags.string("endpoint") === undefined ? [] : ["--endpoint", shellWord(flags.string("endpoint")!)]),
  ].join(" ");
  return {
    cloud: "aws",
    noun: "job run",
    idWidth: 16,
    aws,
    applicationId,
    selector,
    submit: (kind, f, signal) => startJobRun(aws, submitRequest(kind, f, applicationId, word), { signal }),
    handle: (id) => jobRunHandle(aws, applicationId, id),
    cancel: async (handle, f, signal) => {
      const grace = numberFlag(f, "shutdown-grace-period", true);
      await (handle as JobRunHandle).cancel({ signal, ...(grace === undefined ? {} : { shutdownGracePeriodInSeconds: grace }) });
    },
    list: (f, signal) => listed(aws, applicationId, f, signal),
    view: runView,
    logs: { instead: 'EMR Serverless has no log API (logs go to S3 or CloudWatch); run "dataproc-connect dashboard JOB_RUN_ID --cloud aws …" for the URL of the run\'s Spark UI' },
    close: () => aws.close(),
  };
}

/** `StartJobRun` from the flags of `submit spark|hive`. */
function submitRequest(kind: string, flags: Flags, applicationId: string, word: string) {
  const tags = keyValues("tag", flags.strings("tag"));
  const timeout = numberFlag(flags, "execution-timeout-minutes", true);
  const driver =
    kind === "hive"
      ? { case: "hive" as const, value: { query: required(flags, "query", word), initQueryFile: flags.string("init-query-file") ?? "", parameters: flags.string("parameters") ?? "" } }
      : {
          case: "sparkSubmit" as const,
          value: { entryPoint: required(flags, "entry-point", word), entryPointArguments: flags.strings("arg"), sparkSubmitParameters: flags.string("spark-submit-parameters") ?? "" },
        };
  return {
    applicationId,
    executionRoleArn: required(flags, "execution-role-arn", word),
    jobDriver: { driver },
    tags,
    ...(flags.string("name") === undefined ? {} : { name: flags.string("name")! }),
    ...(flags.string("client-token") === undefined ? {} : { clientToken: flags.string("client-token")! }),
    ...(timeout === undefined ? {} : { executionTimeoutMinutes: BigInt(timeout) }),
  };
}

async function* listed(aws: AwsCloud, applicationId: string, flags: Flags, signal: AbortSignal): AsyncIterable<JobView> {
  if (flags.boolean("newest-first") && flags.boolean("oldest-first")) throw new UsageError("list: give --newest-first or --oldest-first, not both");
  const request = {
    applicationId,
    states: flags.strings("state").map((s) => JobRunState[s as keyof typeof JobRunState]),
    ...time(flags.string("created-after"), "created-after", "createdAtAfter"),
    ...time(flags.string("created-before"), "created-before", "createdAtBefore"),
  };
  const runs = listJobRuns(aws, request, { signal });
  if (!flags.boolean("oldest-first")) {
    for await (const r of runs) yield summaryView(r);
    return;
  }
  const all: JobRunSummary[] = [];
  for await (const r of runs) all.push(r);
  for (const r of all.reverse()) yield summaryView(r);
}

function time(text: string | undefined, flag: string, field: string): Record<string, unknown> {
  if (text === undefined) return {};
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(ms)) throw new UsageError(`--${flag} takes an RFC 3339 time such as 2026-12-01T10:00:00Z (got ${JSON.stringify(text)})`);
  return { [field]: timestampFromMs(ms) };
}

const ms = (ts: Timestamp | undefined): number | undefined => (ts === undefined ? undefined : timestampMs(ts));
const phaseOf = (state: JobRunState) => phaseFromTables(awsJobPhases, { $typeName: JobRunSchema.typeName, state } as never);
const kindOf = (driver: string | undefined): string | undefined => (driver === "sparkSubmit" ? "spark" : driver);

/** What `jobRunHandle(cloud, ref)` takes back, as the handle's own `ref`. */
function runRef(applicationId: string, jobRunId: string, arn: string): JobRunRef {
  return { cloud: "aws", applicationId, jobRunId, arn };
}

function runView(r: JobRun): JobView {
  return {
    id: r.jobRunId,
    ref: runRef(r.applicationId, r.jobRunId, r.arn),
    name: r.name || undefined,
    kind: kindOf(r.jobDriver?.driver.case),
    status: JobRunState[r.state],
    phase: phaseOf(r.state),
    createdAt: ms(r.createdAt),
    startedAt: ms(r.startedAt),
    finishedAt: ms(r.endedAt),
    details: [
      ["application", r.applicationId],
      ["state details", r.stateDetails || undefined],
      ["duration", r.totalExecutionDurationSeconds === undefined ? undefined : formatDuration(r.totalExecutionDurationSeconds * 1000)],
      ["role", r.executionRole || undefined],
      ["release", r.releaseLabel || undefined],
      ["arn", r.arn || undefined],
    ],
    job: toJson(JobRunSchema, r),
  };
}

function summaryView(r: JobRunSummary): JobView {
  return {
    id: r.id,
    ref: runRef(r.applicationId, r.id, r.arn),
    name: r.name || undefined,
    kind: r.type ? r.type.toLowerCase() : undefined,
    status: JobRunState[r.state],
    phase: phaseOf(r.state),
    createdAt: ms(r.createdAt),
    startedAt: undefined,
    finishedAt: undefined,
    details: [],
    job: toJson(JobRunSummarySchema, r),
  };
}

/**
 * The commands of `--cloud aws` (Amazon EMR Serverless job runs) and
 * `--cloud huawei` (Huawei Cloud MRS jobs): the same words as the Yandex
 * commands (`submit`, `get`, `list`, `cancel`), each cloud's own flags, and
 * what the cloud lacks said plainly (`logs` on AWS points at `dashboard`).
 * Implementations load only when a command runs.
 *
 * @module
 */
import type { FlagSpec } from "../args.js";
import type { ToolCommandDef } from "../command.js";
import { UsageError } from "../exit.js";
import type { CloudName } from "./select.js";

const flag = (name: string, value: string, description: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({
  name,
  type: "string",
  value,
  description,
  ...extra,
});
const bool = (name: string, description: string): FlagSpec => ({ name, type: "boolean", description });
const json = bool("json", "print results as JSON, one object per line");
const pollInterval = flag("poll-interval", "S", "seconds between status polls while waiting");

/** States of EMR Serverless job runs (`--state`). */
export const awsStates = ["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "SUCCESS", "FAILED", "CANCELLING", "CANCELLED", "QUEUED"];

/** Flags every AWS command takes. */
export const awsFlags: readonly FlagSpec[] = [
  flag("cloud", "aws", "this cloud (required: the default is yandex)"),
  flag("application-id", "ID", "EMR Serverless application id (required)"),
  flag("region", "REGION", "e.g. us-east-1; default $AWS_REGION, $AWS_DEFAULT_REGION, or the profile's"),
  flag("profile", "NAME", "profile of ~/.aws/credentials and ~/.aws/config (default $AWS_PROFILE)"),
  flag(
    "endpoint",
    "URL",
    "base URL, e.g. the emulator's rest: URL; default $AWS_ENDPOINT_URL_EMR_SERVERLESS, $AWS_ENDPOINT_URL, else https://emr-serverless.REGION.amazonaws.com",
  ),
  json,
];

/** Flags every Huawei command takes. */
export const huaweiFlags: readonly FlagSpec[] = [
  flag("cloud", "huawei", "this cloud (required: the default is yandex)"),
  flag("cluster", "ID", "MRS cluster id (this or --cluster-name is required)"),
  flag("cluster-name", "NAME", "MRS cluster name, looked up with ListClusters (instead of --cluster)"),
  flag("project-id", "ID", "project id; default $HUAWEICLOUD_SDK_PROJECT_ID"),
  flag("region", "REGION", "e.g. cn-north-4: the endpoint https://mrs.REGION.myhuaweicloud.com (or --endpoint)"),
  flag("endpoint", "URL", "base URL instead of the regional one, e.g. the emulator's rest: URL; default $HUAWEICLOUD_MRS_ENDPOINT"),
  json,
];

const awsCredentials =
  "Credentials: the AWS SDK's default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN) unless a profile " +
  "is chosen, the shared files (~/.aws/credentials, ~/.aws/config), the ECS/EKS container endpoint, then EC2 instance metadata. " +
  "Requests are signed with SigV4 (service emr-serverless).";
const huaweiCredentials =
  "Credentials: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys), as the " +
  "Huawei Cloud SDKs read them; requests are signed with SDK-HMAC-SHA256.";
const exitCodes =
  "Exit codes: 0 success; 1 the run failed or was cancelled, or any error after something was sent; 2 usage or input error, " +
  "nothing sent; 130 interrupted (Ctrl-C: the run keeps running).";

// Lines that work against `npx dataproc-connect emulator` (its rest:, aws: and huawei: lines).
const awsEmu = "--cloud aws --endpoint http://127.0.0.1:PORT --region us-east-1 --application-id 00femulatorapp01";
const awsEnv = "(with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set to the emulator's aws: keys)";
const huaweiEmu = "--cloud huawei --endpoint http://127.0.0.1:PORT --cluster c9qemulator0cluster1";
const huaweiEnv = "(with HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID from the emulator's huawei: line)";

const loadAws = () => import("./aws-commands.js");
const loadHuawei = () => import("./huawei-commands.js");
const awsNotes = (...notes: string[]): string[] => [...notes, awsCredentials, exitCodes];
const huaweiNotes = (...notes: string[]): string[] => [...notes, huaweiCredentials, exitCodes];
const jobRunId = { name: "JOB_RUN_ID", description: "id of the job run" };
const jobId = { name: "JOB_ID", description: "id of the job (job_id of v2, job_execution_id of v1.1)" };
const tags = flag("tag", "KEY=VALUE", "tag of the run (the emulator reads emulator.duration_ms and emulator.outcome)", { multiple: true });
const awsSubmit = [
  flag("execution-role-arn", "ARN", "IAM role the run uses (required)"),
  flag("name", "NAME", "name of the run"),
  tags,
  flag("execution-timeout-minutes", "N", "stop the run after N minutes"),
  flag("client-token", "TOKEN", "idempotency token (default: a fresh UUID, reused on every retry)"),
  bool("wait", "wait until the run ends; exit 1 unless it ends SUCCESS"),
  pollInterval,
];
const waitNote = "Prints the id at once. With --wait, status lines go to stderr (a live line on a terminal) and the final state to stdout; Ctrl-C stops waiting (exit 130), the run keeps going.";

const aws: ToolCommandDef[] = [
  {
    kind: "tool",
    path: ["submit", "spark"],
    summary: "start a Spark job run (StartJobRun, jobDriver.sparkSubmit)",
    positionals: [],
    flags: [
      flag("entry-point", "URI", "script or jar the run starts (required)"),
      flag("arg", "ARG", "argument of the entry point (entryPointArguments)", { multiple: true, dashValues: true }),
      flag("spark-submit-parameters", "TEXT", 'e.g. "--class org.example.App --conf spark.executor.cores=2"', { dashValues: true }),
      ...awsSubmit,
      ...awsFlags,
    ],
    notes: awsNotes(waitNote),
    examples: [`submit spark ${awsEmu} --execution-role-arn arn:aws:iam::123456789012:role/emr --entry-point s3://bucket/main.py --wait  ${awsEnv}`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["submit", "hive"],
    summary: "start a Hive job run (StartJobRun, jobDriver.hive)",
    positionals: [],
    flags: [
      flag("query", "SQL", "the query, or an S3 URI of a file with it (required)", { dashValues: true }),
      flag("init-query-file", "URI", "query file run before the query"),
      flag("parameters", "TEXT", "Hive parameters, e.g. \"--hiveconf k=v\"", { dashValues: true }),
      ...awsSubmit,
      ...awsFlags,
    ],
    notes: awsNotes(waitNote),
    examples: [`submit hive ${awsEmu} --execution-role-arn arn:aws:iam::123456789012:role/emr --query 'SELECT 1' --wait`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["get"],
    summary: "show a job run (GetJobRun)",
    positionals: [jobRunId],
    flags: awsFlags,
    notes: awsNotes("EMR Serverless has no log API: `dashboard JOB_RUN_ID` prints the URL of the run's Spark UI."),
    examples: [`get 00f… ${awsEmu} --json`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["list"],
    summary: "list the job runs of an application, newest first (ListJobRuns)",
    positionals: [],
    flags: [
      flag("state", "STATE", `only runs in this state: ${awsStates.join(", ")}`, { multiple: true, choices: awsStates }),
      flag("created-after", "TIME", "only runs created at or after this RFC 3339 time"),
      flag("created-before", "TIME", "only runs created at or before this RFC 3339 time"),
      flag("limit", "N", "print at most N runs"),
      bool("newest-first", "newest first: the service's order and the default here (accepted as with --cloud yandex)"),
      bool("oldest-first", "oldest first (reads every page before printing)"),
      ...awsFlags,
    ],
    notes: awsNotes("Runs are printed as each page arrives, newest first (the service's order)."),
    examples: [`list ${awsEmu} --state RUNNING --state PENDING --limit 10`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["cancel"],
    summary: "cancel a job run (CancelJobRun)",
    positionals: [jobRunId],
    flags: [
      flag("shutdown-grace-period", "S", "seconds the run may take to shut down (0, or 15 to 1800)"),
      bool("wait", "wait until the run stops; exit 1 unless it ends CANCELLED"),
      pollInterval,
      ...awsFlags,
    ],
    notes: awsNotes("A run that has ended cannot be cancelled: exit 1, FAILED_PRECONDITION naming its final state (the same on every cloud)."),
    examples: [`cancel 00f… ${awsEmu} --shutdown-grace-period 30 --wait`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["dashboard"],
    summary: "print the URL of a job run's dashboard (GetDashboardForJobRun)",
    positionals: [jobRunId],
    flags: awsFlags,
    notes: awsNotes("The URL opens the Spark UI (or the Spark history server) of the run, which holds its logs; it expires after a while."),
    examples: [`dashboard 00f… ${awsEmu}`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["logs"],
    summary: "not an EMR Serverless API: use dashboard",
    positionals: [jobRunId],
    flags: awsFlags,
    notes: [
      "EMR Serverless has no API that returns a run's log: logs go to S3 or CloudWatch as the run's monitoringConfiguration " +
        "says, and the Spark UI shows them. `dashboard JOB_RUN_ID` prints that UI's URL.",
    ],
    examples: [`dashboard 00f… ${awsEmu}`],
    load: () => {
      throw new UsageError(
        "logs: EMR Serverless has no log API (logs go to S3 or CloudWatch); run \"dataproc-connect dashboard JOB_RUN_ID --cloud aws …\" for the URL of the run's Spark UI",
      );
    },
  },
];

/** MRS v2 job types, as `submit <kind>` spells them (kebab-case of `job_type`). */
export const mrsKinds: readonly { name: string; jobType: string }[] = [
  { name: "mapreduce", jobType: "MapReduce" },
  { name: "spark-submit", jobType: "SparkSubmit" },
  { name: "spark-python", jobType: "SparkPython" },
  { name: "spark-script", jobType: "SparkScript" },
  { name: "spark-sql", jobType: "SparkSql" },
  { name: "hive-script", jobType: "HiveScript" },
  { name: "hive-sql", jobType: "HiveSql" },
  { name: "distcp", jobType: "DistCp" },
  { name: "flink", jobType: "Flink" },
];
const mrsStates = ["FAILED", "KILLED", "NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED"];
const mrsResults = ["FAILED", "KILLED", "UNDEFINED", "SUCCEEDED"];

const huawei: ToolCommandDef[] = [
  ...mrsKinds.map(
    (kind): ToolCommandDef => ({
      kind: "tool",
      path: ["submit", kind.name],
      summary: `submit an MRS ${kind.jobType} job (v2 CreateExecuteJob)`,
      positionals: [],
      flags: [
        flag("name", "NAME", "job_name: 1 to 64 letters, digits, - or _ (required)"),
        flag("arg", "ARG", "an element of arguments (what the MRS console's command line takes)", { multiple: true, dashValues: true }),
        flag("property", "KEY=VALUE", "job property (the emulator reads emulator.duration_ms and emulator.outcome)", { multiple: true }),
        bool("wait", "wait until the job ends; exit 1 unless it ends FINISHED/SUCCEEDED"),
        pollInterval,
        ...huaweiFlags,
      ],
      notes: huaweiNotes(
        waitNote,
        "A submit is never retried: MRS takes no idempotency token, so a repeated submit could start the job twice.",
      ),
      examples: [`submit ${kind.name} ${huaweiEmu} --name pi --arg --class --arg org.example.Pi --arg obs://b/pi.jar --wait  ${huaweiEnv}`],
      load: loadHuawei,
    }),
  ),
  {
    kind: "tool",
    path: ["get"],
    summary: "show an MRS job (v2 ShowSingleJobExe)",
    positionals: [jobId],
    flags: huaweiFlags,
    notes: huaweiNotes(),
    examples: [`get 44b37a20-… ${huaweiEmu} --json`],
    load: loadHuawei,
  },
  {
    kind: "tool",
    path: ["list"],
    summary: "list the jobs of an MRS cluster, newest first (v2 ShowJobExeListNew)",
    positionals: [],
    flags: [
      flag("state", "STATE", `only jobs in this job_state: ${mrsStates.join(", ")}`, { choices: mrsStates }),
      flag("result", "RESULT", `only jobs with this job_result: ${mrsResults.join(", ")}`, { choices: mrsResults }),
      flag("name", "NAME", "only jobs with this job_name"),
      flag("limit", "N", "print at most N jobs"),
      bool("newest-first", "newest first (sort_by=desc, the default)"),
      bool("oldest-first", "oldest first (sort_by=asc)"),
      ...huaweiFlags,
    ],
    notes: huaweiNotes("Sorted by the service (sort_by), printed as each page arrives."),
    examples: [`list ${huaweiEmu} --state RUNNING`],
    load: loadHuawei,
  },
  {
    kind: "tool",
    path: ["cancel"],
    summary: "stop an MRS job (v2 kill; --v1 for the v1.1 cancel)",
    positionals: [jobId],
    flags: [
      bool("v1", "use the documented v1.1 GET …/job-executions/{id}/cancel (Sahara-compatible) instead of v2 kill"),
      bool("wait", "wait until the job stops; exit 1 unless it ends KILLED"),
      pollInterval,
      ...huaweiFlags,
    ],
    notes: huaweiNotes("--v1 needs no --cluster unless --wait is given (waiting reads the job through v2)."),
    examples: [`cancel 44b37a20-… ${huaweiEmu} --wait`, `cancel 44b37a20-… ${huaweiEmu} --v1`],
    load: loadHuawei,
  },
  {
    kind: "tool",
    path: ["logs"],
    summary: "not served by the MRS job API",
    positionals: [jobId],
    flags: huaweiFlags,
    notes: ["The MRS v2 job API returns no logs; `get JOB_ID` shows the job's tracking URL (YARN), which has them."],
    examples: [`get 44b37a20-… ${huaweiEmu}`],
    load: () => {
      throw new UsageError("logs: the MRS job API serves no logs; \"dataproc-connect get JOB_ID --cloud huawei …\" shows the tracking URL that has them");
    },
  },
];


const applicationId = { name: "APPLICATION_ID", description: "id of the EMR Serverless application" };
/** `applications …` take the AWS flags but --application-id (the id is the argument). */
const applicationFlags = awsFlags.filter((f) => f.name !== "application-id");
const appEmu = "--cloud aws --endpoint http://127.0.0.1:PORT --region us-east-1";
const applicationJson =
  '--json prints {"cloud","applicationId","name","status","state","createdAt","application"}: status as AWS spells it (STARTED), ' +
  "state one of creating, starting, running, stopping, stopped (also CREATED: never started), deleted (TERMINATED); times RFC 3339.";
const applicationCommands: ToolCommandDef[] = [
  {
    kind: "tool",
    path: ["applications", "list"],
    summary: "list the EMR Serverless applications (ListApplications)",
    positionals: [],
    flags: [
      flag("state", "STATE", "only applications in this state", { multiple: true, choices: ["CREATING", "CREATED", "STARTING", "STARTED", "STOPPING", "STOPPED", "TERMINATED"] }),
      flag("limit", "N", "print at most N applications"),
      ...applicationFlags,
    ],
    notes: awsNotes(applicationJson),
    examples: [`applications list ${appEmu} --state STARTED`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["applications", "get"],
    summary: "show an application (GetApplication)",
    positionals: [applicationId],
    flags: applicationFlags,
    notes: awsNotes(applicationJson),
    examples: [`applications get 00femulatorapp01 ${appEmu} --json`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["applications", "start"],
    summary: "start an application and wait until it is STARTED (StartApplication)",
    positionals: [applicationId],
    flags: [pollInterval, ...applicationFlags],
    notes: awsNotes("Ctrl-C stops waiting (exit 130); the application keeps starting.", applicationJson),
    examples: [`applications start 00femulatorapp01 ${appEmu}`],
    load: loadAws,
  },
  {
    kind: "tool",
    path: ["applications", "stop"],
    summary: "stop an application and wait until it is STOPPED (StopApplication)",
    positionals: [applicationId],
    flags: [bool("cancel-job-runs", "cancel its unfinished job runs first (AWS refuses to stop an application that has any)"), pollInterval, ...applicationFlags],
    notes: awsNotes("Ctrl-C stops waiting (exit 130); the application keeps stopping.", applicationJson),
    examples: [`applications stop 00femulatorapp01 ${appEmu} --cancel-job-runs`],
    load: loadAws,
  },
];

const mrsClusterId = { name: "CLUSTER_ID", description: "id of the MRS cluster" };
/** `clusters …` take the Huawei flags but the cluster's (the id is the argument). */
const mrsClusterFlags = huaweiFlags.filter((f) => f.name !== "cluster" && f.name !== "cluster-name");
const mrsJson =
  '--json prints {"cloud","clusterId","name","status","state","createdAt","cluster"}: status as MRS spells it (running), ' +
  "state one of starting, running, updating (scaling), deleting, deleted, error, unknown; times RFC 3339. MRS has no start or stop API.";
const mrsClusterCommands: ToolCommandDef[] = [
  {
    kind: "tool",
    path: ["clusters", "list"],
    summary: "list the MRS clusters of the project (ListClusters)",
    positionals: [],
    flags: [
      flag("name", "NAME", "only clusters with this name"),
      flag("state", "STATE", "MRS clusterState filter, e.g. running, terminated (default existing)"),
      flag("limit", "N", "print at most N clusters"),
      ...mrsClusterFlags,
    ],
    notes: huaweiNotes(mrsJson),
    examples: ["clusters list --cloud huawei --endpoint http://127.0.0.1:PORT --json"],
    load: loadHuawei,
  },
  {
    kind: "tool",
    path: ["clusters", "get"],
    summary: "show an MRS cluster (ShowClusterDetails)",
    positionals: [mrsClusterId],
    flags: mrsClusterFlags,
    notes: huaweiNotes(mrsJson),
    examples: ["clusters get c9qemulator0cluster1 --cloud huawei --endpoint http://127.0.0.1:PORT"],
    load: loadHuawei,
  },
];

/** What each cloud other than Yandex serves, for its help banner and notes. */
export const cloudSummaries: Readonly<Record<Exclude<CloudName, "yandex">, { title: string; credentials: string; exitCodes: string; emulator: string }>> = {
  aws: { title: "Amazon EMR Serverless", credentials: awsCredentials, exitCodes, emulator: `${awsEmu}  ${awsEnv}` },
  huawei: { title: "Huawei Cloud MRS", credentials: huaweiCredentials, exitCodes, emulator: `${huaweiEmu}  ${huaweiEnv}` },
};

/** The commands of a cloud other than Yandex. */
export function cloudCommands(cloud: Exclude<CloudName, "yandex">): readonly ToolCommandDef[] {
  return cloud === "aws" ? [...aws, ...applicationCommands] : [...huawei, ...mrsClusterCommands];
}

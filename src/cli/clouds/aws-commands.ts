/**
 * `--cloud aws`: EMR Serverless job runs through the library's helpers
 * (`startJobRun`, `jobRunHandle`, `listJobRuns`), signed with SigV4 using
 * the AWS default credential chain read from the CLI's environment.
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { createAwsCloud, defaultAwsCredentials, resolveAwsRegion } from "../../aws/index.js";
import { EmrServerless, JobRunSchema, JobRunState, JobRunSummarySchema, jobRunHandle, listJobRuns, startJobRun } from "../../aws/emr-serverless/index.js";
import type { JobRun, JobRunSummary } from "../../aws/emr-serverless/index.js";
import { keyValues } from "../args.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { numberFlag, required } from "./shared.js";

export async function run({ command, io, flags, positionals }: CommandContext): Promise<number> {
  const env = io.env ?? process.env;
  const word = command.path.join(" ");
  const applicationId = required(flags, "application-id", word);
  const profile = flags.string("profile");
  let region: string;
  try {
    region = await resolveAwsRegion({ ...(flags.string("region") ? { region: flags.string("region")! } : {}), ...(profile ? { profile } : {}), env });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const endpoint = flags.string("endpoint") ?? (env["AWS_ENDPOINT_URL_EMR_SERVERLESS"] || env["AWS_ENDPOINT_URL"] || undefined);
  const plaintext = (env["DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS"] ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  let cloud;
  try {
    cloud = createAwsCloud({
      region,
      ...(endpoint === undefined ? {} : { endpoint }),
      credentials: defaultAwsCredentials({ env, ...(profile ? { profile } : {}) }),
      insecurePlaintextHosts: plaintext,
    });
  } catch (error) {
    throw new UsageError(`--endpoint ${endpoint ?? ""}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out = new Output(io, flags.boolean("json"));
  const signal = io.signal;
  const pollS = numberFlag(flags, "poll-interval");
  const poll = pollS === undefined ? {} : { initialDelayMs: pollS * 1000, maxDelayMs: pollS * 1000 };
  try {
    const since = Date.now();
    const waitFor = async (handle: ReturnType<typeof jobRunHandle>): Promise<JobRun> => {
      try {
        return await handle.wait({ signal, ...poll, onStatus: (r) => out.progress.show(`job run ${r.jobRunId} ${JobRunState[r.state]}`, since) });
      } finally {
        out.progress.done();
      }
    };
    const final = async (r: JobRun, goal: JobRunState): Promise<number> => {
      await out.result(`job run ${r.jobRunId} ${JobRunState[r.state]} in ${formatDuration(Date.now() - since)}`, runJson(r, { elapsedMs: Date.now() - since }));
      return r.state === goal ? ExitCode.ok : ExitCode.failed;
    };
    switch (command.path[0]) {
      case "submit": {
        const kind = command.path[1];
        const tags = keyValues("tag", flags.strings("tag"));
        const timeout = numberFlag(flags, "execution-timeout-minutes", true);
        const driver =
          kind === "hive"
            ? { case: "hive" as const, value: { query: required(flags, "query", word), initQueryFile: flags.string("init-query-file") ?? "", parameters: flags.string("parameters") ?? "" } }
            : {
                case: "sparkSubmit" as const,
                value: { entryPoint: required(flags, "entry-point", word), entryPointArguments: flags.strings("arg"), sparkSubmitParameters: flags.string("spark-submit-parameters") ?? "" },
              };
        const handle = await startJobRun(
          cloud,
          {
            applicationId,
            executionRoleArn: required(flags, "execution-role-arn", word),
            jobDriver: { driver },
            tags,
            ...(flags.string("name") === undefined ? {} : { name: flags.string("name")! }),
            ...(flags.string("client-token") === undefined ? {} : { clientToken: flags.string("client-token")! }),
            ...(timeout === undefined ? {} : { executionTimeoutMinutes: BigInt(timeout) }),
          },
          { signal },
        );
        const ids = { applicationId: handle.applicationId, jobRunId: handle.jobRunId, arn: handle.arn };
        if (!flags.boolean("wait")) {
          await out.result(`job run ${handle.jobRunId} submitted`, ids);
          return ExitCode.ok;
        }
        await out.line(`job run ${handle.jobRunId} submitted`);
        return final(await waitFor(handle), JobRunState.SUCCESS);
      }
      case "get": {
        const r = await jobRunHandle(cloud, applicationId, positionals[0]!).get({ signal });
        await out.result(runCard(r), runJson(r));
        return ExitCode.ok;
      }
      case "dashboard": {
        const { url } = await cloud.client(EmrServerless).getDashboardForJobRun({ applicationId, jobRunId: positionals[0]! }, { signal });
        await out.result(url, { applicationId, jobRunId: positionals[0]!, url });
        return ExitCode.ok;
      }
      case "cancel": {
        const grace = numberFlag(flags, "shutdown-grace-period", true);
        const handle = jobRunHandle(cloud, applicationId, positionals[0]!);
        await handle.cancel({ signal, ...(grace === undefined ? {} : { shutdownGracePeriodInSeconds: grace }) });
        if (!flags.boolean("wait")) {
          await out.result(`job run ${handle.jobRunId} cancelling`, { applicationId, jobRunId: handle.jobRunId });
          return ExitCode.ok;
        }
        return final(await waitFor(handle), JobRunState.CANCELLED);
      }
      case "list": {
        if (flags.boolean("newest-first") && flags.boolean("oldest-first")) throw new UsageError("list: give --newest-first or --oldest-first, not both");
        const limit = numberFlag(flags, "limit", true);
        const request = {
          applicationId,
          states: flags.strings("state").map((s) => JobRunState[s as keyof typeof JobRunState]),
          ...time(flags.string("created-after"), "created-after", "createdAtAfter"),
          ...time(flags.string("created-before"), "created-before", "createdAtBefore"),
        };
        await out.line(row("ID", "STATE", "TYPE", "CREATED", "NAME"));
        if (limit === 0) return ExitCode.ok;
        let runs: AsyncIterable<JobRunSummary> = listJobRuns(cloud, request, { signal });
        if (flags.boolean("oldest-first")) {
          const all: JobRunSummary[] = [];
          for await (const r of runs) all.push(r);
          runs = (async function* () { yield* all.reverse(); })();
        }
        let count = 0;
        for await (const r of runs) {
          await out.result(row(r.id, JobRunState[r.state], r.type || "-", iso(r.createdAt) ?? "-", r.name || "-"), summaryJson(r));
          if (++count === limit) break;
        }
        return ExitCode.ok;
      }
    }
    throw new UsageError(`${word}: not an AWS command`);
  } finally {
    cloud.close();
  }
}

function time(text: string | undefined, flag: string, field: string): Record<string, unknown> {
  if (text === undefined) return {};
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(ms)) throw new UsageError(`--${flag} takes an RFC 3339 time such as 2026-12-01T10:00:00Z (got ${JSON.stringify(text)})`);
  return { [field]: timestampFromMs(ms) };
}

function iso(ts: { seconds: bigint; nanos: number } | undefined): string | undefined {
  return ts === undefined ? undefined : new Date(timestampMs(ts as never)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function row(id: string, state: string, type: string, created: string, name: string): string {
  return `${id.padEnd(18)}${state.padEnd(12)}${type.padEnd(7)}${created.padEnd(21)}${name}`.trimEnd();
}

/** `--json` of a run: flat AWS member names, then the whole `jobRun`. */
function runJson(r: JobRun, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { applicationId: r.applicationId, jobRunId: r.jobRunId, name: r.name, status: JobRunState[r.state], ...extra, jobRun: toJson(JobRunSchema, r) };
}

function summaryJson(r: JobRunSummary): Record<string, unknown> {
  return { applicationId: r.applicationId, jobRunId: r.id, name: r.name, status: JobRunState[r.state], jobRun: toJson(JobRunSummarySchema, r) };
}

function runCard(r: JobRun): string {
  const rows: [string, string | undefined][] = [
    ["id", r.jobRunId],
    ["application", r.applicationId],
    ["name", r.name || undefined],
    ["type", r.jobDriver?.driver.case],
    ["state", JobRunState[r.state]],
    ["state details", r.stateDetails || undefined],
    ["created", iso(r.createdAt)],
    ["started", iso(r.startedAt)],
    ["ended", iso(r.endedAt)],
    ["duration", r.totalExecutionDurationSeconds === undefined ? undefined : formatDuration(r.totalExecutionDurationSeconds * 1000)],
    ["role", r.executionRole || undefined],
    ["release", r.releaseLabel || undefined],
    ["arn", r.arn || undefined],
  ];
  return rows.filter((x): x is [string, string] => x[1] !== undefined).map(([k, v]) => `${k.padEnd(16)}${v}`).join("\n");
}

/**
 * `--cloud huawei`: MRS jobs through the library's helpers (`submitMrsJob`,
 * `mrsJobHandle`, `listMrsJobs`; v1.1 `cancelJobExecution` with `--v1`),
 * signed with SDK-HMAC-SHA256 using HUAWEICLOUD_SDK_* from the environment.
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { createHuaweiCloud } from "../../huawei/index.js";
import { JobExecutionSchema, JobExecutionService as MrsV1 } from "../../huawei/mrs/v1/index.js";
import { JobQueryBeanSchema, listMrsJobs, mrsJobHandle, submitMrsJob } from "../../huawei/mrs/v2/index.js";
import type { JobQueryBean, MrsJobHandle, MrsJobResult, MrsJobState, MrsJobType } from "../../huawei/mrs/v2/index.js";
import { keyValues } from "../args.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { mrsKinds } from "./catalog.js";
import { numberFlag, required } from "./shared.js";

export async function run({ command, io, flags, positionals }: CommandContext): Promise<number> {
  const env = io.env ?? process.env;
  const word = command.path.join(" ");
  const v1Only = command.path[0] === "cancel" && flags.boolean("v1") && !flags.boolean("wait");
  const clusterId = v1Only ? (flags.string("cluster") ?? "") : required(flags, "cluster", word);
  const endpoint = flags.string("endpoint") ?? (env["HUAWEICLOUD_MRS_ENDPOINT"] || undefined);
  const region = flags.string("region");
  if (region === undefined && endpoint === undefined) throw new UsageError(`${word}: give --region (e.g. cn-north-4) or --endpoint (or set HUAWEICLOUD_MRS_ENDPOINT)`);
  const projectId = flags.string("project-id") ?? (env["HUAWEICLOUD_SDK_PROJECT_ID"] || undefined);
  if (projectId === undefined) throw new UsageError(`${word}: --project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)`);
  let cloud;
  try {
    // No credentials option: the library's default source reads
    // HUAWEICLOUD_SDK_* from `env` and, when they are missing, rejects the
    // first call (UNAUTHENTICATED, nothing sent) as the other clouds do.
    cloud = createHuaweiCloud({
      // The region only names the endpoint; with --endpoint it is not used.
      region: region ?? "custom",
      projectId,
      env,
      ...(endpoint === undefined ? {} : { endpoint }),
    });
  } catch (error) {
    throw new UsageError(`${endpoint === undefined ? `--region ${region}` : `--endpoint ${endpoint}`}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out = new Output(io, flags.boolean("json"));
  const signal = io.signal;
  const pollS = numberFlag(flags, "poll-interval");
  try {
    const since = Date.now();
    const waitFor = async (handle: MrsJobHandle): Promise<JobQueryBean> => {
      try {
        return await handle.wait({
          signal,
          ...(pollS === undefined ? {} : { initialDelayMs: pollS * 1000, maxDelayMs: pollS * 1000 }),
          onPoll: (j) => out.progress.show(`job ${handle.jobId} ${j.jobState ?? "?"}`, since),
        });
      } finally {
        out.progress.done();
      }
    };
    const final = async (j: JobQueryBean, ok: boolean): Promise<number> => {
      await out.result(`job ${j.jobId} ${j.jobState}/${j.jobResult} in ${formatDuration(Date.now() - since)}`, jobJson(j, clusterId, { elapsedMs: Date.now() - since }));
      return ok ? ExitCode.ok : ExitCode.failed;
    };
    switch (command.path[0]) {
      case "submit": {
        const kind = mrsKinds.find((k) => k.name === command.path[1]);
        if (kind === undefined) throw new UsageError(`${word}: unknown job kind`);
        const handle = await submitMrsJob(cloud, {
          clusterId,
          jobType: kind.jobType as MrsJobType,
          jobName: required(flags, "name", word),
          arguments: flags.strings("arg"),
          properties: keyValues("property", flags.strings("property")),
          signal,
        });
        if (!flags.boolean("wait")) {
          await out.result(`job ${handle.jobId} submitted`, { jobId: handle.jobId, clusterId });
          return ExitCode.ok;
        }
        await out.line(`job ${handle.jobId} submitted`);
        const j = await waitFor(handle);
        return final(j, j.jobState === "FINISHED" && j.jobResult === "SUCCEEDED");
      }
      case "get": {
        const j = await mrsJobHandle(cloud, clusterId, positionals[0]!).get(signal);
        await out.result(jobCard(j), jobJson(j, clusterId));
        return ExitCode.ok;
      }
      case "cancel": {
        const jobId = positionals[0]!;
        if (flags.boolean("v1")) {
          const { jobExecution } = await cloud.client(MrsV1).cancelJobExecution({ jobExecutionId: jobId }, { signal });
          if (!flags.boolean("wait")) {
            await out.result(`job ${jobId} cancelling (v1.1)`, { jobId, jobExecution: jobExecution ? toJson(JobExecutionSchema, jobExecution, { useProtoFieldName: true }) : null });
            return ExitCode.ok;
          }
        } else {
          await mrsJobHandle(cloud, clusterId, jobId).cancel(signal);
          if (!flags.boolean("wait")) {
            await out.result(`job ${jobId} killing`, { jobId, clusterId });
            return ExitCode.ok;
          }
        }
        const j = await waitFor(mrsJobHandle(cloud, clusterId, jobId));
        return final(j, j.jobState === "KILLED");
      }
      case "list": {
        if (flags.boolean("newest-first") && flags.boolean("oldest-first")) throw new UsageError("list: give --newest-first or --oldest-first, not both");
        const limit = numberFlag(flags, "limit", true);
        await out.line(row("ID", "STATE", "RESULT", "TYPE", "NAME"));
        if (limit === 0) return ExitCode.ok;
        let count = 0;
        const jobs = listMrsJobs(cloud, {
          clusterId,
          signal,
          sortBy: flags.boolean("oldest-first") ? "asc" : "desc",
          ...(flags.string("state") === undefined ? {} : { jobState: flags.string("state") as MrsJobState }),
          ...(flags.string("result") === undefined ? {} : { jobResult: flags.string("result") as MrsJobResult }),
          ...(flags.string("name") === undefined ? {} : { jobName: flags.string("name")! }),
        });
        for await (const j of jobs) {
          await out.result(row(j.jobId ?? "-", j.jobState ?? "-", j.jobResult ?? "-", j.jobType ?? "-", j.jobName ?? "-"), jobJson(j, clusterId));
          if (++count === limit) break;
        }
        return ExitCode.ok;
      }
    }
    throw new UsageError(`${word}: not a Huawei command`);
  } finally {
    cloud.close();
  }
}

function row(id: string, state: string, result: string, type: string, name: string): string {
  return `${id.padEnd(38)}${state.padEnd(11)}${result.padEnd(11)}${type.padEnd(13)}${name}`.trimEnd();
}

/** `--json` of a job: flat fields, then the job as MRS sends it (snake_case). */
function jobJson(j: JobQueryBean, clusterId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { jobId: j.jobId, clusterId, name: j.jobName, type: j.jobType, status: j.jobState, result: j.jobResult, ...extra, job: toJson(JobQueryBeanSchema, j, { useProtoFieldName: true }) };
}

function ms(value: bigint | undefined): string | undefined {
  return value === undefined || value === 0n ? undefined : new Date(Number(value)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function jobCard(j: JobQueryBean): string {
  const rows: [string, string | undefined][] = [
    ["id", j.jobId],
    ["name", j.jobName],
    ["type", j.jobType],
    ["state", j.jobState],
    ["result", j.jobResult],
    ["progress", j.jobProgress === undefined ? undefined : `${j.jobProgress}%`],
    ["submitted", ms(j.submittedTime)],
    ["started", ms(j.startedTime)],
    ["finished", ms(j.finishedTime)],
    ["user", j.user],
    ["queue", j.queue],
    ["tracking url", j.trackingUrl],
  ];
  return rows.filter((x): x is [string, string] => x[1] !== undefined && x[1] !== "").map(([k, v]) => `${k.padEnd(16)}${v}`).join("\n");
}

/**
 * `--cloud huawei`: MRS jobs through the library's helpers (`submitMrsJob`,
 * `mrsJobHandle`, `listMrsJobs`; v1.1 `cancelJobExecution` with `--v1`),
 * signed with SDK-HMAC-SHA256 using HUAWEICLOUD_SDK_* from the environment.
 * This file holds what Huawei contributes — its flags read, its spec, its
 * views, `cancel --v1` — and runs the shared job commands
 * (jobs/run-job-command.ts).
 *
 * @module
 */
import { toJson } from "@bufbuild/protobuf";
import { jobPhase } from "../../job-phase.js";
import { createHuaweiCloud } from "../../huawei/index.js";
import type { HuaweiCloud } from "../../huawei/index.js";
import { JobExecutionSchema, JobExecutionService as MrsV1, findMrsClusterByName } from "../../huawei/mrs/v1/index.js";
import { JobQueryBeanSchema, listMrsJobs, mrsJobHandle, submitMrsJob } from "../../huawei/mrs/v2/index.js";
import type { JobQueryBean, MrsJobResult, MrsJobState, MrsJobType } from "../../huawei/mrs/v2/index.js";
import { keyValues } from "../args.js";
import type { Flags } from "../args.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { shellWord } from "../globals.js";
import { Output } from "../output.js";
import type { CloudJobs } from "../jobs/cloud-jobs.js";
import { byName } from "../clusters/by-name.js";
import { runClusterCommand } from "../clusters/run-cluster-command.js";
import { openHuaweiClusters } from "./huawei-clusters.js";
import type { JobView } from "../jobs/job-view.js";
import { runJobCommand } from "../jobs/run-job-command.js";
import { mrsKinds } from "./catalog.js";
import { required } from "./shared.js";

export async function run(context: CommandContext): Promise<number> {
  const { command, io, flags, positionals } = context;
  if (command.path[0] === "clusters") {
    const opened = openHuaweiCloud(context);
    return runClusterCommand(openHuaweiClusters(opened.huawei), context);
  }
  const v1Only = command.path[0] === "cancel" && flags.boolean("v1") && !flags.boolean("wait");
  const jobs = await openHuaweiJobs(context, v1Only);
  if (!v1Only) return runJobCommand(jobs, context);
  try {
    // The documented v1.1 cancel (Sahara-compatible): no cluster needed.
    const jobId = positionals[0]!;
    const { jobExecution } = await jobs.huawei.client(MrsV1).cancelJobExecution({ jobExecutionId: jobId }, { signal: io.signal });
    await new Output(io, flags.boolean("json")).result(`job ${jobId} cancelling (v1.1)`, {
      cloud: "huawei",
      jobId,
      jobExecution: jobExecution ? toJson(JobExecutionSchema, jobExecution, { useProtoFieldName: true }) : null,
    });
    return ExitCode.ok;
  } finally {
    jobs.close();
  }
}

/** The MRS cloud of `--project-id`, `--region`, `--endpoint` and the environment (nothing sent yet). */
export function openHuaweiCloud({ command, io, flags }: CommandContext): { huawei: HuaweiCloud; projectId: string; region: string | undefined } {
  const env = io.env ?? process.env;
  const word = command.path.join(" ");
  const endpoint = flags.string("endpoint") ?? (env["HUAWEICLOUD_MRS_ENDPOINT"] || undefined);
  const region = flags.string("region");
  if (region === undefined && endpoint === undefined) throw new UsageError(`${word}: give --region (e.g. cn-north-4) or --endpoint (or set HUAWEICLOUD_MRS_ENDPOINT)`);
  const projectId = flags.string("project-id") ?? (env["HUAWEICLOUD_SDK_PROJECT_ID"] || undefined);
  if (projectId === undefined) throw new UsageError(`${word}: --project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)`);
  try {
    // No credentials option: the library's default source reads
    // HUAWEICLOUD_SDK_* from `env` and, when they are missing, rejects the
    // first call (UNAUTHENTICATED, nothing sent) as the other clouds do.
    const huawei = createHuaweiCloud({
      // The region only names the endpoint; with --endpoint it is not used.
      region: region ?? "custom",
      projectId,
      env,
      ...(endpoint === undefined ? {} : { endpoint }),
    });
    return { huawei, projectId, region };
  } catch (error) {
    throw new UsageError(`${endpoint === undefined ? `--region ${region}` : `--endpoint ${endpoint}`}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The Huawei {@link CloudJobs}, from `--cluster` (or `--cluster-name`,
 * looked up with `findMrsClusterByName`), `--project-id`, `--region`,
 * `--endpoint` and the environment.
 */
export async function openHuaweiJobs(context: CommandContext, v1Only = false): Promise<CloudJobs<JobQueryBean> & { huawei: HuaweiCloud }> {
  const { command, io, flags } = context;
  const word = command.path.join(" ");
  const clusterName = flags.string("cluster-name");
  if (clusterName !== undefined && flags.string("cluster") !== undefined) throw new UsageError(`${word}: give --cluster or --cluster-name, not both`);
  const givenId = v1Only || clusterName !== undefined ? (flags.string("cluster") ?? "") : required(flags, "cluster", word);
  const { huawei, projectId, region } = openHuaweiCloud(context);
  let clusterId = givenId;
  if (clusterName !== undefined && !v1Only) {
    try {
      const found = await byName("cluster-name", clusterName, () => findMrsClusterByName(huawei, clusterName, { signal: io.signal }));
      clusterId = found.clusterId ?? "";
    } catch (error) {
      huawei.close();
      throw error;
    }
  }
  const selector = [
    "--cloud huawei --cluster",
    shellWord(clusterId),
    ...(flags.string("project-id") === undefined ? [] : ["--project-id", shellWord(projectId)]),
    ...(region === undefined ? [] : ["--region", shellWord(region)]),
    ...(flags.string("endpoint") === undefined ? [] : ["--endpoint", shellWord(flags.string("endpoint")!)]),
  ].join(" ");
  return {
    cloud: "huawei",
    noun: "job",
    idWidth: 36,
    huawei,
    selector,
    submit: (kind, f, signal) => {
      const type = mrsKinds.find((k) => k.name === kind);
      if (type === undefined) throw new UsageError(`${word}: unknown job kind`);
      return submitMrsJob(huawei, {
        clusterId,
        jobType: type.jobType as MrsJobType,
        jobName: required(f, "name", word),
        arguments: f.strings("arg"),
        properties: keyValues("property", f.strings("property")),
        signal,
      });
    },
    handle: (id) => mrsJobHandle(huawei, clusterId, id),
    list: (f, signal) => listed(huawei, clusterId, f, signal),
    view: (j) => jobView(j, clusterId),
    logs: { instead: 'the MRS job API serves no logs; "dataproc-connect get JOB_ID --cloud huawei …" shows the tracking URL that has them' },
    close: () => huawei.close(),
  };
}

async function* listed(huawei: HuaweiCloud, clusterId: string, flags: Flags, signal: AbortSignal): AsyncIterable<JobView> {
  if (flags.boolean("newest-first") && flags.boolean("oldest-first")) throw new UsageError("list: give --newest-first or --oldest-first, not both");
  const jobs = listMrsJobs(huawei, {
    clusterId,
    signal,
    sortBy: flags.boolean("oldest-first") ? "asc" : "desc",
    ...(flags.string("state") === undefined ? {} : { jobState: flags.string("state") as MrsJobState }),
    ...(flags.string("result") === undefined ? {} : { jobResult: flags.string("result") as MrsJobResult }),
    ...(flags.string("name") === undefined ? {} : { jobName: flags.string("name")! }),
  });
  for await (const j of jobs) yield jobView(j, clusterId);
}

const ms = (value: bigint | undefined): number | undefined => (value === undefined || value === 0n ? undefined : Number(value));
/** `SparkSubmit` → `spark-submit`, as `submit` spells the kinds. */
const kindOf = (type: string | undefined): string | undefined => mrsKinds.find((k) => k.jobType === type)?.name ?? type;

function jobView(j: JobQueryBean, clusterId: string): JobView {
  return {
    id: j.jobId ?? "",
    ref: { cloud: "huawei", clusterId, jobId: j.jobId ?? "" } as JobView["ref"],
    name: j.jobName || undefined,
    kind: kindOf(j.jobType),
    // MRS tells the end by two fields: FINISHED/SUCCEEDED, FINISHED/FAILED, KILLED/KILLED.
    status: [j.jobState ?? "?", ...(j.jobResult && j.jobResult !== "UNDEFINED" ? [j.jobResult] : [])].join("/"),
    phase: jobPhase(j),
    createdAt: ms(j.submittedTime),
    startedAt: ms(j.startedTime),
    finishedAt: ms(j.finishedTime),
    details: [
      ["cluster", clusterId],
      ["progress", j.jobProgress === undefined ? undefined : `${j.jobProgress}%`],
      ["user", j.user],
      ["queue", j.queue],
      ["tracking url", j.trackingUrl],
    ],
    job: toJson(JobQueryBeanSchema, j, { useProtoFieldName: true }),
  };
}

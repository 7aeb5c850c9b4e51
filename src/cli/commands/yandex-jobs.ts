/**
 * What Yandex contributes to the job commands (Data Proc and Managed Spark,
 * over gRPC or REST): its spec from the `submit <kind>` flags (job-kinds.ts
 * and the library's builders), `list`'s `--name`/`--filter`/`--newest-first`,
 * the log API, and the Create/Cancel operation ids in `--json`. The commands
 * themselves are every cloud's (jobs/run-job-command.ts).
 *
 * @module
 */
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { dataprocJobs, jobHandle, jobLogs, listJobs, managedSparkJobs, submitJob } from "../../index.js";
import type { CreateJobRequestOf, DataprocJobSpec, JobServiceDesc, ManagedSparkJobSpec, SubmittedJob } from "../../index.js";
import type { Flags } from "../args.js";
import type { JobCommandContext } from "../command.js";
import { UsageError } from "../exit.js";
import { yandexView } from "../format.js";
import type { AnyServiceJob } from "../format.js";
import { jobSelector } from "../globals.js";
import type { JobOptions, ServiceName } from "../globals.js";
import { findJobKind, specInput } from "../job-kinds.js";
import type { JobKindName } from "../job-kinds.js";
import type { CloudJobs } from "../jobs/cloud-jobs.js";
import type { JobView } from "../jobs/job-view.js";
import { readLimit, runJobCommand } from "../jobs/run-job-command.js";
import { openSession } from "../session.js";
import { findClusterByName } from "../../yandex/clusters/index.js";
import { byName } from "../clusters/by-name.js";
import { clusterServiceOf } from "./yandex-clusters.js";
import type { Session } from "../session.js";

/** The API's largest page. */
const maxPageSize = 1000;

export async function run(context: JobCommandContext): Promise<number> {
  const env = context.io.env ?? process.env;
  return runJobCommand(openYandexJobs(await withClusterId(context.job, env, context.io.signal), env), context);
}

/** `options` with `--cluster-name` resolved to the cluster's id (one `List` filtered by name). */
async function withClusterId(options: JobOptions, env: Readonly<Record<string, string | undefined>>, signal: AbortSignal): Promise<JobOptions> {
  const name = options.clusterName;
  if (name === undefined) return options;
  const session = openSession(options, env);
  try {
    const found = await byName("cluster-name", name, () => findClusterByName(session.cloud, clusterServiceOf(options.service), name, { folderId: options.folderId!, signal }));
    return { ...options, clusterId: found.id };
  } finally {
    session.close();
  }
}

/** The Yandex {@link CloudJobs} of the shared job flags (`--cluster`, `--service`, `--endpoint`, `--transport`, `--key-file`). */
export function openYandexJobs(options: JobOptions, env: Readonly<Record<string, string | undefined>>): CloudJobs<AnyServiceJob> {
  const session = openSession(options, env);
  return {
    cloud: "yandex",
    noun: "job",
    idWidth: 20,
    selector: jobSelector(options, options.clusterId),
    submit: (kind, flags, signal) => submitJob(session.cloud, session.service, request(session, options, kind, flags), { signal }),
    submitted: (handle) => ({ operationId: (handle as SubmittedJob<JobServiceDesc>).operation.id }),
    handle: (id) => jobHandle(session.cloud, session.service, session.ref(id)),
    // Cancel returns an operation: its id goes into --json, as the Create operation's does.
    cancel: async (handle, _flags, signal) => ({ operationId: (await session.jobs.cancel(session.ref(handle.id), { signal })).id }),
    list: (flags, signal) => listed(session, options, flags, signal),
    view: (job) => yandexView(session, job),
    logs: (handle, follow, signal) => jobLogs(session.cloud, session.service, session.ref(handle.id), { follow, signal }),
    close: () => session.close(),
  };
}

/** `Create` of `submit <kind>`: job-kinds.ts has checked the flags; the builders place them. */
function request(session: Session, options: JobOptions, kindName: string, flags: Flags): CreateJobRequestOf<JobServiceDesc> {
  const kind = findJobKind(kindName);
  if (kind === undefined) throw new UsageError(`submit: unknown job kind ${JSON.stringify(kindName)}`);
  const name = flags.string("name");
  return {
    clusterId: options.clusterId,
    ...(name === undefined ? {} : { name }),
    jobSpec: buildSpec(options.service, kind.name, specInput(kind, options.service, flags)),
    ...(options.service === "spark"
      ? { serviceAccountId: flags.string("service-account-id") ?? "", environmentId: flags.string("environment-id") ?? "" }
      : {}),
  } as CreateJobRequestOf<JobServiceDesc>;
}

/**
 * The `jobSpec` for `service` from the flag input. The builders reject any
 * key they cannot place, so a wrong field name in the flag table fails
 * loudly rather than being dropped.
 */
function buildSpec(service: ServiceName, kind: JobKindName, input: Record<string, unknown>): DataprocJobSpec | ManagedSparkJobSpec {
  // The builder groups are keyed by the camelCase kind ("spark-connect" → "sparkConnect").
  const builders: Readonly<Record<string, (spec: never) => DataprocJobSpec | ManagedSparkJobSpec>> =
    service === "dataproc" ? dataprocJobs : managedSparkJobs;
  const build = builders[kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
  if (!build) throw new UsageError(`--service ${service} runs no ${kind} jobs`);
  return build(input as never);
}

/**
 * The jobs of the cluster in the service's order (oldest first), page by
 * page as they arrive; `--newest-first` reads every page first and sorts by
 * creation time (the API has no sort order).
 */
async function* listed(session: Session, options: JobOptions, flags: Flags, signal: AbortSignal): AsyncIterable<JobView> {
  const filter = readFilter(flags.string("name"), flags.string("filter"));
  const limit = readLimit(flags.string("limit"));
  const newestFirst = flags.boolean("newest-first");
  // Newest first needs every page anyway: ask for the largest ones.
  const pageSize = newestFirst ? maxPageSize : limit === undefined ? undefined : Math.min(Math.max(limit, 1), maxPageSize);
  const jobs = listJobs(session.cloud, session.service, options.clusterId, {
    signal,
    ...(filter === undefined ? {} : { filter }),
    ...(pageSize === undefined ? {} : { pageSize }),
  });
  for await (const job of newestFirst ? await newestFirstOrder(jobs) : jobs) yield yandexView(session, job);
}

function readFilter(name: string | undefined, filter: string | undefined): string | undefined {
  if (name !== undefined && filter !== undefined) throw new UsageError("list: give --name or --filter, not both");
  if (name === undefined) return filter;
  if (name.includes('"')) throw new UsageError('list: --name must not contain "');
  return `name="${name}"`;
}

/**
 * Every job, newest `createdAt` first. Jobs created in the same millisecond
 * (or without a time) keep the reverse of the service's order, which lists
 * older jobs first.
 */
async function newestFirstOrder(jobs: AsyncIterable<AnyServiceJob>): Promise<AnyServiceJob[]> {
  const all: AnyServiceJob[] = [];
  for await (const job of jobs) all.push(job);
  const created = (job: AnyServiceJob): number => (job.createdAt === undefined ? 0 : timestampMs(job.createdAt));
  return all.reverse().sort((a, b) => created(b) - created(a));
}

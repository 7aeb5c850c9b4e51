/**
 * `list`: every job of the cluster in the service's order (oldest first),
 * read page by page with `listJobs` and printed as it arrives (constant
 * memory). `--newest-first` reads every page first, then prints by creation
 * time, newest first (the API has no sort order, so memory grows with the
 * job count; `--limit` still applies after sorting). Human output is a
 * table with a header; `--json` prints one job object per line.
 *
 * @module
 */
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { listJobs } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { jobJson, jobRow, jobRowHeader } from "../format.js";
import type { AnyServiceJob } from "../format.js";
import { Output } from "../output.js";
import { openSession } from "../session.js";

/** The API's largest page. */
const maxPageSize = 1000;

export async function run({ io, flags, job: options }: JobCommandContext): Promise<number> {
  const filter = readFilter(flags.string("name"), flags.string("filter"));
  const limit = readLimit(flags.string("limit"));
  const out = new Output(io, options.json);
  const session = openSession(options, io.env);
  try {
    // The header goes out with the first row (or at the end), never before an error.
    let header = true;
    const printHeader = async (): Promise<void> => {
      if (header) await out.line(jobRowHeader);
      header = false;
    };
    if (limit === 0) {
      await printHeader();
      return ExitCode.ok;
    }
    let count = 0;
    const newestFirst = flags.boolean("newest-first");
    // Newest first needs every page anyway: ask for the largest ones.
    const pageSize = newestFirst ? maxPageSize : limit === undefined ? undefined : Math.min(limit, maxPageSize);
    const listed = listJobs(session.cloud, session.service, options.clusterId, {
      signal: io.signal,
      ...(filter === undefined ? {} : { filter }),
      ...(pageSize === undefined ? {} : { pageSize }),
    });
    const jobs = newestFirst ? await newestFirstOrder(listed) : listed;
    for await (const job of jobs) {
      await printHeader();
      await out.result(jobRow(job), jobJson(session, job));
      if (++count === limit) break;
    }
    await printHeader();
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

function readFilter(name: string | undefined, filter: string | undefined): string | undefined {
  if (name !== undefined && filter !== undefined) throw new UsageError("list: give --name or --filter, not both");
  if (name === undefined) return filter;
  if (name.includes('"')) throw new UsageError('list: --name must not contain "');
  return `name="${name}"`;
}

function readLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`list: --limit must be a whole number (got ${JSON.stringify(text)})`);
  return Number(text);
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

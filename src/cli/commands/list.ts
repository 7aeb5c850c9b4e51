/**
 * `list`: every job of the cluster, oldest first, read page by page with
 * `listJobs` and printed as it arrives (constant memory). Human output is a
 * table with a header; `--json` prints one job object per line.
 *
 * @module
 */
import { listJobs } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode, UsageError } from "../exit.js";
import { jobJson, jobRow, jobRowHeader } from "../format.js";
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
    const pageSize = limit === undefined ? undefined : Math.min(limit, maxPageSize);
    const jobs = listJobs(session.cloud, session.service, options.clusterId, {
      signal: io.signal,
      ...(filter === undefined ? {} : { filter }),
      ...(pageSize === undefined ? {} : { pageSize }),
    });
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

/**
 * `get JOB_ID`: reads the job once (`JobService.Get`) and prints its card,
 * or with `--json` the job object (see format.ts). Exits 0 whatever the
 * job's status: it reports, it does not judge.
 *
 * @module
 */
import type { JobCommandContext } from "../command.js";
import { ExitCode } from "../exit.js";
import { jobCard, jobJson } from "../format.js";
import type { AnyServiceJob } from "../format.js";
import { Output } from "../output.js";
import { openSession } from "../session.js";

export async function run({ io, positionals, job: options }: JobCommandContext): Promise<number> {
  const out = new Output(io, options.json);
  const session = openSession(options, io.env);
  try {
    const job = (await session.jobs.get(session.ref(positionals[0]!), { signal: io.signal })) as AnyServiceJob;
    await out.result(jobCard(session, job), jobJson(session, job));
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

/**
 * `logs JOB_ID [--follow]`: the job's output through `jobLogs`, written to
 * stdout exactly as the service stores it (pages are joined as bytes, so no
 * character is split). With `--follow` it keeps reading while the job runs
 * and ends once the job has ended and the log is drained. Exits 0 whatever
 * the job's status.
 *
 * @module
 */
import { jobLogs } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode } from "../exit.js";
import { Output } from "../output.js";
import { openSession } from "../session.js";

export async function run({ io, flags, positionals, job: options }: JobCommandContext): Promise<number> {
  const out = new Output(io, options.json);
  const session = openSession(options, io.env);
  try {
    const ref = session.ref(positionals[0]!);
    const follow = flags.boolean("follow");
    for await (const text of jobLogs(session.cloud, session.service, ref, { follow, signal: io.signal })) {
      await out.log(ref.jobId, text);
    }
    return ExitCode.ok;
  } finally {
    session.close();
  }
}

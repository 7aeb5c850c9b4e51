/**
 * `cancel JOB_ID [--wait]`: `JobService.Cancel`, then with `--wait` the job
 * is watched until it stops. Exit 0 once the cancel is accepted (without
 * `--wait`) or when the job ended CANCELLED; 1 when it ended otherwise (it
 * finished before the cancel took effect). A job that has already ended
 * cannot be cancelled: the service answers FAILED_PRECONDITION (exit 1).
 *
 * @module
 */
import { isCancelled, statusName } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode } from "../exit.js";
import { jobJson } from "../format.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { openSession } from "../session.js";
import { waitWithProgress } from "../watch.js";

export async function run({ io, flags, positionals, job: options }: JobCommandContext): Promise<number> {
  const out = new Output(io, options.json);
  const session = openSession(options, io.env);
  try {
    const ref = session.ref(positionals[0]!);
    const since = Date.now();
    const operation = await session.jobs.cancel(ref, { signal: io.signal });
    if (!flags.boolean("wait")) {
      await out.result(`job ${ref.jobId} cancelling`, { ...ref, operationId: operation.id });
      return ExitCode.ok;
    }
    const job = await waitWithProgress(session, ref, out, io.signal, since);
    const elapsedMs = Date.now() - since;
    await out.result(
      `job ${ref.jobId} ${statusName(job)} in ${formatDuration(elapsedMs)}`,
      jobJson(session, job, { operationId: operation.id, elapsedMs }),
    );
    return isCancelled(job) ? ExitCode.ok : ExitCode.failed;
  } finally {
    session.close();
  }
}

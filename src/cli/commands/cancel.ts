/**
 * `cancel JOB_ID [--wait]`: `JobService.Cancel`, then with `--wait` the job
 * is watched until it stops. Exit 0 once the cancel is accepted (without
 * `--wait`) or when the job ended CANCELLED; 1 when it ended otherwise (it
 * finished before the cancel took effect). A job that has already ended
 * cannot be cancelled: exit 1, FAILED_PRECONDITION naming its final status,
 * as on every cloud.
 *
 * @module
 */
import { isCancelled, statusName } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode } from "../exit.js";
import { jobJson, yandexView } from "../format.js";
import type { AnyServiceJob } from "../format.js";
import { formatFailure } from "../failure.js";
import { endedFailure, endedJob } from "../jobs/run-job-command.js";
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
    let operation;
    try {
      operation = await session.jobs.cancel(ref, { signal: io.signal });
    } catch (error) {
      // The same answer as every cloud gives (jobs/run-job-command.ts).
      const ended = await endedJob(error, io.signal, async () => yandexView(session, (await session.jobs.get(ref, { signal: io.signal })) as AnyServiceJob));
      io.stderr.write(formatFailure(endedFailure("job", ended), options.json));
      return ExitCode.failed;
    }
    if (!flags.boolean("wait")) {
      const handleRef = { cloud: "yandex", service: session.service.typeName, ...ref };
      await out.result(`job ${ref.jobId} cancelling`, { cloud: "yandex", jobId: ref.jobId, ref: handleRef, operationId: operation.id });
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

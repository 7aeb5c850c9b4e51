/**
 * Watching a job until it ends, for `submit --wait/--follow` and
 * `cancel --wait`: the library's `waitForJob` drives the progress line, and
 * `jobLogs` (with `follow`) streams the log at the same time.
 *
 * @module
 */
import { jobLogs, statusName, waitForJob } from "../index.js";
import type { JobRef } from "../index.js";
import type { AnyServiceJob } from "./format.js";
import type { Output } from "./output.js";
import type { Session } from "./session.js";

/** Polls the job until it is terminal, showing `job <id> <STATUS> <elapsed>` on a terminal. */
export async function waitWithProgress(
  session: Session,
  ref: JobRef,
  out: Output,
  signal: AbortSignal,
  since: number,
): Promise<AnyServiceJob> {
  try {
    return await waitForJob(session.cloud, session.service, ref, {
      signal,
      onStatus: (job) => out.progress.show(`job ${ref.jobId} ${statusName(job)}`, since),
    });
  } finally {
    out.progress.done();
  }
}

/** Prints the job's log as it grows, until the job has ended and the log is drained. */
export async function followLog(session: Session, ref: JobRef, out: Output, signal: AbortSignal): Promise<void> {
  for await (const text of jobLogs(session.cloud, session.service, ref, { follow: true, signal })) {
    await out.log(ref.jobId, text);
  }
}

/**
 * Follows the log and waits for the end at once, so the progress line shows
 * the status while the log streams. If either fails, the other is stopped
 * and the first error is thrown.
 */
export async function followAndWait(
  session: Session,
  ref: JobRef,
  out: Output,
  signal: AbortSignal,
  since: number,
): Promise<AnyServiceJob> {
  const both = new AbortController();
  const stop = (): void => both.abort(signal.reason);
  signal.addEventListener("abort", stop, { once: true });
  const guard = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      both.abort(error);
      throw error;
    });
  try {
    const [job] = await Promise.all([
      guard(waitWithProgress(session, ref, out, both.signal, since)),
      guard(followLog(session, ref, out, both.signal)),
    ]);
    return job;
  } finally {
    signal.removeEventListener("abort", stop);
  }
}

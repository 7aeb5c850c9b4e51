/**
 * `submit`, `get`, `list`, `logs` and `cancel`, written once over the
 * cloud-neutral {@link JobHandle}: each cloud gives a {@link CloudJobs}
 * (its flags read, its spec builders, its views) and gets the same
 * behaviour as the others:
 *
 * - `submit --wait` exits 0 only when the job's phase is `succeeded`, 1
 *   otherwise; `cancel --wait` exits 0 only for `cancelled`;
 * - Ctrl-C while waiting exits 130 (143 for SIGTERM), leaves the job running
 *   and prints the exact command that cancels it;
 * - cancelling a job that has already ended is an error (exit 1,
 *   `FAILED_PRECONDITION`) that names its final status, whatever the
 *   cloud answered;
 * - `--json` prints the objects of job-view.ts.
 *
 * @example
 * ```ts
 * return runJobCommand(await openHuaweiJobs(context), context);
 * ```
 *
 * @module
 */
import type { JobHandle, JobWaitOptions } from "../../core/job-model.js";
import { finalJobPhases } from "../../core/job-model.js";
import type { Flags } from "../args.js";
import type { CommandContext } from "../command.js";
import { ExitCode, UsageError, interruptedExitCode } from "../exit.js";
import { failure, formatFailure } from "../failure.js";
import type { Failure } from "../failure.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { numberFlag } from "../clouds/shared.js";
import { shellWord } from "../globals.js";
import type { CloudJobs } from "./cloud-jobs.js";
import { viewCard, viewJson, viewTable } from "./job-view.js";
import type { JobView } from "./job-view.js";

/** Runs `context.command` (`submit <kind>`, `get`, `list`, `logs`, `cancel`) on `jobs`' cloud, then closes it. */
export async function runJobCommand<J>(jobs: CloudJobs<J>, context: CommandContext): Promise<number> {
  try {
    return await dispatch(jobs, context);
  } finally {
    jobs.close();
  }
}

async function dispatch<J>(jobs: CloudJobs<J>, { command, io, flags, positionals }: CommandContext): Promise<number> {
  const out = new Output(io, flags.boolean("json"));
  const { signal } = io;
  const since = Date.now();
  const word = command.path[0];
  const waitFor = async (handle: JobHandle<J>, until: AbortSignal = signal): Promise<J> => {
    try {
      return await handle.wait({
        signal: until,
        ...pollOptions(flags),
        onStatus: (job) => out.progress.show(`${jobs.noun} ${handle.id} ${jobs.view(job).status}`, since),
      } satisfies JobWaitOptions<J>);
    } finally {
      out.progress.done();
    }
  };
  const final = async (job: J, goal: "succeeded" | "cancelled", extra: Record<string, unknown> = {}, toStderr = false): Promise<number> => {
    const view = jobs.view(job);
    const elapsedMs = Date.now() - since;
    await out.result(`${jobs.noun} ${view.id} ${view.status} in ${formatDuration(elapsedMs)}`, viewJson(jobs.cloud, view, { ...extra, elapsedMs }), toStderr);
    return view.phase === goal ? ExitCode.ok : ExitCode.failed;
  };
  const logsOf = (handle: JobHandle<J>, follow: boolean, stop: AbortSignal): AsyncIterable<string> => {
    if (typeof jobs.logs !== "function") throw new UsageError(`logs: ${jobs.logs.instead}`);
    return jobs.logs(handle, follow, stop);
  };
  /**
   * `--follow`: the log to stdout while waiting, so the progress line shows
   * the status as the log streams. If either fails, the other is stopped and
   * the first error is thrown.
   */
  const followAndWait = async (handle: JobHandle<J>): Promise<J> => {
    const both = new AbortController();
    const stop = (): void => both.abort(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    const guard = <T>(work: Promise<T>): Promise<T> =>
      work.catch((error: unknown) => {
        both.abort(error);
        throw error;
      });
    const follow = async (): Promise<void> => {
      for await (const text of logsOf(handle, true, both.signal)) await out.log(handle.id, text);
    };
    try {
      const [job] = await Promise.all([guard(waitFor(handle, both.signal)), guard(follow())]);
      return job;
    } finally {
      signal.removeEventListener("abort", stop);
    }
  };

  switch (word) {
    case "submit": {
      const handle = await jobs.submit(command.path[1] ?? "", flags, signal);
      const extra = jobs.submitted?.(handle) ?? {};
      const ids = { cloud: jobs.cloud, jobId: handle.id, ref: handle.ref, ...extra };
      const follow = flags.boolean("follow");
      if (!follow && !flags.boolean("wait")) {
        await out.result(`${jobs.noun} ${handle.id} submitted`, ids);
        return ExitCode.ok;
      }
      // With --follow stdout carries only the log; the job lines go to stderr.
      if (follow) out.note(`${jobs.noun} ${handle.id} submitted`);
      else await out.line(`${jobs.noun} ${handle.id} submitted`);
      let job: J;
      try {
        job = follow ? await followAndWait(handle) : await waitFor(handle);
      } catch (error) {
        if (!signal.aborted) throw error;
        // The exact command that cancels it: same cloud, scope and endpoint.
        const cancel = `dataproc-connect cancel ${shellWord(handle.id)} ${jobs.selector}`;
        const exitCode = interruptedExitCode(signal);
        const message = `interrupted: ${jobs.noun} ${handle.id} keeps running (to cancel it: ${cancel})`;
        io.stderr.write(formatFailure(failure(exitCode, "INTERRUPTED", message, { ...ids, cancelCommand: cancel }), out.json));
        return exitCode;
      }
      return final(job, "succeeded", extra, follow);
    }
    case "get": {
      const view = jobs.view(await jobs.handle(positionals[0]!).get({ signal }));
      await out.result(viewCard(view), viewJson(jobs.cloud, view));
      return ExitCode.ok;
    }
    case "list": {
      const limit = readLimit(flags.string("limit"));
      const table = viewTable(jobs.idWidth);
      // The header goes out with the first row (or at the end), never before an error.
      let header = true;
      const printHeader = async (): Promise<void> => {
        if (header) await out.line(table.header);
        header = false;
      };
      let count = 0;
      if (limit !== 0) {
        for await (const view of jobs.list(flags, signal)) {
          await printHeader();
          await out.result(table.row(view), viewJson(jobs.cloud, view));
          if (++count === limit) break;
        }
      }
      await printHeader();
      return ExitCode.ok;
    }
    case "logs": {
      if (typeof jobs.logs !== "function") throw new UsageError(`logs: ${jobs.logs.instead}`);
      const id = positionals[0]!;
      for await (const text of logsOf(jobs.handle(id), flags.boolean("follow"), signal)) await out.log(id, text);
      return ExitCode.ok;
    }
    case "cancel": {
      const handle = jobs.handle(positionals[0]!);
      let extra: Record<string, unknown> = {};
      try {
        extra = { ...((jobs.cancel ? await jobs.cancel(handle, flags, signal) : await handle.cancel({ signal })) ?? {}) };
      } catch (error) {
        const ended = await endedJob(error, signal, async () => jobs.view(await handle.get({ signal })));
        io.stderr.write(formatFailure(endedFailure(jobs.noun, ended), out.json));
        return ExitCode.failed;
      }
      if (!flags.boolean("wait")) {
        await out.result(`${jobs.noun} ${handle.id} cancelling`, { cloud: jobs.cloud, jobId: handle.id, ref: handle.ref, ...extra });
        return ExitCode.ok;
      }
      return final(await waitFor(handle), "cancelled", extra);
    }
  }
  throw new UsageError(`${command.path.join(" ")}: not a job command`);
}

/**
 * After a refused cancel: the job when it has already ended, else the
 * refusal is thrown again. So every cloud answers the same way, whatever
 * its service said (FAILED_PRECONDITION, ValidationException, MRS 0175).
 */
export async function endedJob(refusal: unknown, signal: AbortSignal, read: () => Promise<JobView>): Promise<JobView> {
  const ended = signal.aborted ? undefined : await read().catch(() => undefined);
  if (ended === undefined || !finalJobPhases.has(ended.phase)) throw refusal;
  return ended;
}

/** `cancel` of an ended job: exit 1, `FAILED_PRECONDITION`, naming its final status and phase. */
export function endedFailure(noun: string, ended: JobView): Failure {
  const message = `${noun} ${ended.id} is already ${ended.status} (${ended.phase}): nothing to cancel`;
  return failure(ExitCode.failed, "FAILED_PRECONDITION", message, { jobId: ended.id, status: ended.status, phase: ended.phase });
}

/** `list --limit N`, a whole number; `undefined` when absent. */
export function readLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`list: --limit must be a whole number (got ${JSON.stringify(text)})`);
  return Number(text);
}

/** `--poll-interval S` as fixed poll delays; nothing when absent (each cloud's defaults). */
export function pollOptions(flags: Flags): { initialDelayMs?: number; maxDelayMs?: number } {
  const seconds = numberFlag(flags, "poll-interval");
  return seconds === undefined ? {} : { initialDelayMs: seconds * 1000, maxDelayMs: seconds * 1000 };
}

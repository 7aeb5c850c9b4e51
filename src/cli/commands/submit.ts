/**
 * `submit <kind>`: builds the spec with the library's builders, submits it
 * with `submitJob` and, with `--wait` or `--follow`, watches it to the end.
 *
 * Output: `job <id> submitted`, then (when waiting) `job <id> DONE in 3.2s`;
 * with `--follow` stdout carries only the log and these lines go to stderr.
 * With `--json`: one object, `{cloud, jobId, ref, operationId}` or, when
 * waiting, the final job (see format.ts) with `operationId` and `elapsedMs`.
 *
 * @module
 */
import { dataprocJobs, isSucceeded, managedSparkJobs, statusName, submitJob } from "../../index.js";
import type { CreateJobRequestOf, DataprocJobSpec, JobServiceDesc, ManagedSparkJobSpec } from "../../index.js";
import type { JobCommandContext } from "../command.js";
import { ExitCode, UsageError, interruptedExitCode } from "../exit.js";
import { jobJson } from "../format.js";
import { failure, formatFailure } from "../failure.js";
import { jobSelector, shellWord } from "../globals.js";
import type { ServiceName } from "../globals.js";
import { findJobKind, specInput } from "../job-kinds.js";
import type { JobKindName } from "../job-kinds.js";
import { Output } from "../output.js";
import { formatDuration } from "../progress.js";
import { openSession } from "../session.js";
import { followAndWait, waitWithProgress } from "../watch.js";

export async function run({ command, io, flags, job: options }: JobCommandContext): Promise<number> {
  const kind = findJobKind(command.path[1] ?? "");
  if (kind === undefined) throw new UsageError(`submit: unknown job kind ${JSON.stringify(command.path[1])}`);
  const input = specInput(kind, options.service, flags);
  const follow = flags.boolean("follow");
  const wait = follow || flags.boolean("wait");
  const name = flags.string("name");
  const jobSpec = buildSpec(options.service, kind.name, input);
  const request = {
    clusterId: options.clusterId,
    ...(name === undefined ? {} : { name }),
    jobSpec,
    ...(options.service === "spark"
      ? { serviceAccountId: flags.string("service-account-id") ?? "", environmentId: flags.string("environment-id") ?? "" }
      : {}),
  } as CreateJobRequestOf<JobServiceDesc>;

  const out = new Output(io, options.json);
  const session = openSession(options, io.env);
  try {
    const since = Date.now();
    const submitted = await submitJob(session.cloud, session.service, request, { signal: io.signal });
    const ref = { clusterId: submitted.clusterId, jobId: submitted.jobId };
    // The shape every cloud prints for a submit (jobs/run-job-command.ts), with Yandex's operation id.
    const ids = { cloud: "yandex", jobId: ref.jobId, ref: submitted.ref, operationId: submitted.operation.id };
    if (!wait) {
      await out.result(`job ${ref.jobId} submitted`, ids);
      return ExitCode.ok;
    }
    if (follow) out.note(`job ${ref.jobId} submitted`);
    else await out.line(`job ${ref.jobId} submitted`);
    let final;
    try {
      final = follow
        ? await followAndWait(session, ref, out, io.signal, since)
        : await waitWithProgress(session, ref, out, io.signal, since);
    } catch (error) {
      if (!io.signal.aborted) throw error;
      // The exact command that cancels it: same service, endpoint and key file.
      const cancel = `dataproc-connect cancel ${shellWord(ref.jobId)} ${jobSelector(options, ref.clusterId)}`;
      const exitCode = interruptedExitCode(io.signal);
      const message = `interrupted: job ${ref.jobId} keeps running (to cancel it: ${cancel})`;
      io.stderr.write(formatFailure(failure(exitCode, "INTERRUPTED", message, { ...ids, cancelCommand: cancel }), options.json));
      return exitCode;
    }
    const elapsedMs = Date.now() - since;
    await out.result(
      `job ${ref.jobId} ${statusName(final)} in ${formatDuration(elapsedMs)}`,
      jobJson(session, final, { operationId: ids.operationId, elapsedMs }),
      follow,
    );
    return isSucceeded(final) ? ExitCode.ok : ExitCode.failed;
  } finally {
    session.close();
  }
}

/**
 * The `jobSpec` for `service` from the flag input. job-kinds.ts has checked
 * the kind against the service and the required and exclusive flags; the
 * builders reject any key they cannot place, so a wrong field name in the
 * flag table fails loudly rather than being dropped.
 */
function buildSpec(
  service: ServiceName,
  kind: JobKindName,
  input: Record<string, unknown>,
): DataprocJobSpec | ManagedSparkJobSpec {
  // The builder groups are keyed by the camelCase kind ("spark-connect" → "sparkConnect").
  const builders: Readonly<Record<string, (spec: never) => DataprocJobSpec | ManagedSparkJobSpec>> =
    service === "dataproc" ? dataprocJobs : managedSparkJobs;
  const build = builders[kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
  if (!build) throw new UsageError(`--service ${service} runs no ${kind} jobs`);
  return build(input as never);
}

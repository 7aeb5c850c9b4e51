// A function written once against JobHandle<J> compiles for every cloud's
// handle: Yandex SubmittedJob and jobHandle, AWS JobRunHandle, Huawei
// MrsJobHandle — the program the issue could not write before (five of six
// lines failed `tsc --strict`).
import { describe, expectTypeOf, it } from "vitest";
import type { JobHandle, JobPhase, JobWaitOptions, SubmittedJob, YandexJobHandle } from "../../src/index.js";
import { jobPhase } from "../../src/index.js";
import type { JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import type { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import type { Job as DataprocJob } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import type { Job as SparkJob } from "../../gen/yandex/cloud/spark/v1/job_pb.js";
import type { JobRunHandle } from "../../src/aws/emr-serverless/index.js";
import type { JobRun } from "../../gen/aws/emr_serverless/v1/job_run_pb.js";
import type { MrsJobHandle } from "../../src/huawei/mrs/v2/index.js";
import type { JobQueryBean } from "../../gen/huawei/mrs/v2/job_execution_pb.js";

/** Written once: submit elsewhere, then wait (cancelling on abort), report, cancel, resume. */
async function runToEnd<J extends Parameters<typeof jobPhase>[0]>(handle: JobHandle<J>, signal: AbortSignal): Promise<JobPhase> {
  const first = await handle.get({ signal });
  const options: JobWaitOptions<J> = { signal, cancelOnAbort: true, timeoutMs: 3_600_000, policy: "growing-cap", onStatus: (job) => console.error(jobPhase(job)) };
  const job = await handle.wait(options);
  if (jobPhase(first) === "running") await handle.cancel({ signal });
  const saved: string = JSON.stringify(handle.ref);
  const links = (await handle.links?.({ signal })) ?? [];
  for await (const line of handle.logs?.({ signal }) ?? []) console.log(line, saved, links.length, handle.id);
  return jobPhase(job);
}

declare const dataproc: SubmittedJob<typeof DataprocJobService>;
declare const spark: YandexJobHandle<typeof SparkJobService>;
declare const aws: JobRunHandle;
declare const huawei: MrsJobHandle;
declare const signal: AbortSignal;

describe("JobHandle<J>", () => {
  it("every cloud's handle is a JobHandle of its job message", () => {
    expectTypeOf(dataproc).toExtend<JobHandle<DataprocJob>>();
    expectTypeOf(spark).toExtend<JobHandle<SparkJob>>();
    expectTypeOf(aws).toExtend<JobHandle<JobRun>>();
    expectTypeOf(huawei).toExtend<JobHandle<JobQueryBean>>();
    expectTypeOf(aws).not.toExtend<JobHandle<JobQueryBean>>();
  });

  it("one function serves all of them, with J inferred", () => {
    expectTypeOf(runToEnd(dataproc, signal)).toEqualTypeOf<Promise<JobPhase>>();
    expectTypeOf(runToEnd(spark, signal)).toEqualTypeOf<Promise<JobPhase>>();
    expectTypeOf(runToEnd(aws, signal)).toEqualTypeOf<Promise<JobPhase>>();
    expectTypeOf(runToEnd(huawei, signal)).toEqualTypeOf<Promise<JobPhase>>();
    expectTypeOf(aws.wait).parameter(0).toExtend<JobWaitOptions<JobRun> | undefined>();
  });

  it("onStatus sees the cloud's own message, and extra members stay", () => {
    void aws.wait({ onStatus: (run) => expectTypeOf(run).toEqualTypeOf<JobRun>() });
    void huawei.wait({ onStatus: (job) => expectTypeOf(job).toEqualTypeOf<JobQueryBean>() });
    expectTypeOf(aws.jobRunId).toBeString();
    expectTypeOf(aws.ref.cloud).toEqualTypeOf<"aws">();
    expectTypeOf(huawei.ref.cloud).toEqualTypeOf<"huawei">();
    expectTypeOf(dataproc.ref.cloud).toEqualTypeOf<"yandex">();
    expectTypeOf(dataproc.operation).not.toBeAny();
  });
});

#!/usr/bin/env node
// The demo behind `npm run demo`: the package doing its main job against the
// embedded emulator, with no cloud account. It starts the emulator in
// real-time mode, signs in with a freshly minted service-account key
// (key → PS256 JWT → IAM token), submits one job of every Data Proc kind and
// one Managed Spark job, streams one job's log while it grows, cancels one
// running job, shows live progress, and ends with a summary table.
//
// `--fast` divides every job duration by 10 (used by the test suite).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { JobService as DataprocJobService } from "../yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../yandex/spark/v1/index.js";
import {
  createYandexCloud,
  dataprocJobs,
  isActive,
  jobKind,
  managedSparkJobs,
  serviceAccountKey,
  statusName,
  submitJob,
} from "../index.js";
import type { JobOf, JobServiceDesc, SubmittedJob } from "../index.js";
import { startEmulator } from "../testing/index.js";
import { awsDemo } from "./aws.js";
import { huaweiDemo } from "./huawei.js";
import { Progress } from "./progress.js";
import { table } from "./table.js";

const fast = process.argv.includes("--fast");
const ms = (value: number): string => String(fast ? Math.round(value / 10) : value);

interface Tracked {
  readonly label: string;
  readonly short: string;
  readonly service: string;
  readonly job: SubmittedJob<JobServiceDesc>;
  final?: JobOf<JobServiceDesc>;
  status: string;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ pollIntervalSeconds: fast ? 0.1 : 1 });
  const keyDir = mkdtempSync(join(tmpdir(), "dataproc-connect-demo-"));
  const cloud = (() => {
    const keyPath = join(keyDir, "authorized_key.json");
    return { keyPath };
  })();
  try {
    console.log(`emulator listening on ${emulator.url}`);
    const key = await emulator.createServiceAccountKey();
    writeFileSync(cloud.keyPath, JSON.stringify(key, null, 2), { mode: 0o600 });
    console.log(`service-account key ${key.id} for ${key.service_account_id} written to ${cloud.keyPath}`);

    const yc = createYandexCloud({ endpoint: emulator.url, credentials: serviceAccountKey(cloud.keyPath) });
    try {
      await run(yc, emulator.clusters[0]!, emulator.callsTo.bind(emulator));
      await huaweiDemo(emulator.restUrl, emulator.huawei, emulator.clusters[0]!, fast);
      await awsDemo(emulator.restUrl, emulator.aws, fast);
    } finally {
      yc.close();
    }
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
    await emulator.close();
  }
}

async function run(
  cloud: ReturnType<typeof createYandexCloud>,
  clusterId: string,
  callsTo: (suffix: string) => readonly unknown[],
): Promise<void> {
  const props = (durationMs: number, extra: Record<string, string> = {}) => ({
    "emulator.duration_ms": ms(durationMs),
    "spark.executor.memory": "2g",
    "emulator.log_bytes": "2048",
    ...extra,
  });

  console.log("\nsubmitting jobs…");
  const tracked: Tracked[] = [];
  const track = async <S extends JobServiceDesc>(label: string, short: string, service: S, submitted: Promise<SubmittedJob<S>>) => {
    const job = (await submitted) as unknown as SubmittedJob<JobServiceDesc>;
    tracked.push({ label, short, service: service === DataprocJobService ? "Data Proc" : "Managed Spark", job, status: "PROVISIONING" });
    console.log(`  ${label.padEnd(22)} job ${job.jobId}`);
  };
  await track("spark (log streamed)", "spark", DataprocJobService, submitJob(cloud, DataprocJobService, {
    clusterId, name: "daily-aggregate",
    jobSpec: dataprocJobs.spark({
      mainJarFileUri: "s3a://demo-bucket/jobs/aggregate.jar", mainClass: "org.example.Aggregate", args: ["--date", "2026-11-22"],
      properties: props(4000, { "emulator.log_bytes": "6000" }),
    }),
  }));
  await track("pyspark", "pyspark", DataprocJobService, submitJob(cloud, DataprocJobService, {
    clusterId, name: "clean-events",
    jobSpec: dataprocJobs.pyspark({ mainPythonFileUri: "s3a://demo-bucket/jobs/clean.py", properties: props(9000) }),
  }));
  await track("hive", "hive", DataprocJobService, submitJob(cloud, DataprocJobService, {
    clusterId, name: "report-tables",
    jobSpec: dataprocJobs.hive({ queries: ["CREATE TABLE IF NOT EXISTS r AS SELECT 1", "SELECT count(*) FROM r"], properties: props(7000) }),
  }));
  await track("mapreduce (cancelled)", "mapreduce", DataprocJobService, submitJob(cloud, DataprocJobService, {
    clusterId, name: "word-count",
    jobSpec: dataprocJobs.mapreduce({ mainClass: "org.apache.hadoop.examples.WordCount", args: ["s3a://in", "s3a://out"], properties: props(60_000) }),
  }));
  await track("pyspark (Managed Spark)", "managed-pyspark", SparkJobService, submitJob(cloud, SparkJobService, {
    clusterId, name: "features",
    jobSpec: managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://demo-bucket/jobs/features.py", properties: props(11_000) }),
  }));

  const [streamed, , , toCancel] = tracked as [Tracked, Tracked, Tracked, Tracked, Tracked];
  console.log(`\nlog of ${streamed.label} job ${streamed.job.jobId}, as it grows:`);
  let partial = "";
  for await (const text of streamed.job.logs({ follow: true, initialDelayMs: fast ? 50 : 250 })) {
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    for (const line of lines) console.log(`  │ ${line}`);
  }
  if (partial) console.log(`  │ ${partial}`);
  console.log("  └ end of log");

  const running = await toCancel.job.get();
  console.log(`\ncancelling ${toCancel.label} job ${toCancel.job.jobId} (now ${statusName(running)})`);
  await toCancel.job.cancel();

  console.log("\nwaiting for every job to finish:");
  const progress = new Progress();
  const render = () => progress.update(tracked.map((t) => `${t.short} ${t.status}`).join(" · "));
  render();
  // On a terminal the elapsed time keeps ticking between status changes.
  const ticker = process.stderr.isTTY ? setInterval(render, 100) : undefined;
  await Promise.all(
    tracked.map(async (t) => {
      t.final = await t.job.wait({
        initialDelayMs: fast ? 20 : 200,
        maxDelayMs: fast ? 50 : 500,
        onStatus: (job) => {
          t.status = statusName(job);
          render();
        },
      });
    }),
  );
  clearInterval(ticker);
  progress.done();

  const rows = tracked.map((t) => {
    const job = t.final!;
    const start = job.createdAt ? timestampMs(job.createdAt) : 0;
    const end = job.finishedAt ? timestampMs(job.finishedAt) : start;
    return [t.job.jobId, t.service, String(jobKind(job)), statusName(job), `${((end - start) / 1000).toFixed(1)}s`];
  });
  console.log(`\n${table(["job", "service", "kind", "final status", "duration"], rows)}`);
  const unfinished = tracked.filter((t) => isActive(t.final!));
  console.log(
    `\n${callsTo("IamTokenService/Create").length} IAM token exchange(s), ${callsTo("OperationService/Get").length + callsTo("JobService/Get").length} status polls, ` +
      `${unfinished.length === 0 ? "every job finished" : `${unfinished.length} still active`}.`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

import { create } from "@bufbuild/protobuf";
import { describe, expectTypeOf, it } from "vitest";
import type * as dp from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import { CreateJobRequestSchema as DataprocCreateJobRequestSchema } from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import type * as sp from "../../gen/yandex/cloud/spark/v1/job_pb.js";
import { CreateJobRequestSchema as SparkCreateJobRequestSchema } from "../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import {
  dataprocJobs,
  isTerminal,
  jobKind,
  managedSparkJobs,
  narrowJob,
  statusName,
} from "../../src/yandex/jobs/index.js";
import type {
  DataprocHiveSpec,
  DataprocJobKind,
  DataprocJobSpec,
  DataprocMapreduceSpec,
  ExactlyOne,
  JobKind,
  JobStatusName,
  ManagedSparkJobKind,
  ManagedSparkJobSpec,
} from "../../src/yandex/jobs/index.js";

declare const dataprocJob: dp.Job;
declare const sparkJob: sp.Job;
declare const dataprocSparkJob: dp.SparkJob;
declare const sparkServiceSparkJob: sp.SparkJob;

function assertNever(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}

describe("ExactlyOne", () => {
  it("accepts one key, rejects both and neither", () => {
    type AB = ExactlyOne<{ a: string; b: number }>;
    expectTypeOf({ a: "x" }).toExtend<AB>();
    expectTypeOf({ b: 1 }).toExtend<AB>();
    expectTypeOf({ a: "x", b: 1 }).not.toExtend<AB>();
    expectTypeOf({}).not.toExtend<AB>();
  });
});

describe("Data Proc builders", () => {
  it("valid specs compile and return their oneof case", () => {
    expectTypeOf(dataprocJobs.spark({ mainJarFileUri: "j", args: ["x"] })).toEqualTypeOf<DataprocJobSpec<"sparkJob">>();
    expectTypeOf(dataprocJobs.spark({ mainJarFileUri: "j" }).value).toEqualTypeOf<dp.SparkJob>();
    expectTypeOf(dataprocJobs.pyspark({ mainPythonFileUri: "p" }).value).toEqualTypeOf<dp.PysparkJob>();
    expectTypeOf(dataprocJobs.hive({ queries: ["SELECT 1"] }).value).toEqualTypeOf<dp.HiveJob>();
    expectTypeOf(dataprocJobs.hive({ queryFileUri: "q.sql" }).case).toEqualTypeOf<"hiveJob">();
    expectTypeOf(dataprocJobs.mapreduce({ mainClass: "M" }).value).toEqualTypeOf<dp.MapreduceJob>();
    expectTypeOf(dataprocJobs.mapreduce({ mainJarFileUri: "j" }).case).toEqualTypeOf<"mapreduceJob">();

    // Readonly arrays and records are accepted (and copied).
    const args: readonly string[] = ["a"];
    const properties: Readonly<Record<string, string>> = { k: "v" };
    dataprocJobs.spark({ mainJarFileUri: "j", args, properties });
    dataprocJobs.hive({ queries: args, scriptVariables: properties });

    // The result goes straight into the request.
    create(DataprocCreateJobRequestSchema, { clusterId: "c", jobSpec: dataprocJobs.hive({ queryFileUri: "q" }) });
  });

  it("required fields are required", () => {
    // @ts-expect-error -- SparkJob.main_jar_file_uri is (required)
    dataprocJobs.spark({ args: ["x"] });
    // @ts-expect-error -- and not undefined either
    dataprocJobs.spark({ mainJarFileUri: undefined });
    // @ts-expect-error -- PysparkJob.main_python_file_uri is (required)
    dataprocJobs.pyspark({ pythonFileUris: ["lib.zip"] });
  });

  it("MapReduce needs exactly one of mainJarFileUri | mainClass", () => {
    // @ts-expect-error -- both
    dataprocJobs.mapreduce({ mainJarFileUri: "j", mainClass: "M" });
    // @ts-expect-error -- neither
    dataprocJobs.mapreduce({ args: ["in", "out"] });
    // @ts-expect-error -- the raw oneof is not an input
    dataprocJobs.mapreduce({ driver: { case: "mainClass", value: "M" } });
    expectTypeOf({ mainJarFileUri: "j", mainClass: "M" }).not.toExtend<DataprocMapreduceSpec>();
    expectTypeOf({ properties: { a: "b" } }).not.toExtend<DataprocMapreduceSpec>();
  });

  it("Hive needs exactly one of queryFileUri | queries", () => {
    // @ts-expect-error -- both
    dataprocJobs.hive({ queryFileUri: "q.sql", queries: ["SELECT 1"] });
    // @ts-expect-error -- neither
    dataprocJobs.hive({ continueOnFailure: true });
    // @ts-expect-error -- queries are strings
    dataprocJobs.hive({ queries: "SELECT 1" });
    expectTypeOf({ queryFileUri: "q", queries: ["x"] }).not.toExtend<DataprocHiveSpec>();
    expectTypeOf({}).not.toExtend<DataprocHiveSpec>();
  });

  it("rejects unknown fields and another service's message", () => {
    // @ts-expect-error -- typo
    dataprocJobs.spark({ mainJarFileURI: "j" });
    // @ts-expect-error -- a yandex.cloud.spark.v1.SparkJob is not a Data Proc SparkJob
    dataprocJobs.spark(sparkServiceSparkJob);
    dataprocJobs.spark(dataprocSparkJob);
  });
});

describe("Managed Spark builders", () => {
  it("valid specs compile and return their oneof case", () => {
    expectTypeOf(managedSparkJobs.spark({ mainJarFileUri: "j" })).toEqualTypeOf<ManagedSparkJobSpec<"sparkJob">>();
    expectTypeOf(managedSparkJobs.spark({ mainJarFileUri: "j" }).value).toEqualTypeOf<sp.SparkJob>();
    expectTypeOf(managedSparkJobs.pyspark({ mainPythonFileUri: "p" }).value).toEqualTypeOf<sp.PysparkJob>();
    expectTypeOf(managedSparkJobs.sparkConnect().value).toEqualTypeOf<sp.SparkConnectJob>();
    create(SparkCreateJobRequestSchema, { clusterId: "c", jobSpec: managedSparkJobs.sparkConnect({ packages: ["g:a:1"] }) });
  });

  it("required fields are required", () => {
    // @ts-expect-error -- SparkJob.main_jar_file_uri is (required)
    managedSparkJobs.spark({});
    // @ts-expect-error -- PysparkJob.main_python_file_uri is (required)
    managedSparkJobs.pyspark({ args: ["x"] });
    // @ts-expect-error -- Spark Connect has no main file
    managedSparkJobs.sparkConnect({ mainJarFileUri: "j" });
  });
});

describe("a builder's result fits only its own service's request", () => {
  it("is detected both ways, even for the kinds both services have", () => {
    const dataprocSpark = dataprocJobs.spark({ mainJarFileUri: "j" });
    const managedSpark = managedSparkJobs.spark({ mainJarFileUri: "j" });
    // @ts-expect-error -- dataproc.v1.SparkJob in a spark.v1 request
    create(SparkCreateJobRequestSchema, { clusterId: "c", jobSpec: dataprocSpark });
    // @ts-expect-error -- spark.v1.SparkJob in a dataproc.v1 request
    create(DataprocCreateJobRequestSchema, { clusterId: "c", jobSpec: managedSpark });
    // @ts-expect-error -- Hive exists only in Data Proc
    create(SparkCreateJobRequestSchema, { clusterId: "c", jobSpec: dataprocJobs.hive({ queries: [] }) });
    // @ts-expect-error -- Spark Connect exists only in Managed Spark
    create(DataprocCreateJobRequestSchema, { clusterId: "c", jobSpec: managedSparkJobs.sparkConnect() });
    expectTypeOf(dataprocSpark).not.toExtend<ManagedSparkJobSpec>();
    expectTypeOf(managedSpark).not.toExtend<DataprocJobSpec>();
  });
});

describe("jobKind / narrowJob", () => {
  it("returns each service's own kinds", () => {
    expectTypeOf(jobKind(dataprocJob)).toEqualTypeOf<DataprocJobKind>();
    expectTypeOf<DataprocJobKind>().toEqualTypeOf<"spark" | "pyspark" | "hive" | "mapreduce" | "unknown">();
    expectTypeOf(jobKind(sparkJob)).toEqualTypeOf<ManagedSparkJobKind>();
    expectTypeOf<ManagedSparkJobKind>().toEqualTypeOf<"spark" | "pyspark" | "sparkConnect" | "unknown">();
    expectTypeOf(jobKind(dataprocJob as dp.Job | sp.Job)).toEqualTypeOf<JobKind>();
    // @ts-expect-error -- not a job
    jobKind({ jobSpec: { case: "x" } });
  });

  it("an exhaustive switch compiles; a missing case does not", () => {
    function label(job: dp.Job): string {
      const kind = jobKind(job);
      switch (kind) {
        case "spark":
        case "pyspark":
          return "Spark";
        case "hive":
          return "Hive";
        case "mapreduce":
          return "MapReduce";
        case "unknown":
          return "?";
        default:
          return assertNever(kind);
      }
    }
    function missing(job: sp.Job): string {
      const kind = jobKind(job);
      switch (kind) {
        case "spark":
        case "pyspark":
          return "Spark";
        case "unknown":
          return "?";
        default:
          // @ts-expect-error -- "sparkConnect" is not handled
          return assertNever(kind);
      }
    }
    void label;
    void missing;
  });

  it("narrowJob narrows the spec by kind", () => {
    const j = narrowJob(dataprocJob);
    if (j.kind === "hive") expectTypeOf(j.spec).toEqualTypeOf<dp.HiveJob>();
    if (j.kind === "unknown") expectTypeOf(j.spec).toEqualTypeOf<undefined>();
    const s = narrowJob(sparkJob);
    if (s.kind === "sparkConnect") expectTypeOf(s.spec).toEqualTypeOf<sp.SparkConnectJob>();
    if (s.kind === "spark") expectTypeOf(s.spec).toEqualTypeOf<sp.SparkJob>();
    // @ts-expect-error -- Managed Spark has no Hive
    if (s.kind === "hive") void s;
  });
});

describe("status helpers", () => {
  it("accept both services' statuses and jobs, nothing else", () => {
    isTerminal(dataprocJob);
    isTerminal(sparkJob);
    isTerminal(dataprocJob.status);
    isTerminal(sparkJob.status);
    // @ts-expect-error -- a string is not a status
    isTerminal("DONE");
    expectTypeOf(statusName(sparkJob)).toEqualTypeOf<JobStatusName | `${number}`>();
    expectTypeOf<JobStatusName>().toEqualTypeOf<keyof typeof sp.Job_Status>();
  });
});

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as dp from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import * as dpService from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import * as sp from "../../gen/yandex/cloud/spark/v1/job_pb.js";
import * as spService from "../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import {
  dataprocJobs,
  isActive,
  isCancelled,
  isFailed,
  isSucceeded,
  isTerminal,
  jobKind,
  managedSparkJobs,
  narrowJob,
  statusName,
} from "../../src/yandex/jobs/index.js";
import type { JobStatus } from "../../src/yandex/jobs/index.js";
import { validateMessage } from "../../src/validation/index.js";

const clusterId = "c9qabcdefghijklmnopq";

/** Wraps a spec in a Data Proc create request and sends it through the wire format. */
function dataprocRoundTrip(jobSpec: dpService.CreateJobRequest["jobSpec"]) {
  const request = create(dpService.CreateJobRequestSchema, { clusterId, name: "job", jobSpec });
  expect(validateMessage(dpService.CreateJobRequestSchema, request)).toEqual([]);
  const back = fromBinary(dpService.CreateJobRequestSchema, toBinary(dpService.CreateJobRequestSchema, request));
  expect(back).toEqual(request);
  return back;
}

function sparkRoundTrip(jobSpec: spService.CreateJobRequest["jobSpec"]) {
  const request = create(spService.CreateJobRequestSchema, { clusterId, name: "job", jobSpec });
  expect(validateMessage(spService.CreateJobRequestSchema, request)).toEqual([]);
  const back = fromBinary(spService.CreateJobRequestSchema, toBinary(spService.CreateJobRequestSchema, request));
  expect(back).toEqual(request);
  return back;
}

describe("dataprocJobs", () => {
  it("spark builds a dataproc SparkJob with every field", () => {
    const spec = dataprocJobs.spark({
      mainJarFileUri: "s3a://b/app.jar",
      mainClass: "com.example.App",
      args: ["x", "y"],
      jarFileUris: ["s3a://b/dep.jar"],
      fileUris: ["s3a://b/f.txt"],
      archiveUris: ["s3a://b/a.zip"],
      properties: { "spark.executor.memory": "4g" },
      packages: ["g:a:1"],
      repositories: ["https://repo.example"],
      excludePackages: ["g:x"],
    });
    expect(spec.case).toBe("sparkJob");
    expect(spec.value.$typeName).toBe("yandex.cloud.dataproc.v1.SparkJob");
    expect(spec.value).toMatchObject({
      mainJarFileUri: "s3a://b/app.jar",
      mainClass: "com.example.App",
      args: ["x", "y"],
      properties: { "spark.executor.memory": "4g" },
      excludePackages: ["g:x"],
    });
    const back = dataprocRoundTrip(spec);
    expect(back.jobSpec).toEqual(spec);
  });

  it("pyspark builds a dataproc PysparkJob", () => {
    const spec = dataprocJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", pythonFileUris: ["s3a://b/lib.zip"] });
    expect(spec.case).toBe("pysparkJob");
    expect(spec.value.$typeName).toBe("yandex.cloud.dataproc.v1.PysparkJob");
    expect(spec.value.mainPythonFileUri).toBe("s3a://b/main.py");
    expect(spec.value.pythonFileUris).toEqual(["s3a://b/lib.zip"]);
    expect(dataprocRoundTrip(spec).jobSpec).toEqual(spec);
  });

  it("hive with inline queries wraps them in a QueryList", () => {
    const spec = dataprocJobs.hive({
      queries: ["SELECT 1", "SELECT 2"],
      continueOnFailure: true,
      scriptVariables: { day: "2024-01-01" },
      properties: { "hive.exec.parallel": "true" },
      jarFileUris: ["s3a://b/udf.jar"],
    });
    expect(spec.case).toBe("hiveJob");
    expect(spec.value.queryType.case).toBe("queryList");
    expect(spec.value.queryType.value).toEqual(create(dp.QueryListSchema, { queries: ["SELECT 1", "SELECT 2"] }));
    expect(spec.value).toMatchObject({ continueOnFailure: true, scriptVariables: { day: "2024-01-01" } });
    expect(dataprocRoundTrip(spec).jobSpec).toEqual(spec);
  });

  it("hive with a script file sets query_file_uri", () => {
    const spec = dataprocJobs.hive({ queryFileUri: "s3a://b/q.sql" });
    expect(spec.value.queryType).toEqual({ case: "queryFileUri", value: "s3a://b/q.sql" });
    expect(dataprocRoundTrip(spec).jobSpec).toEqual(spec);
  });

  it("mapreduce sets the driver oneof from either alternative", () => {
    const byClass = dataprocJobs.mapreduce({ mainClass: "WordCount", args: ["in", "out"], properties: { "mapreduce.job.maps": "4" } });
    expect(byClass.case).toBe("mapreduceJob");
    expect(byClass.value.driver).toEqual({ case: "mainClass", value: "WordCount" });
    expect(byClass.value.args).toEqual(["in", "out"]);
    expect(dataprocRoundTrip(byClass).jobSpec).toEqual(byClass);

    const byJar = dataprocJobs.mapreduce({ mainJarFileUri: "s3a://b/wc.jar", mainClass: undefined });
    expect(byJar.value.driver).toEqual({ case: "mainJarFileUri", value: "s3a://b/wc.jar" });
    expect(dataprocRoundTrip(byJar).jobSpec).toEqual(byJar);
  });

  it("accepts an existing message of the same type", () => {
    const message = create(dp.SparkJobSchema, { mainJarFileUri: "s3a://b/app.jar", args: ["a"] });
    expect(dataprocJobs.spark(message).value).toEqual(message);
  });
});

describe("managedSparkJobs", () => {
  it("spark builds a spark.v1 SparkJob", () => {
    const spec = managedSparkJobs.spark({ mainJarFileUri: "s3a://b/app.jar", args: ["x"], properties: { a: "b" } });
    expect(spec.case).toBe("sparkJob");
    expect(spec.value.$typeName).toBe("yandex.cloud.spark.v1.SparkJob");
    expect(spec.value).toMatchObject({ mainJarFileUri: "s3a://b/app.jar", args: ["x"], properties: { a: "b" } });
    expect(sparkRoundTrip(spec).jobSpec).toEqual(spec);
  });

  it("pyspark builds a spark.v1 PysparkJob", () => {
    const spec = managedSparkJobs.pyspark({ mainPythonFileUri: "s3a://b/main.py", packages: ["g:a:1"] });
    expect(spec.case).toBe("pysparkJob");
    expect(spec.value.$typeName).toBe("yandex.cloud.spark.v1.PysparkJob");
    expect(spec.value).toMatchObject({ mainPythonFileUri: "s3a://b/main.py", packages: ["g:a:1"] });
    expect(sparkRoundTrip(spec).jobSpec).toEqual(spec);
  });

  it("sparkConnect builds a SparkConnectJob, with or without input", () => {
    const spec = managedSparkJobs.sparkConnect({ jarFileUris: ["s3a://b/x.jar"], repositories: ["https://r"] });
    expect(spec.case).toBe("sparkConnectJob");
    expect(spec.value.$typeName).toBe("yandex.cloud.spark.v1.SparkConnectJob");
    expect(spec.value).toMatchObject({ jarFileUris: ["s3a://b/x.jar"], repositories: ["https://r"] });
    expect(sparkRoundTrip(spec).jobSpec).toEqual(spec);
    expect(managedSparkJobs.sparkConnect().value).toEqual(create(sp.SparkConnectJobSchema));
  });
});

describe("builder input handling", () => {
  it("copies lists and maps instead of aliasing the caller's (possibly frozen) values", () => {
    const args = Object.freeze(["a"]);
    const properties = Object.freeze({ k: "v" });
    const queries = ["SELECT 1"];
    const spark = dataprocJobs.spark({ mainJarFileUri: "s3a://b/app.jar", args, properties });
    const hive = dataprocJobs.hive({ queries });
    expect(spark.value.args).not.toBe(args);
    expect(spark.value.properties).not.toBe(properties);
    spark.value.args.push("b");
    spark.value.properties["k2"] = "v2";
    expect(args).toEqual(["a"]);
    expect(properties).toEqual({ k: "v" });
    queries.push("SELECT 2");
    expect(hive.value.queryType.case === "queryList" && hive.value.queryType.value.queries).toEqual(["SELECT 1"]);
  });

  // Untyped callers: the types make these impossible, the runtime refuses to drop input.
  type Untyped = (spec: Record<string, unknown>) => unknown;

  it("throws a TypeError naming both fields when both alternatives are set", () => {
    const mapreduce = dataprocJobs.mapreduce as unknown as Untyped;
    const hive = dataprocJobs.hive as unknown as Untyped;
    expect(() => mapreduce({ mainJarFileUri: "s3a://b/x.jar", mainClass: "X" })).toThrow(TypeError);
    expect(() => mapreduce({ mainJarFileUri: "s3a://b/x.jar", mainClass: "X" })).toThrow(
      /"mainJarFileUri" and "mainClass"/,
    );
    expect(() => hive({ queries: ["SELECT 1"], queryFileUri: "s3a://b/q.sql" })).toThrow(
      /"queries" and "queryFileUri"/,
    );
    // An empty string is still a value the caller gave.
    expect(() => mapreduce({ mainJarFileUri: "", mainClass: "X" })).toThrow(TypeError);
  });

  it("throws on keys it cannot place: typos, raw oneof groups, another message type", () => {
    const spark = dataprocJobs.spark as unknown as Untyped;
    const mapreduce = dataprocJobs.mapreduce as unknown as Untyped;
    expect(() => spark({ mainJarFileURI: "s3a://b/x.jar" })).toThrow(/unknown field "mainJarFileURI"/);
    expect(() => mapreduce({ driver: { case: "mainClass", value: "X" } })).toThrow(/unknown field "driver"/);
    expect(() => spark(create(sp.SparkJobSchema, { mainJarFileUri: "s3a://b/x.jar" }))).toThrow(
      /expected yandex\.cloud\.dataproc\.v1\.SparkJob, got yandex\.cloud\.spark\.v1\.SparkJob/,
    );
  });

  it("leaves a missing alternative to the client's validation", () => {
    const mapreduce = dataprocJobs.mapreduce as unknown as Untyped;
    const spec = mapreduce({ args: ["a"] }) as dpService.CreateJobRequest["jobSpec"];
    const request = create(dpService.CreateJobRequestSchema, { clusterId, jobSpec: spec });
    expect(validateMessage(dpService.CreateJobRequestSchema, request).map((v) => v.message)).toEqual([
      expect.stringContaining("main_jar_file_uri"),
    ]);
  });
});

describe("jobKind / narrowJob", () => {
  const dataprocCases = [
    [dataprocJobs.spark({ mainJarFileUri: "j" }), "spark"],
    [dataprocJobs.pyspark({ mainPythonFileUri: "p" }), "pyspark"],
    [dataprocJobs.hive({ queries: [] }), "hive"],
    [dataprocJobs.mapreduce({ mainClass: "M" }), "mapreduce"],
  ] as const;
  const sparkCases = [
    [managedSparkJobs.spark({ mainJarFileUri: "j" }), "spark"],
    [managedSparkJobs.pyspark({ mainPythonFileUri: "p" }), "pyspark"],
    [managedSparkJobs.sparkConnect(), "sparkConnect"],
  ] as const;

  it("covers every Data Proc job_spec case", () => {
    expect(dataprocCases.map(([s]) => s.case).sort()).toEqual(
      dp.JobSchema.oneofs.find((o) => o.localName === "jobSpec")!.fields.map((f) => f.localName).sort(),
    );
    for (const [jobSpec, kind] of dataprocCases) {
      const job = create(dp.JobSchema, { id: "j1", clusterId, jobSpec });
      expect(jobKind(job)).toBe(kind);
      expect(narrowJob(job)).toEqual({ kind, spec: jobSpec.value });
      const request = create(dpService.CreateJobRequestSchema, { clusterId, jobSpec });
      expect(jobKind(request)).toBe(kind);
    }
    expect(narrowJob(create(dp.JobSchema))).toEqual({ kind: "unknown", spec: undefined });
  });

  it("covers every Managed Spark job_spec case", () => {
    expect(sparkCases.map(([s]) => s.case).sort()).toEqual(
      sp.JobSchema.oneofs.find((o) => o.localName === "jobSpec")!.fields.map((f) => f.localName).sort(),
    );
    for (const [jobSpec, kind] of sparkCases) {
      const job = create(sp.JobSchema, { id: "j1", clusterId, jobSpec });
      expect(jobKind(job)).toBe(kind);
      expect(narrowJob(job)).toEqual({ kind, spec: jobSpec.value });
      expect(jobKind(create(spService.CreateJobRequestSchema, { clusterId, jobSpec }))).toBe(kind);
    }
    expect(jobKind(create(sp.JobSchema))).toBe("unknown");
  });

  it("reports a kind newer than this package as unknown", () => {
    // A Data Proc job whose spec is field 99, unknown to this schema.
    const bytes = new Uint8Array([0x0a, 0x02, 0x6a, 0x31, 0x9a, 0x06, 0x00]); // id="j1", field 99 (LEN, empty)
    const job = fromBinary(dp.JobSchema, bytes);
    expect(job.$unknown?.length).toBe(1);
    expect(jobKind(job)).toBe("unknown");
  });
});

describe("status helpers", () => {
  type Expected = [name: string, terminal: boolean, succeeded: boolean, failed: boolean, cancelled: boolean, active: boolean];
  const expected: Record<number, Expected> = {
    0: ["STATUS_UNSPECIFIED", false, false, false, false, false],
    1: ["PROVISIONING", false, false, false, false, true],
    2: ["PENDING", false, false, false, false, true],
    3: ["RUNNING", false, false, false, false, true],
    4: ["ERROR", true, false, true, false, false],
    5: ["DONE", true, true, false, false, false],
    6: ["CANCELLED", true, false, false, true, false],
    7: ["CANCELLING", false, false, false, false, true],
  };

  const services = [
    ["dataproc", dp.Job_StatusSchema, (status: JobStatus) => create(dp.JobSchema, { status: status as dp.Job_Status })],
    ["spark", sp.Job_StatusSchema, (status: JobStatus) => create(sp.JobSchema, { status: status as sp.Job_Status })],
  ] as const;

  for (const [service, enumSchema, jobWith] of services) {
    it(`classifies every ${service} Job_Status value, given as a status or as a Job`, () => {
      expect(enumSchema.values.map((v) => v.number).sort()).toEqual(Object.keys(expected).map(Number));
      for (const { number, name } of enumSchema.values) {
        const status = number as JobStatus;
        const [expectedName, terminal, succeeded, failed, cancelled, active] = expected[number]!;
        expect(name).toBe(expectedName);
        for (const input of [status, jobWith(status)]) {
          expect(statusName(input)).toBe(name);
          expect(isTerminal(input)).toBe(terminal);
          expect(isSucceeded(input)).toBe(succeeded);
          expect(isFailed(input)).toBe(failed);
          expect(isCancelled(input)).toBe(cancelled);
          expect(isActive(input)).toBe(active);
        }
      }
    });
  }

  it("handles a status number newer than this package", () => {
    const status = 42 as JobStatus;
    expect(statusName(status)).toBe("42");
    expect([isTerminal, isSucceeded, isFailed, isCancelled, isActive].map((f) => f(status))).toEqual([
      false, false, false, false, false,
    ]);
  });
});

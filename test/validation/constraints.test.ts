import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import type { DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_wrappers,
} from "@bufbuild/protobuf/wkt";
import type { FieldOptions } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  CreateJobRequestSchema,
  GetJobRequestSchema,
  ListJobsRequestSchema,
} from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { HiveJobSchema, MapreduceJobSchema } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import { CreateIamTokenRequestSchema } from "../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { CreateJobRequestSchema as SparkCreateJobRequestSchema } from "../../gen/yandex/cloud/spark/v1/job_service_pb.js";
import {
  MapKeySpecSchema,
  bytes,
  file_yandex_cloud_validation,
  length,
  map_key,
  required,
  unique,
  value,
} from "../../gen/yandex/cloud/validation_pb.js";
import { createApiRegistry } from "../../src/yandex/registry.js";
import { ValidationError, assertValid, checkTypes, validateMessage } from "../../src/validation/index.js";
import type { Violation } from "../../src/validation/index.js";
import { parseRange } from "../../src/validation/range.js";
import { parseDurationRange } from "../../src/validation/duration-range.js";
import { AutoscalingConfigSchema } from "../../gen/yandex/cloud/dataproc/v1/subcluster_pb.js";
import { rulesFor } from "../../src/validation/rules.js";

const CLUSTER = "c9qabcdefghijklmnopq";

/** A Data Proc CreateJobRequest that satisfies every constraint. */
function validSparkRequest() {
  return create(CreateJobRequestSchema, {
    clusterId: CLUSTER,
    name: "nightly-etl",
    jobSpec: {
      case: "sparkJob",
      value: {
        mainJarFileUri: "s3a://bucket/app.jar",
        mainClass: "org.example.Main",
        args: ["--date", "2024-01-01"],
        properties: { "spark.executor.memory": "4g" },
        packages: ["org.example:lib:1.0"],
      },
    },
  });
}

function rulesOf(violations: Violation[]): string[] {
  return violations.map((v) => `${v.path} | ${v.rule}`);
}

describe("required", () => {
  it("reports every missing required field, in field order", () => {
    expect(validateMessage(GetJobRequestSchema, create(GetJobRequestSchema))).toEqual([
      { path: "cluster_id", rule: "required", message: "cluster_id: is required" },
      { path: "job_id", rule: "required", message: "job_id: is required" },
    ]);
  });

  it("is satisfied by a non-empty value and applies inside nested messages", () => {
    expect(validateMessage(GetJobRequestSchema, create(GetJobRequestSchema, { clusterId: "c", jobId: "j" }))).toEqual([]);
    const request = validSparkRequest();
    if (request.jobSpec.case !== "sparkJob") throw new Error("unreachable");
    request.jobSpec.value.mainJarFileUri = "";
    expect(validateMessage(CreateJobRequestSchema, request)).toEqual([
      {
        path: "spark_job.main_jar_file_uri",
        rule: "required",
        message: "spark_job.main_jar_file_uri: is required",
      },
    ]);
  });
});

describe("length", () => {
  it("limits a scalar string, counting code points", () => {
    const at = (clusterId: string) =>
      validateMessage(GetJobRequestSchema, create(GetJobRequestSchema, { clusterId, jobId: "j" }));
    expect(at("a".repeat(50))).toEqual([]);
    expect(at("a".repeat(51))).toEqual([
      { path: "cluster_id", rule: "length <=50", message: "cluster_id: length 51 exceeds <=50" },
    ]);
    // 50 emoji are 100 UTF-16 code units but 50 characters.
    expect(at("😀".repeat(50))).toEqual([]);
    expect(at("😀".repeat(51)).map((v) => v.message)).toEqual(["cluster_id: length 51 exceeds <=50"]);
  });

  it("applies to each element of a repeated field", () => {
    const request = validSparkRequest();
    if (request.jobSpec.case !== "sparkJob") throw new Error("unreachable");
    request.jobSpec.value.args = ["a", "b", "x".repeat(10_000), "x".repeat(10_001)];
    request.jobSpec.value.jarFileUris = ["s3a://ok.jar", "y".repeat(2048)];
    expect(validateMessage(CreateJobRequestSchema, request)).toEqual([
      {
        path: "spark_job.args[3]",
        rule: "length <=10000",
        message: "spark_job.args[3]: length 10001 exceeds <=10000",
      },
      {
        path: "spark_job.jar_file_uris[1]",
        rule: "length <2048",
        message: "spark_job.jar_file_uris[1]: length 2048 exceeds <2048",
      },
    ]);
  });

  it("applies to each value of a map field", () => {
    const request = validSparkRequest();
    if (request.jobSpec.case !== "sparkJob") throw new Error("unreachable");
    request.jobSpec.value.properties = { "spark.ok": "v".repeat(256), "spark.long": "v".repeat(257) };
    expect(validateMessage(CreateJobRequestSchema, request)).toEqual([
      {
        path: 'spark_job.properties["spark.long"]',
        rule: "length <=256",
        message: 'spark_job.properties["spark.long"]: length 257 exceeds <=256',
      },
    ]);
  });
});

describe("pattern", () => {
  const nameViolations = (name: string) => {
    const request = validSparkRequest();
    request.name = name;
    return rulesOf(validateMessage(CreateJobRequestSchema, request));
  };
  const rule = "name | pattern |[a-z][-a-z0-9]{1,61}[a-z0-9]";

  it("accepts the empty alternative and a valid name", () => {
    expect(nameViolations("")).toEqual([]);
    expect(nameViolations("my-job")).toEqual([]);
    expect(nameViolations("abc")).toEqual([]);
  });

  it("rejects names outside the pattern", () => {
    expect(nameViolations("Bad_Name")).toEqual([rule]);
    expect(nameViolations("ab")).toEqual([rule]); // too short for {1,61}
    expect(nameViolations("my-job-")).toEqual([rule]); // must end with a letter or digit
  });

  it("matches the whole string, not a substring", () => {
    expect(nameViolations("my-job!")).toEqual([rule]);
    expect(nameViolations("!my-job")).toEqual([rule]);
    expect(nameViolations("my-job\nmy-job")).toEqual([rule]);
  });

  it("names the pattern but not the value in the message", () => {
    const request = validSparkRequest();
    request.name = "Bad_Name";
    expect(validateMessage(CreateJobRequestSchema, request)[0]?.message).toBe(
      "name: does not match pattern [a-z][-a-z0-9]{1,61}[a-z0-9]",
    );
  });
});

describe("value", () => {
  const list = (pageSize: bigint) =>
    validateMessage(ListJobsRequestSchema, create(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize }));

  it("compares int64 fields as bigint", () => {
    expect(list(1000n)).toEqual([]);
    expect(list(0n)).toEqual([]);
    expect(list(1001n)).toEqual([
      { path: "page_size", rule: "value <=1000", message: "page_size: value exceeds <=1000" },
    ]);
    expect(list(2n ** 63n - 1n).map((v) => v.rule)).toEqual(["value <=1000"]);
  });

  it("does not lose precision beyond 2^53", () => {
    const r = parseRange("<=9007199254740992");
    expect(r.test(9_007_199_254_740_992n)).toBe(true);
    expect(r.test(9_007_199_254_740_993n)).toBe(false); // Number() would round it down and accept it
  });
});

describe("range grammar", () => {
  it("parses every form", () => {
    expect([0, 1, 50, 51].map((n) => parseRange("<=50").test(n))).toEqual([true, true, true, false]);
    expect([2047, 2048].map((n) => parseRange("<2048").test(n))).toEqual([true, false]);
    expect([0, 1].map((n) => parseRange(">=1").test(n))).toEqual([false, true]);
    expect([0, 1].map((n) => parseRange(">0").test(n))).toEqual([false, true]);
    expect([4, 5, 6].map((n) => parseRange("5").test(n))).toEqual([false, true, false]);
    expect([0, 1, 128, 129].map((n) => parseRange("1-128").test(n))).toEqual([false, true, true, false]);
    expect([0.4, 0.5, 1.5, 1.6].map((n) => parseRange("0.5-1.5").test(n))).toEqual([false, true, true, false]);
    expect([0n, 1n, 2n].map((n) => parseRange("<1.5").test(n))).toEqual([true, true, false]);
    expect(parseRange("<=5").test(Number.NaN)).toBe(false);
  });

  it("explains a miss without the measured value", () => {
    expect(parseRange("<=50").miss(51)).toBe("exceeds <=50");
    expect(parseRange(">=1").miss(0)).toBe("is below >=1");
    expect(parseRange("1-128").miss(0)).toBe("is below 1-128");
    expect(parseRange("1-128").miss(129n)).toBe("exceeds 1-128");
    expect(parseRange("5").miss(4)).toBe("is not 5");
    expect(parseRange("1-128").miss(64)).toBeUndefined();
  });

  it("rejects malformed ranges", () => {
    for (const bad of ["", "<=", "abc", "1-", "=5", "<=5MB", "10-1"]) {
      expect(() => parseRange(bad), bad).toThrow(SyntaxError);
    }
  });
});

describe("value on a Duration (AutoscalingConfig, bounds with units)", () => {
  const minutes = (m: number, nanos = 0) => ({ seconds: BigInt(m * 60), nanos });
  const check = (init: Partial<Record<"measurementDuration" | "warmupDuration" | "stabilizationDuration", { seconds: bigint; nanos: number }>>) =>
    validateMessage(AutoscalingConfigSchema, create(AutoscalingConfigSchema, { measurementDuration: minutes(5), ...init }));

  it("accepts durations inside the published ranges, ends included", () => {
    expect(check({ measurementDuration: minutes(1) })).toEqual([]);
    expect(check({ measurementDuration: minutes(10), warmupDuration: minutes(10), stabilizationDuration: minutes(30) })).toEqual([]);
  });

  it("rejects durations outside them, to the nanosecond, naming the range as declared", () => {
    expect(check({ measurementDuration: minutes(10, 1) })).toEqual([
      { path: "measurement_duration", rule: "value 1m-10m", message: "measurement_duration: duration exceeds 1m-10m" },
    ]);
    expect(check({ warmupDuration: minutes(11), stabilizationDuration: { seconds: 59n, nanos: 999_999_999 } }).map((v) => v.message)).toEqual([
      "warmup_duration: duration exceeds <=10m",
      "stabilization_duration: duration is below 1m-30m",
    ]);
  });

  it("still requires measurement_duration, and an unset optional Duration passes", () => {
    const bare = validateMessage(AutoscalingConfigSchema, create(AutoscalingConfigSchema, {}));
    expect(bare.map((v) => v.rule)).toEqual(["required"]);
  });

  it("parses units and fractions exactly, and refuses bounds without a unit", () => {
    expect(parseDurationRange("1.5s-2h").test(1_500_000_000n)).toBe(true);
    expect(parseDurationRange("1.5s-2h").test(1_499_999_999n)).toBe(false);
    expect(parseDurationRange("<=100ms").miss(100_000_001n)).toBe("exceeds <=100ms");
    expect(() => parseDurationRange("1-10")).toThrow(/every bound needs a unit/);
  });
});

describe("size", () => {
  it("limits the element count of a repeated field", () => {
    const job = (n: number) =>
      create(MapreduceJobSchema, {
        args: Array.from({ length: n }, (_, i) => `a${i}`),
        driver: { case: "mainClass", value: "org.example.Main" },
      });
    expect(validateMessage(MapreduceJobSchema, job(32))).toEqual([]);
    expect(validateMessage(MapreduceJobSchema, job(33))).toEqual([
      { path: "args", rule: "size <=32", message: "args: size 33 exceeds <=32" },
    ]);
  });

  it("limits the entry count of a map field, with the nested path", () => {
    const properties = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"]));
    const request = create(CreateJobRequestSchema, {
      clusterId: CLUSTER,
      jobSpec: { case: "hiveJob", value: { properties, queryType: { case: "queryFileUri", value: "s3a://q.sql" } } },
    });
    expect(rulesOf(validateMessage(CreateJobRequestSchema, request))).toEqual(["hive_job.properties | size <=100"]);
  });
});

describe("map_key", () => {
  const withProperties = (properties: Record<string, string>) => {
    const request = validSparkRequest();
    if (request.jobSpec.case !== "sparkJob") throw new Error("unreachable");
    request.jobSpec.value.properties = properties;
    return validateMessage(CreateJobRequestSchema, request);
  };

  it("checks key patterns", () => {
    expect(withProperties({ "spark.a-b_c.1": "v" })).toEqual([]);
    expect(withProperties({ "bad key": "v" })).toEqual([
      {
        path: 'spark_job.properties["bad key"]',
        rule: "map_key.pattern [a-zA-Z][-_0-9a-zA-Z.]*",
        message: 'spark_job.properties["bad key"]: key does not match pattern [a-zA-Z][-_0-9a-zA-Z.]*',
      },
    ]);
  });

  it("checks key lengths, hiding keys too long to show", () => {
    const longKey = `k${"x".repeat(199)}`;
    const violations = withProperties({ ok: "v", [longKey]: "v" });
    expect(violations).toEqual([
      {
        path: "spark_job.properties[#1]",
        rule: "map_key.length 1-128",
        message: "spark_job.properties[#1]: key length 200 exceeds 1-128",
      },
    ]);
    expect(JSON.stringify(violations)).not.toContain("xxxxxxxxxx");
    expect(rulesOf(withProperties({ "": "v" }))).toEqual([
      'spark_job.properties[""] | map_key.length 1-128',
      'spark_job.properties[""] | map_key.pattern [a-zA-Z][-_0-9a-zA-Z.]*',
    ]);
  });

  it("uses each field's own key constraints", () => {
    const hive = (scriptVariables: Record<string, string>) =>
      rulesOf(
        validateMessage(
          HiveJobSchema,
          create(HiveJobSchema, {
            properties: { "hive.exec.dynamic": "true" },
            scriptVariables,
            queryType: { case: "queryFileUri", value: "s3a://q.sql" },
          }),
        ),
      );
    expect(hive({ run_date: "2024" })).toEqual([]);
    // '.' is allowed in property keys but not in script variable names.
    expect(hive({ "run.date": "2024" })).toEqual(['script_variables["run.date"] | map_key.pattern [a-zA-Z][_0-9a-zA-Z]*']);
  });
});

describe("exactly_one", () => {
  it("requires a job spec", () => {
    expect(validateMessage(CreateJobRequestSchema, create(CreateJobRequestSchema, { clusterId: CLUSTER }))).toEqual([
      {
        path: "job_spec",
        rule: "exactly_one",
        message: "job_spec: exactly one of mapreduce_job, spark_job, pyspark_job, hive_job must be set",
      },
    ]);
    expect(
      rulesOf(validateMessage(SparkCreateJobRequestSchema, create(SparkCreateJobRequestSchema, { clusterId: CLUSTER }))),
    ).toEqual(["job_spec | exactly_one"]);
  });

  it("requires a MapReduce driver and a Hive query source, with nested paths", () => {
    const mapreduce = create(CreateJobRequestSchema, {
      clusterId: CLUSTER,
      jobSpec: { case: "mapreduceJob", value: {} },
    });
    expect(rulesOf(validateMessage(CreateJobRequestSchema, mapreduce))).toEqual(["mapreduce_job.driver | exactly_one"]);
    const hive = create(CreateJobRequestSchema, { clusterId: CLUSTER, jobSpec: { case: "hiveJob", value: {} } });
    expect(validateMessage(CreateJobRequestSchema, hive).map((v) => v.message)).toEqual([
      "hive_job.query_type: exactly one of query_file_uri, query_list must be set",
    ]);
  });

  it("is satisfied by any member, even one holding an empty value", () => {
    const job = create(MapreduceJobSchema, { driver: { case: "mainJarFileUri", value: "" } });
    expect(validateMessage(MapreduceJobSchema, job)).toEqual([]);
  });
});

describe("nesting", () => {
  it("builds paths through oneof members and repeated elements", () => {
    const request = create(CreateJobRequestSchema, {
      clusterId: CLUSTER,
      jobSpec: {
        case: "hiveJob",
        value: { queryType: { case: "queryList", value: { queries: ["x".repeat(10_240), "SELECT 1"] } } },
      },
    });
    expect(validateMessage(CreateJobRequestSchema, request)).toEqual([
      {
        path: "hive_job.query_list.queries[0]",
        rule: "length <10240",
        message: "hive_job.query_list.queries[0]: length 10240 exceeds <10240",
      },
    ]);
  });

  it("accepts a fully valid request and reports several problems at once", () => {
    expect(validateMessage(CreateJobRequestSchema, validSparkRequest())).toEqual([]);
    const request = validSparkRequest();
    request.clusterId = "";
    request.name = "Bad_Name";
    if (request.jobSpec.case !== "sparkJob") throw new Error("unreachable");
    request.jobSpec.value.args = Array.from({ length: 257 }, () => "a");
    expect(rulesOf(validateMessage(CreateJobRequestSchema, request))).toEqual([
      "cluster_id | required",
      "name | pattern |[a-z][-a-z0-9]{1,61}[a-z0-9]",
      "spark_job.args | size <=256",
    ]);
  });
});

describe("assertValid and ValidationError", () => {
  it("throws a ValidationError listing every violation on one line", () => {
    let thrown: unknown;
    try {
      assertValid(CreateJobRequestSchema, create(CreateJobRequestSchema, { name: "Bad_Name" }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.name).toBe("ValidationError");
    expect(error.typeName).toBe("yandex.cloud.dataproc.v1.CreateJobRequest");
    expect(error.violations.map((v) => v.path)).toEqual(["cluster_id", "name", "job_spec"]);
    expect(error.message).toBe(
      "invalid yandex.cloud.dataproc.v1.CreateJobRequest: cluster_id: is required; " +
        "name: does not match pattern [a-z][-a-z0-9]{1,61}[a-z0-9]; " +
        "job_spec: exactly one of mapreduce_job, spark_job, pyspark_job, hive_job must be set",
    );
    expect(error.message).not.toContain("\n");
  });

  it("returns quietly for a valid message", () => {
    expect(() => assertValid(CreateJobRequestSchema, validSparkRequest())).not.toThrow();
  });

  it("rejects a message of another type", () => {
    const other = create(GetJobRequestSchema) as unknown as ReturnType<typeof validSparkRequest>;
    expect(() => validateMessage(CreateJobRequestSchema, other)).toThrow(TypeError);
  });
});

describe("secrets", () => {
  it("never puts a too-long OAuth token into a violation or error message", () => {
    const token = `y0_${"AgAAAABsecretTOKEN".repeat(278)}`.slice(0, 5000);
    expect(token).toHaveLength(5000);
    const request = create(CreateIamTokenRequestSchema, {
      identity: { case: "yandexPassportOauthToken", value: token },
    });
    const violations = validateMessage(CreateIamTokenRequestSchema, request);
    expect(violations).toEqual([
      {
        path: "yandex_passport_oauth_token",
        rule: "length <=4000",
        message: "yandex_passport_oauth_token: length 5000 exceeds <=4000",
      },
    ]);
    expect(() => assertValid(CreateIamTokenRequestSchema, request)).toThrow(ValidationError);
    try {
      assertValid(CreateIamTokenRequestSchema, request);
    } catch (e) {
      const text = `${(e as Error).message} ${JSON.stringify((e as ValidationError).violations)}`;
      expect(text).not.toContain("secretTOKEN");
      expect(text).not.toContain(token.slice(0, 16));
    }
  });

  it("requires an identity", () => {
    expect(rulesOf(validateMessage(CreateIamTokenRequestSchema, create(CreateIamTokenRequestSchema)))).toEqual([
      "identity | exactly_one",
    ]);
  });
});

describe("generic", () => {
  it("validates an empty instance of every message in the API registry without throwing", () => {
    const invalidWhenEmpty: string[] = [];
    let count = 0;
    for (const type of createApiRegistry()) {
      if (type.kind !== "message") continue;
      count++;
      const violations = validateMessage(type, create(type));
      for (const v of violations) {
        expect(v.message.startsWith(`${v.path}: `)).toBe(true);
      }
      if (violations.length > 0) invalidWhenEmpty.push(type.typeName);
    }
    expect(count).toBeGreaterThan(25);
    expect(invalidWhenEmpty).toEqual(
      expect.arrayContaining([
        "yandex.cloud.dataproc.v1.CreateJobRequest",
        "yandex.cloud.dataproc.v1.GetJobRequest",
        "yandex.cloud.spark.v1.CreateJobRequest",
        "yandex.cloud.iam.v1.CreateIamTokenRequest",
        "yandex.cloud.operation.GetOperationRequest",
      ]),
    );
    expect(invalidWhenEmpty).not.toContain("yandex.cloud.dataproc.v1.ListJobsResponse");
  });

  it("compiles each message type once", () => {
    expect(rulesFor(CreateJobRequestSchema)).toBe(rulesFor(CreateJobRequestSchema));
    expect(rulesFor(CreateJobRequestSchema).members.map((m) => m.name)).toEqual([
      "cluster_id",
      "name",
      "job_spec",
      "mapreduce_job",
      "spark_job",
      "pyspark_job",
      "hive_job",
    ]);
  });
});

/**
 * A message type built at run time, as a service added later would bring it:
 * it exercises the options no shipped .proto uses yet (`unique`, `bytes`,
 * `map_key.value`), wrappers, proto3 `optional`, and option misuse.
 */
describe("descriptors added later", () => {
  type Ext = Parameters<typeof setExtension>[1];
  function options(...entries: Array<[Ext, unknown]>): FieldOptions {
    const opts = create(FieldOptionsSchema);
    for (const [ext, v] of entries) setExtension(opts, ext, v as never);
    return opts;
  }
  function field(
    name: string,
    number: number,
    type: Type,
    extra: MessageInitShape<typeof FieldDescriptorProtoSchema> = {},
  ) {
    return create(FieldDescriptorProtoSchema, { name, number, type, label: Label.OPTIONAL, jsonName: name, ...extra });
  }

  const entry = (name: string, keyType: Type, valueType: Type, valueTypeName?: string) => ({
    name,
    field: [
      field("key", 1, keyType),
      field("value", 2, valueType, valueTypeName ? { typeName: valueTypeName } : {}),
    ],
    options: { mapEntry: true },
  });

  const file = create(FileDescriptorProtoSchema, {
    name: "test/v1/sample.proto",
    package: "test.v1",
    syntax: "proto3",
    dependency: ["yandex/cloud/validation.proto", "google/protobuf/wrappers.proto"],
    messageType: [
      {
        name: "Item",
        field: [field("id", 1, Type.STRING, { options: options([required, true]) })],
      },
      {
        name: "Sample",
        field: [
          field("tags", 1, Type.STRING, { label: Label.REPEATED, options: options([unique, true]) }),
          field("blob", 2, Type.BYTES, { options: options([bytes, "<=4"]) }),
          field("limits", 3, Type.MESSAGE, {
            label: Label.REPEATED,
            typeName: ".test.v1.Sample.LimitsEntry",
            options: options([map_key, create(MapKeySpecSchema, { value: "1-10" })]),
          }),
          field("quota", 4, Type.MESSAGE, {
            typeName: ".google.protobuf.Int64Value",
            options: options([required, true], [value, ">=1"]),
          }),
          field("nick", 5, Type.STRING, {
            proto3Optional: true,
            oneofIndex: 0,
            options: options([length, "2-3"]),
          }),
          field("items", 6, Type.MESSAGE, {
            label: Label.REPEATED,
            typeName: ".test.v1.Item",
            options: options([unique, true]),
          }),
          field("by_name", 7, Type.MESSAGE, { label: Label.REPEATED, typeName: ".test.v1.Sample.ByNameEntry" }),
          field("ratio", 8, Type.DOUBLE, { options: options([value, "0.5-1.5"]) }),
        ],
        nestedType: [
          entry("LimitsEntry", Type.INT64, Type.STRING),
          entry("ByNameEntry", Type.STRING, Type.MESSAGE, ".test.v1.Item"),
        ],
        oneofDecl: [{ name: "_nick" }],
      },
      { name: "Broken", field: [field("n", 1, Type.INT64, { options: options([length, "<=5"]) })] },
      { name: "BadRange", field: [field("s", 1, Type.STRING, { options: options([length, "up to 5"]) })] },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "yandex/cloud/validation.proto"
      ? file_yandex_cloud_validation
      : name === "google/protobuf/wrappers.proto"
        ? file_google_protobuf_wrappers
        : undefined,
  );
  const Sample = registry.getMessage("test.v1.Sample")!;
  const valid = () =>
    create(Sample, {
      quota: 5n,
      ratio: 1,
    } as MessageInitShape<DescMessage>) as Message & Record<string, unknown>;
  const check = (patch: Record<string, unknown>) =>
    rulesOf(validateMessage(Sample, Object.assign(valid(), patch)));

  it("accepts a valid instance", () => {
    expect(Sample.fields.map((f) => f.name)).toHaveLength(8);
    expect(check({})).toEqual([]);
  });

  it("unique: reports repeats of scalars and messages", () => {
    expect(check({ tags: ["a", "b", "a", "b", "c"] })).toEqual(["tags[2] | unique", "tags[3] | unique"]);
    const Item = registry.getMessage("test.v1.Item")!;
    const item = (id: string) => create(Item, { id } as MessageInitShape<DescMessage>);
    expect(check({ items: [item("x"), item("y"), item("x")] })).toEqual(["items[2] | unique"]);
    expect(validateMessage(Sample, Object.assign(valid(), { tags: ["a", "a"] }))[0]?.message).toBe(
      "tags[1]: duplicates tags[0]",
    );
  });

  it("recurses into repeated and map message values", () => {
    const Item = registry.getMessage("test.v1.Item")!;
    const empty = create(Item);
    expect(check({ items: [create(Item, { id: "ok" } as MessageInitShape<DescMessage>), empty] })).toEqual([
      "items[1].id | required",
    ]);
    expect(check({ byName: { first: empty } })).toEqual(['by_name["first"].id | required']);
  });

  it("bytes: limits the byte length", () => {
    expect(check({ blob: new Uint8Array(4) })).toEqual([]);
    expect(validateMessage(Sample, Object.assign(valid(), { blob: new Uint8Array(5) }))).toEqual([
      { path: "blob", rule: "bytes <=4", message: "blob: byte length 5 exceeds <=4" },
    ]);
  });

  it("map_key.value: integer keys are compared numerically", () => {
    expect(check({ limits: { "1": "a", "10": "b" } })).toEqual([]);
    expect(check({ limits: { "11": "a", "-1": "b", "5": "c" } }).sort()).toEqual([
      "limits[-1] | map_key.value 1-10",
      "limits[11] | map_key.value 1-10",
    ]);
  });

  it("wrappers: required means set; value applies to the unboxed scalar", () => {
    expect(check({ quota: undefined })).toEqual(["quota | required"]);
    expect(check({ quota: 0n })).toEqual(["quota | value >=1"]);
  });

  it("proto3 optional: an explicitly set empty value is checked", () => {
    expect(check({ nick: "abc" })).toEqual([]);
    expect(check({ nick: "" })).toEqual(["nick | length 2-3"]);
    expect(check({ nick: "abcd" })).toEqual(["nick | length 2-3"]);
  });

  it("value: fractional bounds on doubles; implicit zero is not checked", () => {
    expect(check({ ratio: 1.6 })).toEqual(["ratio | value 0.5-1.5"]);
    expect(check({ ratio: 0 })).toEqual([]);
  });

  it("fails loudly on options that cannot apply or do not parse", () => {
    const broken = registry.getMessage("test.v1.Broken")!;
    expect(() => validateMessage(broken, create(broken))).toThrow(/length.*applies to a string field only/);
    const badRange = registry.getMessage("test.v1.BadRange")!;
    expect(() => validateMessage(badRange, create(badRange))).toThrow(SyntaxError);
  });
});

/**
 * JavaScript callers: the init object as written, before `create()` coerces
 * it. Each case is a value the serializer used to coerce or choke on.
 */
describe("JavaScript types (checkTypes)", () => {
  const spark = (value: Record<string, unknown>) => ({
    clusterId: CLUSTER,
    jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/app.jar", ...value } },
  });
  const messages = (schema: DescMessage, init: unknown) => checkTypes(schema, init).map((v) => v.message);

  it("accepts what protobuf-es accepts: inits, messages, bigint/number/string int64, null as unset", () => {
    expect(checkTypes(CreateJobRequestSchema, validSparkRequest())).toEqual([]);
    expect(checkTypes(CreateJobRequestSchema, spark({ args: ["a"], properties: { k: "v" }, mainClass: null }))).toEqual([]);
    for (const pageSize of [10n, 10, "10", undefined, null]) {
      expect(checkTypes(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize })).toEqual([]);
    }
  });

  it.each([
    ["clusterId: 12345", { clusterId: 12345 }, "cluster_id: expected a string, got the number 12345"],
    ["clusterId: {id}", { clusterId: { id: "c1" } }, "cluster_id: expected a string, got an object"],
    ["clusterId: Symbol", { clusterId: Symbol("c1") }, "cluster_id: expected a string, got a symbol"],
    ["args: a string", spark({ args: "--day 2026-11-22" }), "spark_job.args: expected a list of strings, got a string"],
    ["args element: a number", spark({ args: ["--day", 22] }), "spark_job.args[1]: expected a string, got the number 22"],
    ["property value 4", spark({ properties: { "spark.cores": 4 } }), 'spark_job.properties["spark.cores"]: expected a string, got the number 4'],
    ["properties: a list", spark({ properties: ["a=b"] }), "spark_job.properties: expected an object of strings to strings, got a list"],
    ["properties: a Map", spark({ properties: new Map([["a", "b"]]) }), "spark_job.properties: expected an object of strings to strings, got a Map"],
    ["jobSpec.value: a string", { clusterId: CLUSTER, jobSpec: { case: "sparkJob", value: "s3a://b/app.jar" } }, "spark_job: expected a yandex.cloud.dataproc.v1.SparkJob object, got a string"],
  ])("%s", (_, init, message) => {
    expect(messages(CreateJobRequestSchema, init)).toEqual([message]);
  });

  it("booleans, integers and NaN", () => {
    const hive = (value: Record<string, unknown>) => ({
      clusterId: CLUSTER,
      jobSpec: { case: "hiveJob", value: { queryType: { case: "queryFileUri", value: "s3a://b/q.sql" }, ...value } },
    });
    expect(messages(CreateJobRequestSchema, hive({ continueOnFailure: "yes" }))).toEqual([
      "hive_job.continue_on_failure: expected a boolean, got a string",
    ]);
    expect(messages(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize: 1.5 })).toEqual([
      "page_size: expected an integer (bigint, number or decimal string), got the number 1.5",
    ]);
    expect(messages(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize: "abc" })).toEqual([
      "page_size: expected an integer (bigint, number or decimal string), got a string that is not a decimal integer",
    ]);
    expect(messages(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize: Number.NaN })).toEqual([
      "page_size: expected an integer (bigint, number or decimal string), got NaN",
    ]);
    expect(messages(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize: 2n ** 63n })).toEqual([
      "page_size: expected an integer from -9223372036854775808 to 9223372036854775807, got 9223372036854775808",
    ]);
  });

  it("oneofs: a stray member key beside the group, a bad case, stray keys in the group", () => {
    const hive = (value: Record<string, unknown>) => ({ clusterId: CLUSTER, jobSpec: { case: "hiveJob", value } });
    // A raw Hive spec with queryType set and a stray queryList: one of them used to vanish.
    expect(
      messages(CreateJobRequestSchema, hive({ queryType: { case: "queryFileUri", value: "s3a://b/q.sql" }, queryList: { queries: ["SELECT 1"] } })),
    ).toEqual(['hive_job.query_list: is a member of oneof query_type: set queryType: { case: "queryList", value } instead']);
    // The group itself carrying a second alternative as a sibling of case/value.
    expect(
      messages(CreateJobRequestSchema, hive({ queryType: { case: "queryFileUri", value: "s3a://b/q.sql", queryList: { queries: ["SELECT 1"] } } })),
    ).toEqual([
      'hive_job.query_type: has a stray key queryList: a oneof is { case, value } with case one of "queryFileUri", "queryList"',
    ]);
    expect(messages(CreateJobRequestSchema, hive({ queryType: { case: "queries", value: ["SELECT 1"] } }))).toEqual([
      'hive_job.query_type: case must be one of "queryFileUri", "queryList", got "queries"',
    ]);
    expect(messages(CreateJobRequestSchema, { clusterId: CLUSTER, sparkJob: { mainJarFileUri: "s3a://b/app.jar" } })).toEqual([
      'spark_job: is a member of oneof job_spec: set jobSpec: { case: "sparkJob", value } instead',
    ]);
    expect(messages(CreateJobRequestSchema, { clusterId: CLUSTER, jobSpec: "spark" })[0]).toMatch(/^job_spec: expected \{ case, value \}/);
  });

  it("other keys are ignored, as structural types allow; a message of another type is not", () => {
    // A job handle passed as a GetJobRequest: clusterId and jobId, plus methods.
    const handle = { clusterId: CLUSTER, jobId: "j1", wait: () => undefined, operation: { id: "op1" } };
    expect(messages(GetJobRequestSchema, handle)).toEqual([]);
    expect(messages(CreateJobRequestSchema, create(GetJobRequestSchema, { clusterId: CLUSTER }))).toEqual([
      "request: expected a yandex.cloud.dataproc.v1.CreateJobRequest object, got a yandex.cloud.dataproc.v1.GetJobRequest message",
    ]);
    expect(messages(GetJobRequestSchema, "c9q")).toEqual(["request: expected a yandex.cloud.dataproc.v1.GetJobRequest object, got a string"]);
  });

  it("never echoes a string value (it may be a credential)", () => {
    const secret = "y0_AgAAAAsecretsecretsecret";
    const found = checkTypes(CreateIamTokenRequestSchema, { identity: { case: "yandexPassportOauthToken", value: [secret] } });
    expect(found.map((v) => v.message)).toEqual(["yandex_passport_oauth_token: expected a string, got a list"]);
    // A stray key in a oneof group that does not look like a property name is shown by position.
    const group = { case: "yandexPassportOauthToken", value: "t", [`${secret}=="`]: 1 };
    expect(messages(CreateIamTokenRequestSchema, { identity: group })).toEqual([
      'identity: has a stray key [key #2]: a oneof is { case, value } with case one of "yandexPassportOauthToken", "jwt"',
    ]);
  });

  it("validateMessage reports wrong types instead of misleading constraint failures", () => {
    const request = create(ListJobsRequestSchema, { clusterId: CLUSTER, pageSize: "abc" as never });
    expect(rulesOf(validateMessage(ListJobsRequestSchema, request))).toEqual(["page_size | type"]);
  });

  it("for every message in the API registry: the zero message passes, and a wrong type in any field is named", () => {
    let checkedFields = 0;
    for (const type of createApiRegistry()) {
      if (type.kind !== "message") continue;
      expect(checkTypes(type, create(type))).toEqual([]);
      for (const field of type.fields) {
        if (field.oneof !== undefined) continue;
        // A Symbol fits no field kind.
        const found = checkTypes(type, { [field.localName]: Symbol("x") });
        expect(found.map((v) => v.path), `${type.typeName}.${field.name}`).toEqual([field.name]);
        expect(found[0]!.message).toMatch(/got a symbol$/);
        checkedFields++;
      }
      for (const oneof of type.oneofs) {
        const member = oneof.fields[0]!;
        const found = checkTypes(type, { [oneof.localName]: { case: member.localName, value: Symbol("x") } });
        expect(found.map((v) => v.path), `${type.typeName}.${member.name}`).toEqual([member.name]);
        checkedFields++;
      }
    }
    expect(checkedFields).toBeGreaterThan(100);
  });
});

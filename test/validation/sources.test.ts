/**
 * Two sets of validation options, one reader: Yandex's `yandex.cloud` set
 * (on the Yandex protos, wire-published) and this package's neutral
 * `dataproc_connect.v1` copy (on the AWS and Huawei protos). The tests move
 * real protos from one set to the other and check that nothing the validator
 * does depends on which set a field used.
 */
import { clearExtension, clone, create, createFileRegistry, getExtension, hasExtension, setExtension } from "@bufbuild/protobuf";
import type { DescFile, DescMessage, Message, MessageInitShape, Registry } from "@bufbuild/protobuf";
import type { GenExtension } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { DescriptorProto, FieldOptions, FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import * as neutral from "../../gen/dataproc_connect/v1/validation_pb.js";
import * as yandex from "../../gen/yandex/cloud/validation_pb.js";
import { file_aws_emr_serverless_v1_emr_serverless_service } from "../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import * as emr from "../../gen/aws/emr_serverless/v1/emr_serverless_service_pb.js";
import { file_huawei_mrs_v1_cluster } from "../../gen/huawei/mrs/v1/cluster_pb.js";
import { file_huawei_mrs_v1_job_execution } from "../../gen/huawei/mrs/v1/job_execution_pb.js";
import { file_huawei_mrs_v2_job_execution } from "../../gen/huawei/mrs/v2/job_execution_pb.js";
import { CreateJobRequestSchema } from "../../gen/yandex/cloud/dataproc/v1/job_service_pb.js";
import { apiFiles } from "../../src/yandex/registry.js";
import { validateMessage } from "../../src/validation/index.js";
import type { Violation } from "../../src/validation/index.js";
import { declaredConstraints } from "../../src/validation/constraint-options.js";
import { rulesFor } from "../../src/validation/rules.js";
import type { MemberRules } from "../../src/validation/rules.js";

type OptionSet = typeof neutral | typeof yandex;

const setFile = (set: OptionSet) =>
  set === neutral ? neutral.file_dataproc_connect_v1_validation : yandex.file_yandex_cloud_validation;

const scalarOptions = ["required", "unique", "pattern", "value", "size", "length", "bytes"] as const;

/** Moves every validation option of `options` from one set to the other. */
function moveFieldOptions(options: FieldOptions, from: OptionSet, to: OptionSet): void {
  for (const name of scalarOptions) {
    if (!hasExtension(options, from[name])) continue;
    // The two sets' extensions have the same value types, name by name.
    const ext = to[name] as GenExtension<FieldOptions, unknown>;
    setExtension(options, ext, getExtension(options, from[name]));
    clearExtension(options, from[name]);
  }
  if (hasExtension(options, from.map_key)) {
    const { value, pattern, length } = getExtension(options, from.map_key);
    const schema = to === neutral ? neutral.MapKeyRulesSchema : yandex.MapKeySpecSchema;
    const ext = to.map_key as GenExtension<FieldOptions, unknown>;
    setExtension(options, ext, create(schema, { value, pattern, length }));
    clearExtension(options, from.map_key);
  }
}

function moveMessage(message: DescriptorProto, from: OptionSet, to: OptionSet): void {
  for (const field of message.field) if (field.options) moveFieldOptions(field.options, from, to);
  for (const oneof of message.oneofDecl) {
    if (oneof.options && hasExtension(oneof.options, from.exactly_one)) {
      setExtension(oneof.options, to.exactly_one, getExtension(oneof.options, from.exactly_one));
      clearExtension(oneof.options, from.exactly_one);
    }
  }
  for (const nested of message.nestedType) moveMessage(nested, from, to);
}

/** `file` as if its author had written the other set's options. */
function moveFile(file: FileDescriptorProto, from: OptionSet, to: OptionSet): FileDescriptorProto {
  const moved = clone(FileDescriptorProtoSchema, file);
  const fromName = setFile(from).name + ".proto";
  moved.dependency = moved.dependency.map((d) => (d === fromName ? setFile(to).name + ".proto" : d));
  for (const message of moved.messageType) moveMessage(message, from, to);
  return moved;
}

/** `files` and every file they import, dependencies first. */
function closure(files: readonly DescFile[]): DescFile[] {
  const out: DescFile[] = [];
  const visit = (file: DescFile): void => {
    if (out.includes(file)) return;
    file.dependencies.forEach(visit);
    out.push(file);
  };
  files.forEach(visit);
  return out;
}

/** A registry of `files` (and their imports) with every option moved to the other set. */
function movedRegistry(files: readonly DescFile[], from: OptionSet, to: OptionSet) {
  const all = closure([setFile(to), ...files]);
  return createFileRegistry(
    create(FileDescriptorSetSchema, { file: all.map((f) => moveFile(f.proto, from, to)) }),
  );
}

function messagesOf(files: readonly DescFile[]): DescMessage[] {
  const out: DescMessage[] = [];
  const walk = (m: DescMessage): void => {
    out.push(m);
    m.nestedMessages.forEach(walk);
  };
  for (const file of files) file.messages.forEach(walk);
  return out;
}

/** Everything the validator compiled for a type, as text. */
function summary(desc: DescMessage): string[] {
  return rulesFor(desc).members.map((m: MemberRules) => {
    if (m.kind === "exactly_one") return `oneof ${m.name}: exactly_one of ${m.members}`;
    const parts = [`${m.kind} ${m.name}`, `required=${m.required}`, `checks=${m.checks.map((c) => c.rule).join(",")}`];
    if (m.kind === "list") parts.push(`size=${m.size?.text}`, `unique=${m.unique}`);
    if (m.kind === "map") parts.push(`size=${m.size?.text}`, `keys=${m.keyChecks.map((c) => c.rule).join(",")}`);
    if (m.kind === "singular") parts.push(`presence=${m.presence}`);
    parts.push(`descend=${m.descend?.typeName}`);
    return parts.join(" ");
  });
}

/** How many fields and oneofs of `files` declare options of `set`. */
function declarations(files: readonly DescFile[], set: OptionSet): number {
  let n = 0;
  for (const message of messagesOf(files)) {
    for (const field of message.fields) {
      const declared = declaredConstraints(field);
      if (declared !== undefined && declared.source === (set === neutral ? "dataproc_connect.v1" : "yandex.cloud")) n++;
    }
    for (const oneof of message.oneofs) {
      if (oneof.proto.options && hasExtension(oneof.proto.options, set.exactly_one)) n++;
    }
  }
  return n;
}

const paths = (violations: readonly Violation[]) => violations.map((v) => `${v.path} | ${v.rule}`);

function validateIn(registry: Registry, schema: DescMessage, init: object): Violation[] {
  const moved = registry.getMessage(schema.typeName)!;
  return validateMessage(moved, create(moved, init as MessageInitShape<DescMessage>) as Message);
}

describe("the Yandex API, moved to the neutral options", () => {
  const moved = movedRegistry(apiFiles, yandex, neutral);
  const movedFiles = apiFiles.map((f) => moved.getFile(f.proto.name)!);

  it("carries only neutral options afterwards, as many as before", () => {
    const before = declarations(apiFiles, yandex);
    expect(before).toBeGreaterThan(40);
    expect(declarations(movedFiles, neutral)).toBe(before);
    expect(declarations(movedFiles, yandex)).toBe(0);
  });

  it("compiles every message type to the same rules (required, length, pattern, value, size, map_key, exactly_one)", () => {
    const originals = messagesOf(apiFiles);
    expect(originals.length).toBeGreaterThan(30);
    for (const original of originals) {
      const copy = moved.getMessage(original.typeName)!;
      expect(summary(copy), original.typeName).toEqual(summary(original));
    }
    // Every kind of constraint took part.
    const all = originals.flatMap(summary).join("\n");
    for (const kind of [/: exactly_one of /, /required=true/, /checks=.*length /, /checks=.*pattern /, /checks=.*value /, /size=[<\d]/, /keys=map_key\.length /, /keys=.*map_key\.pattern /]) {
      expect(all).toMatch(kind);
    }
  });

  it("reports the same field paths and rules for a bad request", () => {
    const bad = {
      clusterId: "",
      name: "Bad_Name",
      jobSpec: {
        case: "sparkJob",
        value: { mainJarFileUri: "", args: ["x".repeat(10001)], properties: { "": "v" } },
      },
    };
    const original = validateMessage(CreateJobRequestSchema, create(CreateJobRequestSchema, bad as never));
    expect(paths(original)).toEqual(
      expect.arrayContaining(["cluster_id | required", "spark_job.main_jar_file_uri | required", "spark_job.args[0] | length <=10000"]),
    );
    expect(validateIn(moved, CreateJobRequestSchema, bad)).toEqual(original);
    expect(paths(validateIn(moved, CreateJobRequestSchema, { clusterId: "c9q" }))).toEqual(["job_spec | exactly_one"]);
  });
});

describe("the AWS and Huawei protos", () => {
  const awsFiles = closure([file_aws_emr_serverless_v1_emr_serverless_service]).filter((f) => f.name.startsWith("aws/"));
  const cloudFiles = [...awsFiles, file_huawei_mrs_v1_cluster, file_huawei_mrs_v1_job_execution, file_huawei_mrs_v2_job_execution];

  it("import no Yandex file and declare only neutral options", () => {
    for (const file of closure(cloudFiles)) expect(file.name, file.name).not.toMatch(/yandex/i);
    // 26 on the job runs, 31 on the applications.
    expect(declarations(awsFiles, neutral)).toBe(57);
    expect(declarations(cloudFiles, yandex)).toBe(0);
  });

  it("compile to the same rules as with Yandex's options", () => {
    const moved = movedRegistry(awsFiles, neutral, yandex);
    for (const original of messagesOf(awsFiles)) {
      expect(summary(moved.getMessage(original.typeName)!), original.typeName).toEqual(summary(original));
    }
    expect(declarations(awsFiles.map((f) => moved.getFile(f.proto.name)!), yandex)).toBe(57);
  });

  // The messages the same requests got while proto/aws used yandex.cloud options.
  it.each([
    [
      "GetJobRun",
      emr.GetJobRunRequestSchema,
      { applicationId: "UPPER", jobRunId: "", attempt: 0 },
      [
        "application_id: does not match pattern [0-9a-z]+",
        "job_run_id: is required",
        "attempt: value is below >=1",
      ],
    ],
    [
      "StartJobRun",
      emr.StartJobRunRequestSchema,
      {
        applicationId: "a".repeat(65),
        clientToken: "bad token",
        executionRoleArn: "short",
        executionTimeoutMinutes: 2000000n,
        jobDriver: { driver: { case: "sparkSubmit", value: { entryPoint: "", entryPointArguments: [""] } } },
        configurationOverrides: { applicationConfiguration: [{ classification: "" }] },
        retryPolicy: { maxAttempts: 0 },
      },
      [
        "application_id: length 65 exceeds 1-64",
        "client_token: does not match pattern [A-Za-z0-9._-]+",
        "execution_role_arn: length 5 is below 20-2048",
        "job_driver.spark_submit.entry_point: is required",
        "job_driver.spark_submit.entry_point_arguments[0]: length 0 is below 1-10280",
        "configuration_overrides.application_configuration[0].classification: is required",
        "execution_timeout_minutes: value exceeds 0-1000000",
        "retry_policy.max_attempts: value is below >=1",
      ],
    ],
    [
      "ListJobRuns",
      emr.ListJobRunsRequestSchema,
      { applicationId: "app", maxResults: 51, states: new Array<number>(11).fill(1) },
      ["max_results: value exceeds 1-50", "states: size 11 exceeds <=10"],
    ],
    [
      "CancelJobRun",
      emr.CancelJobRunRequestSchema,
      { applicationId: "app", jobRunId: "j", shutdownGracePeriodInSeconds: 1801 },
      ["shutdown_grace_period_in_seconds: value exceeds 0-1800"],
    ],
  ] as const)("%s fails with the same messages as before", (_, schema, init, messages) => {
    const found = validateMessage(schema as DescMessage, create(schema as DescMessage, init as never) as Message);
    expect(found.map((v) => v.message)).toEqual(messages);
  });
});

describe("the reader", () => {
  const [jobRun] = closure([file_aws_emr_serverless_v1_emr_serverless_service]).filter((f) => f.name.endsWith("job_run"));
  const driver = jobRun!.proto.messageType.find((m) => m.name === "SparkSubmit")!;

  it("rejects a field declaring options of both sets", () => {
    const file = clone(FileDescriptorProtoSchema, jobRun!.proto);
    const entryPoint = file.messageType.find((m) => m.name === driver.name)!.field.find((f) => f.name === "entry_point")!;
    setExtension(entryPoint.options!, yandex.length, "1-10");
    file.dependency.push("yandex/cloud/validation.proto");
    const registry = createFileRegistry(
      create(FileDescriptorSetSchema, { file: [...closure([jobRun!, yandex.file_yandex_cloud_validation]).filter((f) => f !== jobRun).map((f) => f.proto), file] }),
    );
    const schema = registry.getMessage("aws.emr_serverless.v1.SparkSubmit")!;
    expect(() => validateMessage(schema, create(schema))).toThrow(
      "aws.emr_serverless.v1.SparkSubmit.entry_point: declares both (dataproc_connect.v1.*) and (yandex.cloud.*) validation options; use one set",
    );
  });

  it("names the neutral option when one is misplaced", () => {
    const file = clone(FileDescriptorProtoSchema, jobRun!.proto);
    const args = file.messageType.find((m) => m.name === driver.name)!.field.find((f) => f.name === "entry_point_arguments")!;
    setExtension(args.options!, neutral.value, "<=3");
    const registry = createFileRegistry(
      create(FileDescriptorSetSchema, { file: [...closure([jobRun!]).filter((f) => f !== jobRun).map((f) => f.proto), file] }),
    );
    const schema = registry.getMessage("aws.emr_serverless.v1.SparkSubmit")!;
    expect(() => validateMessage(schema, create(schema))).toThrow(
      "aws.emr_serverless.v1.SparkSubmit.entry_point_arguments: option (dataproc_connect.v1.value) applies to a numeric or Duration field only",
    );
  });
});

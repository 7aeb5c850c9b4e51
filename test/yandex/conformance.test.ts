import { describe, expect, it } from "vitest";
import { clone, createFileRegistry } from "@bufbuild/protobuf";
import type { DescEnum, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import {
  FileDescriptorProtoSchema,
  file_google_protobuf_any,
  file_google_protobuf_descriptor,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import { apiFiles, createApiRegistry } from "../../src/index.js";
import { file_yandex_cloud_dataproc_v1_job } from "../../gen/yandex/cloud/dataproc/v1/job_pb.js";
import { compareEnum, compareMessage, compareService, NEWER_THAN_SDK, NOT_IN_SDK } from "../support/conformance.js";
import { populate } from "../support/populate.js";

// Wire conformance with the official SDK (@yandex-cloud/nodejs-sdk, generated
// from the public cloudapi definitions). Everything is enumerated from our own
// descriptors, so a field, message or service added to proto/ is covered with
// no change here.

const registry = createApiRegistry();
const ownFiles = new Set(apiFiles.map((f) => f.name));
const types = [...registry].filter((t) => ownFiles.has(t.file.name));
const messages = types.filter((t): t is DescMessage => t.kind === "message");
const enums = types.filter((t): t is DescEnum => t.kind === "enum");
const services = types.filter((t): t is DescService => t.kind === "service");

describe("wire conformance with @yandex-cloud/nodejs-sdk", () => {
  it("covers every package we ship", () => {
    const packages = new Set(messages.map((m) => m.file.proto.package));
    expect([...packages].sort()).toEqual([
      "google.api", "google.rpc", "yandex.cloud", "yandex.cloud.api", "yandex.cloud.dataproc.v1",
      "yandex.cloud.iam.v1", "yandex.cloud.operation", "yandex.cloud.spark.v1",
    ]);
    expect(messages.length).toBeGreaterThanOrEqual(39);
    expect(services.map((s) => s.typeName).sort()).toEqual([
      "yandex.cloud.dataproc.v1.ClusterService", "yandex.cloud.dataproc.v1.JobService",
      "yandex.cloud.iam.v1.IamTokenService", "yandex.cloud.operation.OperationService",
      "yandex.cloud.spark.v1.ClusterService", "yandex.cloud.spark.v1.JobService",
    ]);
  });

  it.each(messages.filter((m) => !NOT_IN_SDK.has(m.typeName)).map((m) => [m.typeName, m] as const))("message %s", (_, desc) => {
    expect(compareMessage(desc)).toEqual([]);
  });

  // Types the SDK does not ship are held to their published field table instead.
  it.each([...NOT_IN_SDK].map(([name, table]) => [name, table] as const))("message %s (not in the SDK)", (name, table) => {
    const desc = registry.getMessage(name);
    expect(desc, name).toBeDefined();
    expect(desc!.fields.map((f) => `${f.name} = ${f.number} ${f.fieldKind === "scalar" ? "scalar" : f.fieldKind}`)).toEqual(table);
  });

  it.each(enums.map((e) => [e.typeName, e] as const))("enum %s", (_, desc) => {
    expect(compareEnum(desc)).toEqual([]);
  });

  it.each(services.map((s) => [s.typeName, s] as const))("service %s", (_, desc) => {
    expect(compareService(desc)).toEqual([]);
  });

  // The round trips above reach these through populate(); say so, so that a
  // change to populate() or to the .proto files cannot drop them silently.
  it("exercises FieldMask and Duration fields, and there are no wrapper fields to exercise", () => {
    const wkt = (m: DescMessage) => m.fields.flatMap((f) => (f.message?.file.proto.package === "google.protobuf" ? [`${m.typeName}.${f.name}: ${f.message.typeName}`] : []));
    const used = messages.flatMap(wkt);
    expect(used).toContain("yandex.cloud.dataproc.v1.UpdateClusterRequest.update_mask: google.protobuf.FieldMask");
    expect(used).toContain("yandex.cloud.spark.v1.UpdateClusterRequest.update_mask: google.protobuf.FieldMask");
    expect(used).toContain("yandex.cloud.dataproc.v1.AutoscalingConfig.measurement_duration: google.protobuf.Duration");
    // Neither ClusterService reaches a google.protobuf.*Value wrapper (the public
    // definitions have none); test/support/sdk-json.ts would need their ts-proto shape.
    expect(used.filter((u) => u.endsWith("Value"))).toEqual([]);
    const autoscaling = populate(registry.getMessage("yandex.cloud.dataproc.v1.AutoscalingConfig")!, 1) as unknown as Record<string, unknown>;
    expect(autoscaling.measurementDuration).toMatchObject({ seconds: expect.any(BigInt) as unknown });
    const updateRequest = populate(registry.getMessage("yandex.cloud.dataproc.v1.UpdateClusterRequest")!, 0) as unknown as { updateMask?: { paths: string[] } };
    expect(updateRequest.updateMask?.paths).toHaveLength(2);
  });

  it("lists only fields that exist", () => {
    const all = new Set(messages.flatMap((m) => m.fields.map((f) => `${m.typeName}.${f.name}`)));
    for (const name of NEWER_THAN_SDK) expect(all, name).toContain(name);
  });
});

describe("the conformance check itself", () => {
  const known = new Map<string, DescFile>();
  const add = (file: DescFile): void => {
    known.set(`${file.name}.proto`, file); // DescFile.name has no ".proto"
    file.dependencies.forEach(add);
  };
  [...apiFiles, file_google_protobuf_timestamp, file_google_protobuf_any, file_google_protobuf_descriptor].forEach(add);
  // Build a copy of dataproc/v1/job.proto with one field number changed and
  // make sure the check notices: a check that cannot fail proves nothing.
  function mutatedJob(mutate: (proto: typeof file_yandex_cloud_dataproc_v1_job.proto) => void): DescMessage {
    const proto = clone(FileDescriptorProtoSchema, file_yandex_cloud_dataproc_v1_job.proto);
    mutate(proto);
    const files = createFileRegistry(proto, (name) => known.get(name));
    return files.getMessage("yandex.cloud.dataproc.v1.Job")!;
  }

  it("fails when a field number changes (Job.created_by 12 → 14)", () => {
    const desc = mutatedJob((proto) => {
      proto.messageType.find((m) => m.name === "Job")!.field.find((f) => f.name === "created_by")!.number = 14;
    });
    const problems = compareMessage(desc);
    expect(problems.join("\n")).toMatch(/created_by = 14: the SDK has no field with that number/);
    expect(problems.join("\n")).toMatch(/the SDK has field createdBy = 12, which we lack/);
    expect(problems.some((p) => p.includes("ours → SDK"))).toBe(true);
  });

  it("fails when a field type changes (Job.name string → bytes)", () => {
    const desc = mutatedJob((proto) => {
      proto.messageType.find((m) => m.name === "Job")!.field.find((f) => f.name === "name")!.type = 12; // TYPE_BYTES
    });
    expect(compareMessage(desc).length).toBeGreaterThan(0);
  });

  it("fails when a field is missing on our side", () => {
    const desc = mutatedJob((proto) => {
      const job = proto.messageType.find((m) => m.name === "Job")!;
      job.field = job.field.filter((f) => f.name !== "application_info");
    });
    expect(compareMessage(desc)).toContain("yandex.cloud.dataproc.v1.Job: the SDK has field applicationInfo = 13, which we lack");
  });
});

import { inspect } from "node:util";
import { create, isMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { createApiRegistry } from "../../src/index.js";
import { JobSchema, JobService, Job_Status } from "../../src/yandex/dataproc/v1/index.js";
import { EmrServerless } from "../../src/aws/emr-serverless/index.js";
import { JobExecutionService } from "../../src/huawei/mrs/v2/index.js";

// Descriptors are protobuf-es's own objects, not stand-ins: identity holds
// through every path a program reaches them by.
describe("descriptors", () => {
  it("are the objects protobuf-es built: parents, registry lookups and inspect agree", () => {
    expect(JobService.method.get.parent).toBe(JobService);
    expect(JobService.method.get.output).toBe(JobSchema);
    expect(createApiRegistry().getMessage(JobSchema.typeName)).toBe(JobSchema);
    expect(createApiRegistry().getService(JobService.typeName)).toBe(JobService);
    expect(inspect(JobSchema, { depth: 0 })).toMatch(/kind: 'message'/);
    expect(EmrServerless.method.startJobRun.parent).toBe(EmrServerless);
    expect(JobExecutionService.methods.every((m) => m.parent === JobExecutionService)).toBe(true);
  });

  it("create and isMessage work on them", () => {
    const job = create(JobSchema, { id: "j1", status: Job_Status.RUNNING });
    expect(isMessage(job, JobSchema)).toBe(true);
    expect(job.$typeName).toBe("yandex.cloud.dataproc.v1.Job");
  });
});

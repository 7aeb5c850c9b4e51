import { create, createRegistry, fromBinary, isMessage, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it, vi } from "vitest";

// The generated descriptors are stand-ins that hydrate on first use
// (src/core/lazy-desc.ts; the build and this suite point gen/'s codegenv2
// import at it). They must behave as the descriptors themselves.

describe("lazy descriptors", () => {
  it("importing the root and the Data Proc entry hydrates no descriptor", async () => {
    vi.resetModules();
    await import("../src/index.js");
    await import("../src/dataproc/v1/index.js");
    const { descriptorCounts } = await import("../src/core/lazy-desc.js");
    const counts = descriptorCounts();
    expect(counts.created).toBeGreaterThan(50);
    expect(counts.hydrated).toBe(0);
  });

  it.each([
    ["aws", () => [import("../src/aws/index.js"), import("../src/aws/emr-serverless/index.js")]],
    ["huawei", () => [import("../src/huawei/index.js"), import("../src/huawei/mrs/v1/index.js"), import("../src/huawei/mrs/v2/index.js")]],
    ["the other Yandex entries", () => [import("../src/spark/v1/index.js"), import("../src/operation/index.js"), import("../src/iam/v1/index.js"), import("../src/rest/index.js")]],
  ])("importing %s hydrates no descriptor", async (_, load) => {
    vi.resetModules();
    await Promise.all(load());
    const { descriptorCounts } = await import("../src/core/lazy-desc.js");
    expect(descriptorCounts().created).toBeGreaterThan(0);
    expect(descriptorCounts().hydrated).toBe(0);
  });

  it("a stand-in reads, enumerates and works as the real descriptor", async () => {
    vi.resetModules();
    const { JobSchema, JobService, Job_Status } = await import("../src/dataproc/v1/index.js");
    const { hydrated, descriptorCounts } = await import("../src/core/lazy-desc.js");
    expect(descriptorCounts().hydrated).toBe(0);
    const real = hydrated(JobSchema);
    expect(real).not.toBe(JobSchema);
    expect(JobSchema.typeName).toBe("yandex.cloud.dataproc.v1.Job");
    expect(Object.keys(JobSchema)).toEqual(Object.keys(real));
    expect("fields" in JobSchema).toBe(true);
    expect(Object.getPrototypeOf(JobSchema)).toBe(Object.getPrototypeOf(real));
    expect(JobSchema.fields.map((f) => f.number)).toEqual(real.fields.map((f) => f.number));
    // Reached through another descriptor, a descriptor is the real one.
    expect(JobService.method.get.output).toBe(real);

    const job = create(JobSchema, { id: "j1", name: "n", status: Job_Status.RUNNING, createdAt: { seconds: 5n } });
    expect(isMessage(job, JobSchema)).toBe(true);
    const back = fromBinary(real, toBinary(JobSchema, job));
    expect(back).toEqual(job);
    expect(toJson(JobSchema, job)).toEqual({ id: "j1", name: "n", status: "RUNNING", createdAt: "1970-01-01T00:00:05Z" });
    expect(createRegistry(JobSchema).getMessage("yandex.cloud.dataproc.v1.Job")?.fields.length).toBe(real.fields.length);
  });
});

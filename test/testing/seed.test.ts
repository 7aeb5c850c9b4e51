/** `emulator.seedJobs()`: many jobs straight into the store, seen by List and Get like created ones. */
import { afterEach, describe, expect, it } from "vitest";
import { createYandexCloud, iamToken, isSucceeded, listJobs, statusName } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

const running: Emulator<ManualClock>[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function setup() {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, restFaces: [], clusters: ["c9qseedcluster000001", "c9qseedcluster000002"] });
  running.push(emulator);
  const cloud = createYandexCloud({ endpoint: emulator.url, credentials: iamToken(emulator.iamToken), clock, sleep: clock.sleep });
  return { emulator, clock, cloud };
}

describe("emulator.seedJobs", () => {
  it("adds jobs that List pages through and Get reads, with no call in the log", async () => {
    const { emulator, clock, cloud } = await setup();
    const mark = emulator.mark();
    const ids = emulator.seedJobs({ count: 2_500, properties: { "emulator.duration_ms": "1000" } });
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(emulator.callsSince(mark)).toHaveLength(0);

    const listed: string[] = [];
    for await (const job of listJobs(cloud, JobService, emulator.clusters[0]!, { pageSize: 1000 })) listed.push(job.id);
    expect(listed).toEqual(ids); // oldest first, as created
    const first = await cloud.client(JobService).get({ clusterId: emulator.clusters[0]!, jobId: ids[0]! });
    expect(first).toMatchObject({ name: "seeded-0", createdBy: "ajeemulator0user0001", clusterId: emulator.clusters[0] });
    expect(first.jobSpec.case).toBe("sparkJob");
    expect(statusName(first)).toBe("PROVISIONING"); // created now, on the emulator clock
    clock.advance(2_000);
    expect(isSucceeded(await cloud.client(JobService).get({ clusterId: emulator.clusters[0]!, jobId: ids.at(-1)! }))).toBe(true);
    cloud.close();
  });

  it("seeds the Spark service and another cluster apart; bad input is a clear error", async () => {
    const { emulator, cloud } = await setup();
    const [spark] = emulator.seedJobs({ count: 1, service: "spark", clusterId: emulator.clusters[1]!, namePrefix: "s" });
    expect((await cloud.client(SparkJobService).get({ clusterId: emulator.clusters[1]!, jobId: spark! })).name).toBe("s-0");
    const dataproc: string[] = [];
    for await (const job of listJobs(cloud, JobService, emulator.clusters[1]!)) dataproc.push(job.id);
    expect(dataproc).toEqual([]);
    expect(() => emulator.seedJobs({ count: 1.5 })).toThrow(/seedJobs: count must be an integer/);
    expect(() => emulator.seedJobs({ count: 1, clusterId: "c9qnope" })).toThrow(/clusterId "c9qnope" is not one of the emulator's clusters/);
    expect(() => emulator.seedJobs({ count: 1, service: "emr" as never })).toThrow(TypeError);
    expect(() => emulator.seedJobs({ count: 1, properties: { "emulator.outcome": "maybe" } })).toThrow(/emulator\.outcome/);
    cloud.close();
  });
});

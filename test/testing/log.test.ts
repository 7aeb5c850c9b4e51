import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { CreateJobMetadataSchema, JobService as DataprocJobService } from "../../src/yandex/dataproc/v1/index.js";
import { rawLogService } from "../../src/yandex/jobs/raw-log.js";
import * as sparkV1 from "../../src/yandex/spark/v1/index.js";
import { startHarness, sparkJobRequest, rejection } from "../support/emulator-helpers.js";
import type { Harness } from "../support/emulator-helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function createJob(properties: Record<string, string>): Promise<string> {
  const op = await h.dataproc.create(sparkJobRequest(h.cluster, properties), h.auth);
  return anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
}

/** ListLog read with `content` as bytes: pages are cut by byte count and may split a character. */
interface RawPage {
  readonly content: Uint8Array;
  readonly nextPageToken: string;
}
function listLogRaw(jobId: string, pageSize: number, pageToken = ""): Promise<RawPage> {
  const raw = createClient(rawLogService(DataprocJobService), h.transport) as unknown as {
    listLog(req: object, options: object): Promise<RawPage>;
  };
  return raw.listLog({ clusterId: h.cluster, jobId, pageSize: BigInt(pageSize), pageToken }, h.auth);
}

/** Reads pages until the service stops returning new bytes; returns the pages and the last token. */
async function readAvailable(jobId: string, pageSize: number, token = ""): Promise<{ pages: Buffer[]; token: string }> {
  const pages: Buffer[] = [];
  for (;;) {
    const page = await listLogRaw(jobId, pageSize, token);
    if (page.content.length > 0) pages.push(Buffer.from(page.content));
    if (page.nextPageToken === "" || page.content.length === 0) return { pages, token: page.nextPageToken };
    token = page.nextPageToken;
  }
}

const text = (pages: Buffer[]): string => Buffer.concat(pages).toString("utf8");
const isContinuation = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80;

describe("ListLog", () => {
  it("pages a finished job's log by exact byte counts, so pages may split a UTF-8 character", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "100000", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const whole = await readAvailable(jobId, 1024 * 1024);
    expect(whole.pages).toHaveLength(1);
    expect(whole.token).toBe("");
    const full = whole.pages[0]!;
    // Whole lines, each ending with "\n", cut after the last one that fits.
    expect(full.length).toBeGreaterThan(100_000 - 200);
    expect(full.length).toBeLessThanOrEqual(100_000);
    const fullText = full.toString("utf8");
    expect(fullText.endsWith("\n")).toBe(true);
    for (const line of fullText.slice(0, -1).split("\n")) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO|WARN|DEBUG) +\[/);
    expect(fullText).not.toContain("\uFFFD");
    for (const char of ["→", "é", "🚀"]) expect(fullText).toContain(char);

    // A page size that ends the first page inside a character, and a round one.
    const inside = full.findIndex((byte, i) => i >= 2000 && isContinuation(byte));
    expect(inside).toBeGreaterThan(0);
    for (const pageSize of [inside, 4096]) {
      const { pages, token } = await readAvailable(jobId, pageSize);
      expect(token).toBe("");
      expect(pages.slice(0, -1).every((p) => p.length === pageSize)).toBe(true);
      expect(Buffer.concat(pages).equals(full)).toBe(true);
      if (pageSize === inside) expect(isContinuation(pages[1]![0])).toBe(true); // page 2 starts mid-character
    }
  });

  it("ends with a newline even when not one whole line fits", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "40", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const full = text((await readAvailable(jobId, 1 << 20)).pages);
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(40);
    expect(full).toMatch(/^\d{4}-[^\n]+\n$/);
  });

  it("reads the same bytes with any page size, down to 1 byte", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "120", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const full = Buffer.concat((await readAvailable(jobId, 1 << 20)).pages);
    for (const pageSize of [1, 7, 13]) {
      const { pages } = await readAvailable(jobId, pageSize);
      expect(pages.every((p) => p.length <= pageSize)).toBe(true);
      expect(Buffer.concat(pages).equals(full)).toBe(true);
    }
  });

  it("grows while the job runs; a follower gets every byte once and an empty page with the same token when caught up", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "20000", "emulator.duration_ms": "10000" });
    // provisioning: nothing yet, but a token to poll with
    let step = await readAvailable(jobId, 1000);
    expect(step.pages).toEqual([]);
    expect(step.token).not.toBe("");
    const received: Buffer[] = [];
    let token = step.token;

    h.clock.advance(500 + 2500); // 25 % of the run
    step = await readAvailable(jobId, 1000, token);
    received.push(...step.pages);
    const quarter = Buffer.concat(received).length;
    expect(quarter).toBeGreaterThan(4000);
    expect(quarter).toBeLessThanOrEqual(5000);
    expect(text(received).endsWith("\n")).toBe(true); // whole lines while running
    token = step.token;

    // caught up: empty content, same position
    const again = await listLogRaw(jobId, 1000, token);
    expect(again.content.length).toBe(0);
    expect(again.nextPageToken).toBe(token);

    h.clock.advance(5000);
    step = await readAvailable(jobId, 777, token);
    received.push(...step.pages);
    token = step.token;
    expect(token).not.toBe("");

    h.clock.advance(10_000); // DONE
    step = await readAvailable(jobId, 1000, token);
    received.push(...step.pages);
    expect(step.token).toBe("");

    const full = Buffer.concat((await readAvailable(jobId, 1 << 20)).pages);
    expect(Buffer.concat(received).equals(full)).toBe(true);
    expect(full.length).toBeGreaterThan(20_000 - 200); // whole lines: cut after the last that fits
    expect(full.at(-1)).toBe(0x0a);
  });

  it("stops growing on cancel and ends the follower when the job is CANCELLED", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "20000", "emulator.duration_ms": "10000" });
    h.clock.advance(500 + 5000);
    await h.dataproc.cancel({ clusterId: h.cluster, jobId }, h.auth);
    const partial = await readAvailable(jobId, 1 << 20);
    expect(partial.token).not.toBe(""); // CANCELLING: not final yet
    h.clock.advance(10_000);
    const rest = await readAvailable(jobId, 1 << 20, partial.token);
    expect(rest.pages).toEqual([]);
    expect(rest.token).toBe("");
    const size = Buffer.concat(partial.pages).length;
    expect(size).toBeGreaterThan(9000);
    expect(size).toBeLessThanOrEqual(10_000);
  });

  it("defaults page_size to 1 MiB, which is also the maximum", async () => {
    const jobId = await createJob({ "emulator.log_bytes": String(1.5 * 1024 * 1024), "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const first = await listLogRaw(jobId, 0);
    expect(first.content.length).toBe(1024 * 1024);
    expect(first.nextPageToken).not.toBe("");
    const tooBig = await rejection(h.dataproc.listLog({ clusterId: h.cluster, jobId, pageSize: 1024n * 1024n + 1n }, h.auth));
    expect(tooBig.code).toBe(Code.InvalidArgument);
    expect(tooBig.rawMessage).toContain("page_size");
  });

  it("rejects a page token that is not one of this job's", async () => {
    const a = await createJob({ "emulator.duration_ms": "0" });
    const b = await createJob({ "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const page = await h.dataproc.listLog({ clusterId: h.cluster, jobId: a, pageSize: 100n }, h.auth);
    const wrongJob = await rejection(h.dataproc.listLog({ clusterId: h.cluster, jobId: b, pageToken: page.nextPageToken }, h.auth));
    expect(wrongJob.code).toBe(Code.InvalidArgument);
    const garbage = await rejection(h.dataproc.listLog({ clusterId: h.cluster, jobId: a, pageToken: "bm9wZQ" }, h.auth));
    expect(garbage.code).toBe(Code.InvalidArgument);
    expect(garbage.rawMessage).toContain("page_token");
  });

  it("serves the Spark service's logs the same way", async () => {
    const op = await h.spark.create(
      { clusterId: h.cluster, jobSpec: { case: "sparkJob", value: { mainJarFileUri: "s3a://b/a.jar", properties: { "emulator.log_bytes": "500" } } } },
      h.auth,
    );
    const jobId = anyUnpack(op.metadata!, sparkV1.CreateJobMetadataSchema)!.jobId;
    h.clock.advance(5000);
    const page = await h.spark.listLog({ clusterId: h.cluster, jobId }, h.auth);
    expect(Buffer.byteLength(page.content)).toBeGreaterThan(500 - 200);
    expect(Buffer.byteLength(page.content)).toBeLessThanOrEqual(500);
    expect(page.content.endsWith("\n")).toBe(true);
    expect(page.nextPageToken).toBe("");
  });
});

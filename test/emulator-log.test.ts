import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateJobMetadataSchema } from "../src/dataproc/v1/index.js";
import * as sparkV1 from "../src/spark/v1/index.js";
import { startHarness, sparkJobRequest } from "./emulator-helpers.js";
import type { Harness } from "./emulator-helpers.js";

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

/** Reads pages until the service stops returning new bytes; returns the pages and the last token. */
async function readAvailable(jobId: string, pageSize: number, token = ""): Promise<{ pages: string[]; token: string }> {
  const pages: string[] = [];
  for (;;) {
    const page = await h.dataproc.listLog({ clusterId: h.cluster, jobId, pageSize: BigInt(pageSize), pageToken: token }, h.auth);
    if (page.content !== "") pages.push(page.content);
    if (page.nextPageToken === "" || page.content === "") return { pages, token: page.nextPageToken };
    token = page.nextPageToken;
  }
}

async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (e) {
    return ConnectError.from(e);
  }
  throw new Error("expected the call to fail");
}

describe("ListLog", () => {
  it("pages a finished job's log by bytes, ending every page on a UTF-8 character boundary", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "100000", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const whole = await readAvailable(jobId, 1024 * 1024);
    expect(whole.pages).toHaveLength(1);
    expect(whole.token).toBe("");
    const full = Buffer.from(whole.pages[0]!, "utf8");
    expect(full.length).toBeGreaterThan(100_000 - 4);
    expect(full.length).toBeLessThanOrEqual(100_000);
    expect(whole.pages[0]).toMatch(/→/);
    expect(whole.pages[0]).toMatch(/é/);
    expect(whole.pages[0]).toMatch(/🚀/);

    for (const pageSize of [4096, 4099]) {
      const { pages, token } = await readAvailable(jobId, pageSize);
      expect(token).toBe("");
      expect(pages.length).toBeGreaterThanOrEqual(25);
      for (const page of pages) {
        expect(Buffer.byteLength(page, "utf8")).toBeLessThanOrEqual(pageSize);
        expect(page).not.toContain("\uFFFD");
      }
      expect(Buffer.concat(pages.map((p) => Buffer.from(p, "utf8"))).equals(full)).toBe(true);
    }
  });

  it("never splits a character with odd page sizes", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "800", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const full = (await readAvailable(jobId, 1 << 20)).pages.join("");
    // 4-, 3- and 2-byte characters are all in range
    for (const char of ["🚀", "→", "é"]) expect(full).toContain(char);
    for (const pageSize of [4, 7, 13]) {
      const { pages } = await readAvailable(jobId, pageSize);
      for (const page of pages) {
        expect(Buffer.byteLength(page)).toBeLessThanOrEqual(pageSize);
        expect(page).not.toContain("\uFFFD");
      }
      expect(pages.join("")).toBe(full);
    }
  });

  it("refuses a page_size too small for the next character", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "3000", "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    let token = "";
    let err: ConnectError | undefined;
    for (let i = 0; i < 3000 && err === undefined; i++) {
      try {
        const page = await h.dataproc.listLog({ clusterId: h.cluster, jobId, pageSize: 1n, pageToken: token }, h.auth);
        token = page.nextPageToken;
      } catch (e) {
        err = ConnectError.from(e);
      }
    }
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toContain("page_size");
  });

  it("grows while the job runs; a follower gets every byte once and an empty page with the same token when caught up", async () => {
    const jobId = await createJob({ "emulator.log_bytes": "20000", "emulator.duration_ms": "10000" });
    // provisioning: nothing yet, but a token to poll with
    let step = await readAvailable(jobId, 1000);
    expect(step.pages).toEqual([]);
    expect(step.token).not.toBe("");
    const received: string[] = [];
    let token = step.token;

    h.clock.advance(500 + 2500); // 25 % of the run
    step = await readAvailable(jobId, 1000, token);
    received.push(...step.pages);
    const quarter = Buffer.byteLength(received.join(""));
    expect(quarter).toBeGreaterThan(4000);
    expect(quarter).toBeLessThanOrEqual(5000);
    expect(received.join("").endsWith("\n")).toBe(true); // whole lines while running
    token = step.token;

    // caught up: empty content, same position
    const again = await h.dataproc.listLog({ clusterId: h.cluster, jobId, pageSize: 1000n, pageToken: token }, h.auth);
    expect(again.content).toBe("");
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

    const full = (await readAvailable(jobId, 1 << 20)).pages.join("");
    expect(received.join("")).toBe(full);
    expect(Buffer.byteLength(full)).toBeGreaterThan(20_000 - 4);
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
    const size = Buffer.byteLength(partial.pages.join(""));
    expect(size).toBeGreaterThan(9000);
    expect(size).toBeLessThanOrEqual(10_000);
  });

  it("defaults page_size to 1 MiB, which is also the maximum", async () => {
    const jobId = await createJob({ "emulator.log_bytes": String(1.5 * 1024 * 1024), "emulator.duration_ms": "0" });
    h.clock.advance(1000);
    const first = await h.dataproc.listLog({ clusterId: h.cluster, jobId }, h.auth);
    const n = Buffer.byteLength(first.content);
    expect(n).toBeLessThanOrEqual(1024 * 1024);
    expect(n).toBeGreaterThan(1024 * 1024 - 4);
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
    expect(Buffer.byteLength(page.content)).toBeGreaterThan(496);
    expect(page.nextPageToken).toBe("");
  });
});

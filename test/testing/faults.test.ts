import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { CreateJobMetadataSchema } from "../../src/yandex/dataproc/v1/index.js";
import { startHarness, sparkJobRequest, rejection } from "../support/emulator-helpers.js";
import type { Harness } from "../support/emulator-helpers.js";

let h: Harness;
let jobId: string;
beforeAll(async () => {
  h = await startHarness();
  const op = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
  jobId = anyUnpack(op.metadata!, CreateJobMetadataSchema)!.jobId;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.emulator.faults.clear();
  h.emulator.clearCalls();
});

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return Code[ConnectError.from(e).code]!;
  }
}

const get = () => h.dataproc.get({ clusterId: h.cluster, jobId }, h.auth);
const jobCount = async () => (await h.dataproc.list({ clusterId: h.cluster, pageSize: 1000n }, h.auth)).jobs.length;

describe("scripted faults", () => {
  it("fails the next n matching calls with a code; other methods are untouched", async () => {
    h.emulator.faults.failNext(2, "UNAVAILABLE", { methods: ["JobService/Get"] });
    await h.dataproc.list({ clusterId: h.cluster }, h.auth);
    const first = await rejection(get());
    expect(first.code).toBe(Code.Unavailable);
    expect(first.rawMessage).toBe("emulated fault: UNAVAILABLE");
    expect(first.findDetails(RequestInfoSchema)[0]?.requestId).toBe(first.metadata.get("x-request-id"));
    expect(await outcome(get())).toBe("Unavailable");
    expect(await outcome(get())).toBe("ok");
    const gets = h.emulator.callsTo("dataproc.v1.JobService/Get");
    expect(gets.map((c) => [c.outcome, c.fault])).toEqual([
      ["UNAVAILABLE", "UNAVAILABLE"],
      ["UNAVAILABLE", "UNAVAILABLE"],
      ["ok", undefined],
    ]);
    expect(h.emulator.callsTo("JobService/List")[0]?.outcome).toBe("ok");
  });

  it("plays a sequence of steps in order", async () => {
    h.emulator.faults.script(["ok", "RESOURCE_EXHAUSTED", "INTERNAL", "ok"]);
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push(await outcome(get()));
    expect(seen).toEqual(["ok", "ResourceExhausted", "Internal", "ok", "ok"]);
  });

  it("decides before the handler runs: a faulted Create creates no job, even with a valid request", async () => {
    const before = await jobCount();
    h.emulator.faults.failNext(1, "INTERNAL", { methods: ["JobService/Create"] });
    expect(await outcome(h.dataproc.create(sparkJobRequest(h.cluster), h.auth))).toBe("Internal");
    expect(await jobCount()).toBe(before);
  });

  it("applies before authentication (a faulted call is not even authenticated)", async () => {
    h.emulator.faults.failNext(1, "UNAVAILABLE");
    expect(await outcome(h.dataproc.get({ clusterId: h.cluster, jobId }))).toBe("Unavailable");
    expect(await outcome(h.dataproc.get({ clusterId: h.cluster, jobId }))).toBe("Unauthenticated");
  });
});

describe("random faults", () => {
  it("are deterministic for a seed and hit about the configured fraction", async () => {
    const run = async (seed: number): Promise<string[]> => {
      h.emulator.faults.set({ seed, rate: 0.3, codes: ["UNAVAILABLE", "RESOURCE_EXHAUSTED"], methods: ["JobService/Get"] });
      const out: string[] = [];
      for (let i = 0; i < 60; i++) out.push(await outcome(get()));
      return out;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const failed = a.filter((o) => o !== "ok");
    expect(failed.length).toBeGreaterThan(8);
    expect(failed.length).toBeLessThan(30);
    expect(new Set(failed)).toEqual(new Set(["Unavailable", "ResourceExhausted"]));
  });

  it("can be configured at start and validates rates", async () => {
    expect(() => h.emulator.faults.set({ rate: 0.8, resetStream: 0.3 })).toThrow(RangeError);
    expect(() => h.emulator.faults.set({ rate: 1.5 })).toThrow(RangeError);
    const local = await startHarness({ faults: { rate: 1, codes: ["INTERNAL"], methods: ["OperationService/Get"] } });
    try {
      expect(await outcome(local.operations.get({ operationId: "x" }, local.auth))).toBe("Internal");
      expect(local.emulator.faults.config.rate).toBe(1);
    } finally {
      await local.close();
    }
  });

  it("are off after clear()", async () => {
    h.emulator.faults.set({ rate: 1 });
    h.emulator.faults.failNext(3);
    h.emulator.faults.clear();
    expect(await outcome(get())).toBe("ok");
  });
});

describe("HTTP/2 resets", () => {
  it("resets the stream mid-call; the session survives and the call has no side effect", async () => {
    const before = await jobCount();
    h.emulator.faults.script(["reset-stream"], { methods: ["JobService/Create"] });
    const err = await rejection(h.dataproc.create(sparkJobRequest(h.cluster), h.auth));
    expect(err.code).toBe(Code.Internal); // RST_STREAM(INTERNAL_ERROR)
    expect(await jobCount()).toBe(before);
    expect(h.emulator.callsTo("JobService/Create").map((c) => [c.outcome, c.fault])).toEqual([["RESET", "reset-stream"]]);
    expect(await outcome(get())).toBe("ok");
  });

  it("tears the connection down mid-call; the client reconnects for the next call", async () => {
    h.emulator.faults.script(["reset-connection"], { methods: ["JobService/Get"] });
    const err = await rejection(get());
    expect([Code.Unavailable, Code.Internal, Code.Canceled, Code.Aborted]).toContain(err.code);
    expect(h.emulator.callsTo("JobService/Get").at(-1)?.outcome).toBe("RESET");
    expect(await outcome(get())).toBe("ok");
  });

  it("reset-after-handling runs the handler: the job exists, and a retry with the same Idempotency-Key gets the same operation", async () => {
    const before = await jobCount();
    const opts = { headers: { ...h.auth.headers, "idempotency-key": "f1d2c3b4-a5e6-4f70-8a9b-0c1d2e3f4a5b" } };
    h.emulator.faults.script(["reset-after-handling"], { methods: ["JobService/Create"] });
    await rejection(h.dataproc.create(sparkJobRequest(h.cluster), opts));
    expect(await jobCount()).toBe(before + 1);
    const retried = await h.dataproc.create(sparkJobRequest(h.cluster), opts);
    expect(await jobCount()).toBe(before + 1);
    const creates = h.emulator.callsTo("JobService/Create");
    expect(creates.map((c) => c.outcome)).toEqual(["RESET", "ok"]);
    expect(creates[0]!.fault).toBe("reset-after-handling");
    expect(retried.done).toBe(false);
  });
});

describe("latency and NOT_FOUND polls", () => {
  it("adds real-time latency that a client deadline can hit", async () => {
    // A held call never answers: only the client's deadline ends it.
    const hold = h.emulator.faults.hold({ methods: ["JobService/Get"] });
    const err = await rejection(h.dataproc.get({ clusterId: h.cluster, jobId }, { ...h.auth, timeoutMs: 20 }));
    expect(err.code).toBe(Code.DeadlineExceeded);
    hold.release();
    h.emulator.faults.set({ latencyMs: 25, methods: ["JobService/Get"] });
    const t0 = performance.now();
    await get();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
    expect(h.emulator.callsTo("JobService/Get").map((c) => c.fault)).toContain("latency 25ms");
  });

  it("answers NOT_FOUND for the first k polls of each operation", async () => {
    h.emulator.faults.set({ notFoundPolls: 2 });
    const a = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const b = await h.dataproc.create(sparkJobRequest(h.cluster), h.auth);
    const poll = (id: string) => outcome(h.operations.get({ operationId: id }, h.auth));
    expect([await poll(a.id), await poll(a.id), await poll(a.id)]).toEqual(["NotFound", "NotFound", "ok"]);
    expect([await poll(b.id), await poll(b.id), await poll(b.id)]).toEqual(["NotFound", "NotFound", "ok"]);
    expect(h.emulator.callsTo("OperationService/Get").map((c) => c.fault)).toEqual([
      "not-found-poll", "not-found-poll", undefined, "not-found-poll", "not-found-poll", undefined,
    ]);
  });
});

describe("waiting on the emulator instead of on time", () => {
  it("a hold keeps calls in the server until released; waitForCalls and callsSince see them once logged", async () => {
    const mark = h.emulator.mark();
    const hold = h.emulator.faults.hold({ methods: ["JobService/Get"] });
    const logged = h.emulator.waitForCalls("JobService/Get", 2, { since: mark });
    const calls = [get(), get()];
    await hold.arrived;
    while (hold.held < 2) await new Promise((resolve) => setImmediate(resolve)); // the second is on its way
    expect(h.emulator.callsInFlight).toBe(2);
    expect(h.emulator.callsSince(mark)).toEqual([]); // nothing answered yet
    hold.release();
    await Promise.all(calls);
    const entries = await logged;
    expect(entries.map((c) => [c.outcome, c.fault])).toEqual([["ok", "held"], ["ok", "held"]]);
    await h.emulator.whenIdle();
    expect(h.emulator.callsInFlight).toBe(0);
    // Released holds hold nothing more; other methods were never held.
    await get();
    expect(h.emulator.callsSince(mark, "JobService/Get").at(-1)?.fault).toBeUndefined();
  });

  it("a held call the client cancels ends at once and is logged once, as CANCELLED", async () => {
    const hold = h.emulator.faults.hold({ methods: ["JobService/Get"] });
    const controller = new AbortController();
    const pending = rejection(h.dataproc.get({ clusterId: h.cluster, jobId }, { ...h.auth, signal: controller.signal }));
    await hold.arrived;
    controller.abort();
    expect((await pending).code).toBe(Code.Canceled);
    const [entry, ...more] = await h.emulator.waitForCalls("JobService/Get", 1);
    expect(entry?.outcome).toBe("CANCELLED");
    await h.emulator.whenIdle();
    expect(more).toEqual([]);
    expect(h.emulator.callsTo("JobService/Get")).toHaveLength(1);
    hold.release();
  });
});

describe("call log", () => {
  it("records method, emulator time, redacted headers, idempotency key, request id and outcome", async () => {
    let requestId: string | null = null;
    h.clock.advance(1234);
    await h.dataproc.create(sparkJobRequest(h.cluster), {
      headers: { ...h.auth.headers, "idempotency-key": "0f0e0d0c-0b0a-4908-8706-050403020100", "x-client-request-id": "client-1" },
      onHeader: (hd) => (requestId = hd.get("x-request-id")),
    });
    const [entry] = h.emulator.calls;
    expect(entry).toMatchObject({
      method: "/yandex.cloud.dataproc.v1.JobService/Create",
      time: h.clock.now(),
      idempotencyKey: "0f0e0d0c-0b0a-4908-8706-050403020100",
      requestId,
      outcome: "ok",
    });
    expect(entry!.headers["authorization"]).toBe("Bearer [REDACTED]");
    expect(entry!.headers["x-client-request-id"]).toBe("client-1");
    expect(entry!.headers["content-type"]).toBe("application/grpc+proto");
    expect(Object.isFrozen(entry)).toBe(true);
    h.emulator.clearCalls();
    expect(h.emulator.calls).toEqual([]);
  });
});

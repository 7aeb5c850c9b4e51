// The unary benchmark's summary and table rows (bench/unary.mjs), on made-up
// windows: per-round ratios, their median and range, and the ≥ 0.97 target.
import { describe, expect, it } from "vitest";
import { mergeWindows, rows, spread, summarize } from "../../bench/unary.mjs";
import type { UnaryWindow } from "../../bench/unary.mjs";

const win = (callsPerSec: number, clientCpuUsPerCall: number): UnaryWindow => ({
  calls: callsPerSec,
  callsPerSec,
  p50: 1,
  p99: 2,
  clientCpuUsPerCall,
  clientCpuShare: 0.5,
  emulatorCpuUsPerCall: 100,
  emulatorCpuShare: 0.4,
});

describe("bench/unary.mjs", () => {
  it("spread: median, min and max", () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it("ratios are per round (ours ÷ raw of the same round), not of the medians", () => {
    const result = summarize(
      {
        1: {
          ours: [win(980, 110), win(500, 220), win(1200, 100)],
          raw: [win(1000, 100), win(520, 200), win(1000, 100)],
          sdk: [win(900, 50), win(450, 100), win(1100, 50)],
        },
      },
      { rounds: 3 },
    );
    const c1 = result.concurrency["1"]!;
    expect(c1.ratios.callsPerSec.oursVsRaw!.min).toBeCloseTo(500 / 520, 9);
    expect(c1.ratios.callsPerSec.oursVsRaw!.median).toBeCloseTo(0.98, 9);
    expect(c1.ratios.callsPerSec.oursVsRaw!.max).toBeCloseTo(1.2, 9);
    expect(c1.ratios.clientCpuUsPerCall.oursVsRaw).toEqual({ median: 1.1, min: 1, max: 1.1 });
    expect(c1.ratio.oursVsRaw).toBeCloseTo(0.98, 9);
    // No raw2 contender: no noise-floor ratio.
    expect(c1.ratios.callsPerSec.rawVsRaw2).toBeUndefined();
  });

  it("several processes per contender: a round's figure is the median over them, and each process's medians are kept", () => {
    const round = (a: number, b: number, c: number) => mergeWindows([win(a, 1000 / a), win(b, 1000 / b), win(c, 1000 / c)]);
    const merged = round(900, 600, 1000);
    expect(merged).toMatchObject({ calls: 2500, callsPerSec: 900, p50: 1, emulatorCpuShare: 0.4 });
    expect(merged.clientCpuUsPerCall).toBeCloseTo(1000 / 900, 9);
    expect(merged.perProcess!.map((p) => p.callsPerSec)).toEqual([900, 600, 1000]);
    // One process: its window as it is (no per-process list).
    const single = win(700, 10);
    expect(mergeWindows([single])).toBe(single);

    const result = summarize({ 1: { ours: [round(900, 600, 1000), round(800, 500, 1100), round(1000, 700, 900)], raw: [round(1000, 1000, 1000), round(1000, 1000, 1000), round(1000, 1000, 1000)] } }, { rounds: 3 });
    const ours = result.concurrency["1"]!["ours"] as { byProcess: Array<{ callsPerSec: number }> };
    expect(ours.byProcess.map((p) => p.callsPerSec)).toEqual([900, 600, 1000]);
    // The per-round ratio is of the merged figures: round medians 900, 800, 900 over 1000.
    expect(result.concurrency["1"]!.ratios.callsPerSec.oursVsRaw).toEqual({ median: 0.9, min: 0.8, max: 0.9 });
  });

  it("rows: the calls/s row carries the range and meets the target only at a median ≥ 0.97", () => {
    const make = (ours: number) =>
      summarize({ 64: { ours: [win(ours, 100), win(ours, 100)], raw: [win(1000, 100), win(1000, 100)], raw2: [win(1000, 100), win(990, 100)] } }, { rounds: 2 });
    const met = rows(make(975)).find((r) => r.what.startsWith("Get, concurrency 64: calls/s"))!;
    expect(met).toMatchObject({ id: "3", ours: "975", raw: "1000", target: "≥ 0.97", met: true });
    expect(met.ratio).toBe("ours/raw 0.97 (0.97–0.97)");
    const missed = rows(make(960)).find((r) => r.what.startsWith("Get, concurrency 64: calls/s"))!;
    expect(missed.met).toBe(false);
    const floor = rows(make(975)).find((r) => r.what.includes("noise floor"))!;
    expect(floor.ratio).toBe("raw/raw2 1.01 (1.00–1.01)");
    expect(floor.met).toBeUndefined();
    // No wire contender: no attribution row.
    expect(rows(make(975)).find((r) => r.what.includes("ours/wire"))).toBeUndefined();
  });

  it("rows: with the wire contender, the gap is split into our code (ours/wire) and our features' bytes (wire/raw)", () => {
    const result = summarize(
      { 1: { ours: [win(940, 130), win(900, 140)], wire: [win(950, 125), win(950, 125)], raw: [win(1000, 100), win(1000, 100)] } },
      { rounds: 2 },
    );
    const split = rows(result).find((r) => r.what.includes("ours/wire"))!;
    expect(split).toMatchObject({ id: "3", raw: "950 (wire)", target: "info" });
    expect(split.ratio).toBe("ours/wire 0.97 (0.95–0.99), wire/raw 0.95 (0.95–0.95); CPU ours/wire 1.08 (1.04–1.12), wire/raw 1.25 (1.25–1.25)");
  });
});

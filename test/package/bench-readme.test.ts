/**
 * The benchmark tables of BENCHMARKS.md are generated from bench/results.json
 * by scripts/bench-readme.mjs, never typed by hand: the committed section
 * must be exactly the generator's output for the committed results, and the
 * README (a user's guide) links the page instead of carrying the tables.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { benchMarkdown, currentSection, defaultPaths, replaceSection, rowsTable } from "../../scripts/bench-readme.mjs";
import type { BenchResults } from "../../scripts/bench-readme.mjs";
import { rows as firstResultRows } from "../../bench/first-result.mjs";
import type { FormatResult, MajorResult } from "../../bench/first-result.mjs";

const results = async (): Promise<BenchResults> => JSON.parse(await readFile(defaultPaths.results, "utf8")) as BenchResults;

describe("BENCHMARKS.md benchmark tables", () => {
  it("are the generator's output for the committed bench/results.json (regenerate with node scripts/bench-readme.mjs)", async () => {
    expect(defaultPaths.readme).toMatch(/BENCHMARKS\.md$/);
    const page = await readFile(defaultPaths.readme, "utf8");
    expect(currentSection(page)).toBe(benchMarkdown(await results()));
  });

  it("are not in the README, which links BENCHMARKS.md instead", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).not.toContain("<!-- bench-table -->");
    expect(readme).toContain("](BENCHMARKS.md)");
  });

  it("has one table per Node major plus the shared rows, and tallies the targets", async () => {
    const data = await results();
    const text = benchMarkdown(data);
    for (const major of data.majors ?? []) expect(text).toContain(`**Node ${major.node}**`);
    const tables = (data.majors?.length ?? 0) + (data.shared?.rows.length ? 1 : 0) + (data.firstResult?.majors.length ?? 0);
    expect(text.match(/^\| # \| benchmark \|/gm)).toHaveLength(tables);
    const rows = [...(data.shared?.rows ?? []), ...(data.majors ?? []).flatMap((m) => m.rows), ...(data.firstResult?.majors ?? []).flatMap((m) => m.rows)];
    const judged = rows.filter((r) => r.met !== undefined);
    expect(text).toContain(`Targets met: ${judged.filter((r) => r.met).length} of ${judged.length}.`);
  });
});

describe("bench-readme generator", () => {
  const sample: BenchResults = {
    date: "2026-12-01T10:00:00.000Z",
    machine: { cpu: "Test CPU", cores: 2, platform: "linux x64", totalMemGiB: 8 },
    loadAverage: { start: [1, 0.5, 0.25] },
    totalSeconds: 61.4,
    shared: { node: "v20.20.2", rows: [{ id: "1", what: "install size; peer: SDK", ours: "4 MB", peer: "64 MB", ratio: "0.06", target: "≤ 0.10", met: true }] },
    majors: [
      { major: 20, node: "v20.20.2", profile: "full", settings: "import 20 rounds", rows: [{ id: "2", what: "import | ESM", ours: "100 ms", peer: "400 ms", ratio: "4.00×", target: "≥ 4×", met: true }] },
      { major: 24, node: "v24.22.3", profile: "reduced", settings: "import 12 rounds", rows: [{ id: "2", what: "import\nESM", ours: "150 ms", peer: "400 ms", ratio: "2.67×", target: "≥ 4×", met: false }] },
    ],
  };

  it("renders rows with escaped pipes, flattened line breaks and ✓/✗ after the target", () => {
    const text = benchMarkdown(sample);
    expect(text).toContain("| 2 | import \\| ESM | 100 ms |  | 400 ms | 4.00× | ≥ 4× ✓ |");
    expect(text).toContain("| 2 | import ESM | 150 ms |  | 400 ms | 2.67× | ≥ 4× ✗ |");
    expect(text).toContain("**Node v24.22.3** — reduced: import 12 rounds");
    expect(text).toContain("Targets met: 2 of 3.");
    expect(text).toContain("Measured on 2026-12-01: Test CPU × 2, linux x64, 8 GiB; load average 1.00 0.50 0.25 at start");
  });

  it("is pure: the same results give the same text, and a quick run says so", () => {
    expect(benchMarkdown(sample)).toBe(benchMarkdown(structuredClone(sample)));
    expect(benchMarkdown(sample)).not.toContain("Quick smoke run");
    expect(benchMarkdown({ ...sample, quick: true })).toContain("Quick smoke run");
  });

  it("replaces only the text between the markers, and refuses a page without them", () => {
    const readme = "# T\n\nbefore\n<!-- bench-table -->\nold table\n<!-- /bench-table -->\nafter\n";
    const next = replaceSection(readme, "NEW");
    expect(next).toBe("# T\n\nbefore\n<!-- bench-table -->\nNEW\n<!-- /bench-table -->\nafter\n");
    expect(currentSection(next)).toBe("NEW");
    expect(replaceSection(next, "NEW")).toBe(next);
    expect(() => replaceSection("# no markers\n", "x")).toThrow(/bench-table/);
  });

  it("writes an empty cell for an absent value", () => {
    expect(rowsTable([{ id: "5", what: "logs", ours: "20 MiB/s", target: "info" }]).split("\n")[2]).toBe("| 5 | logs | 20 MiB/s |  |  |  | info |");
  });

  it("renders bench/first-result.mjs's own run after the majors, with its date, load and one table per major, and tallies its targets", () => {
    const firstResult: NonNullable<BenchResults["firstResult"]> = {
      date: "2026-12-07T23:00:00.000Z",
      loadAverage: { start: [3, 2, 1] },
      rounds: 9,
      peers: { ours: "0.1.0", sdk: "3.2.0", connect: "2.3.0", connectNode: "2.3.0", protobuf: "2.10.0", rolldown: "1.2.19" },
      majors: [{ major: 24, node: "v24.22.3", rows: [{ id: "2", what: "time to first result, ESM", ours: "60 ms", peer: "200 ms", ratio: "speedup 3.33×", target: "≥ 3×", met: true }] }],
    };
    const text = benchMarkdown({ ...sample, firstResult });
    expect(text).toContain("**Time to first result** (`node bench/first-result.mjs`, 2026-12-07, load average 3.00 2.00 1.00 at start; 9 rounds, ours 0.1.0");
    expect(text).toContain("Connect 2.3.0, connect-node 2.3.0, protobuf-es 2.10.0; bundles by rolldown 1.2.19)");
    expect(text.indexOf("*Node v24.22.3*\n")).toBeGreaterThan(text.indexOf("**Time to first result**"));
    expect(text).toContain("| 2 | time to first result, ESM | 60 ms |  | 200 ms | speedup 3.33× | ≥ 3× ✓ |");
    expect(text).toContain("Targets met: 3 of 4.");
  });
});

describe("first-result rows", () => {
  const s = (median: number, min = median, max = median) => ({ median, min, max });
  const side = (net: number, imported: number) => ({ net: s(net, net - 5, net + 5), gross: s(net + 25), imported: s(imported), call: s(net - imported) });
  const format = (ours: number, sdk: number): FormatResult => ({ ours: side(ours, ours / 2), sdk: side(sdk, sdk / 2), speedup: s(sdk / ours, 2.5, 4), importSpeedup: s(sdk / ours) });
  const major: MajorResult = {
    major: 20,
    node: "v20.20.2",
    bare: { esm: s(25), cjs: s(20) },
    installed: { esm: format(100, 250), cjs: format(80, 240) },
    bundled: { esm: format(50, 200), cjs: format(60, 150) },
  };
  const out = firstResultRows(major, { rounds: 9, peers: { sdk: "3.2.0" } });

  it("has a first-result row (target ≥ 3×, judged on the median ratio) and an import row (info) per way and format", () => {
    expect(out).toHaveLength(8);
    const judged = out.filter((r) => r.target === "≥ 3×");
    expect(judged.map((r) => r.met)).toEqual([false, true, true, false]);
    expect(out.filter((r) => r.target === "info")).toHaveLength(4);
    expect(judged[0]?.what).toContain("installed from npm, ESM, less Node's own start (25 ms), 9 alternated rounds; peer: official SDK 3.2.0");
    expect(judged[2]?.what).toContain("bundled with rolldown into one file, ESM");
  });

  it("shows net ms with its range, the import + call split, the gross time, and the ratio with its per-round range", () => {
    expect(out[0]).toMatchObject({
      ours: "100 ms (95–105): import 50 ms + call 50 ms; 125 ms since process start",
      peer: "250 ms (245–255): import 125 ms + call 125 ms; 275 ms since process start",
      ratio: "speedup 2.50× (2.50–4.00)",
    });
    expect(out[1]).toMatchObject({ ours: "50 ms (50–50)", peer: "125 ms (125–125)", ratio: "speedup 2.50× (2.50–2.50)" });
  });

  it("adds an instructions row (info) per way and format after each first-result row when valgrind counted them", () => {
    const count = (ours: number, sdk: number) => ({ ours, sdk, ratio: Number((sdk / ours).toFixed(2)) });
    const instructions = { bare: { esm: 80.4, cjs: 78 }, installed: { esm: count(800, 1100), cjs: count(700, 1000) }, bundled: { esm: count(480, 730), cjs: count(600, 900) } };
    const withCounts = firstResultRows({ ...major, instructions }, { rounds: 9, peers: { sdk: "3.2.0" } });
    expect(withCounts).toHaveLength(12);
    expect(withCounts[1]).toEqual({
      id: "2",
      what: "instructions to first result (valgrind, one process each, less a bare node's 80 M), installed from npm, ESM; peer: official SDK 3.2.0",
      ours: "800 M",
      peer: "1100 M",
      ratio: "1.38×",
      target: "info",
    });
    expect(withCounts[7]).toMatchObject({ ours: "480 M", peer: "730 M", ratio: "1.52×" });
    expect(withCounts.filter((r) => r.met !== undefined)).toHaveLength(4);
  });
});

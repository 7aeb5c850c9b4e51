/**
 * The README's benchmark table is generated from bench/results.json by
 * scripts/bench-readme.mjs, never typed by hand: the committed README section
 * must be exactly the generator's output for the committed results.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { benchMarkdown, currentSection, defaultPaths, replaceSection, rowsTable } from "../scripts/bench-readme.mjs";
import type { BenchResults } from "../scripts/bench-readme.mjs";

const results = async (): Promise<BenchResults> => JSON.parse(await readFile(defaultPaths.results, "utf8")) as BenchResults;

describe("README benchmark table", () => {
  it("is the generator's output for the committed bench/results.json (regenerate with node scripts/bench-readme.mjs)", async () => {
    const readme = await readFile(defaultPaths.readme, "utf8");
    expect(currentSection(readme)).toBe(benchMarkdown(await results()));
  });

  it("has one table per Node major plus the shared rows, and tallies the targets", async () => {
    const data = await results();
    const text = benchMarkdown(data);
    for (const major of data.majors ?? []) expect(text).toContain(`**Node ${major.node}**`);
    expect(text.match(/^\| # \| benchmark \|/gm)).toHaveLength((data.majors?.length ?? 0) + (data.shared?.rows.length ? 1 : 0));
    const rows = [...(data.shared?.rows ?? []), ...(data.majors ?? []).flatMap((m) => m.rows)];
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

  it("replaces only the text between the markers, and refuses a README without them", () => {
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
});

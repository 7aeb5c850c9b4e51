import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/demo/progress.js";
import { fitWidth } from "../../src/util/fit.js";
import { sourceEntry } from "../support/child-sources.js";

// `npm run demo` runs the built copy of src/demo/main.ts; here the source runs
// directly (types stripped, test/support/child-sources.ts) in --fast mode: durations ÷ 10.
describe("the demo", () => {
  it("signs in with a key, runs every kind, streams a log, cancels one job and prints the summary", async () => {
    const root = new URL("../..", import.meta.url).pathname;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [sourceEntry("src/demo/main.ts"), "--fast"],
        { cwd: root, encoding: "utf8", timeout: 80_000 },
        (_, out, err) => resolve({ code: child.exitCode, stdout: out, stderr: err }),
      );
    });
    expect(stderr).not.toMatch(/demo failed/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/service-account key \S+ for \S+ written to/);
    expect(stdout).toMatch(/│ .*INFO/); // log lines streamed
    expect(stdout).toMatch(/cancelling mapreduce \(cancelled\) job \S+ \(now RUNNING\)/);
    const rows = stdout.split("\n").filter((l) => /^c9q\S+\s{2}/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/).slice(1, 4))).toEqual([
      ["Data Proc", "spark", "DONE"],
      ["Data Proc", "pyspark", "DONE"],
      ["Data Proc", "hive", "DONE"],
      ["Data Proc", "mapreduce", "CANCELLED"],
      ["Managed Spark", "pyspark", "DONE"],
    ]);
    expect(stdout).toMatch(/1 IAM token exchange\(s\), \d+ status polls, every job finished\./);
    // Huawei MRS step: v2 kill and v1.1 cancel over one job state.
    expect(stdout).toMatch(/v2 final\s+KILLED\/KILLED/);
    expect(stdout).toMatch(/v1\.1 cancel\s+job \S+ \(created \d{4}-\d\d-\d\dT/);
    expect(stdout).toMatch(/v2 list\s+mrs-report=KILLED, mrs-pi=KILLED/);
    // AWS EMR Serverless step: one run to SUCCESS, one cancelled with a grace period.
    expect(stdout).toMatch(/aws final\s+00f\S+ SUCCESS/);
    expect(stdout).toMatch(/aws cancel\s+00f\S+ CANCELLED \(grace period 0 s\)/);
    // Not a TTY here: progress comes as plain lines on stderr, one per change.
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] spark /m);
    expect(stderr).not.toContain("\r");
  }, 90_000);
});

describe("the demo's progress line", () => {
  const tty = (columns: number | undefined) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY: true, ...(columns === undefined ? {} : { columns }), write: (text: string) => writes.push(text) } };
  };
  // The five jobs' statuses, as the demo renders them (~125 columns with the time).
  const statuses = "spark RUNNING · pyspark RUNNING · hive PENDING · mapreduce CANCELLING · managed-pyspark PROVISIONING";

  it("on an 80-column terminal every redraw fits in 79 columns, ending in an ellipsis", () => {
    const { writes, stream } = tty(80);
    const progress = new Progress(stream);
    for (let i = 0; i < 5; i++) progress.update(statuses);
    progress.done();
    expect(writes).toHaveLength(6);
    for (const write of writes.slice(0, 5)) {
      expect(write.startsWith("\r\x1b[K")).toBe(true);
      const shown = write.slice("\r\x1b[K".length);
      expect(Array.from(shown)).toHaveLength(79);
      expect(shown.endsWith("…")).toBe(true);
      expect(shown).toMatch(/^\s*\d+\.\ds {2}spark RUNNING/);
    }
    expect(writes[5]).toBe("\n");
  });

  it("follows a resized terminal, leaves short lines whole, and cuts nothing without a width", () => {
    const columns = { value: 30 };
    const writes: string[] = [];
    const progress = new Progress({ isTTY: true, get columns() { return columns.value; }, write: (text: string) => writes.push(text) });
    progress.update(statuses);
    columns.value = 200;
    progress.update(statuses);
    progress.update("spark DONE");
    expect(Array.from(writes[0]!.slice(4))).toHaveLength(29);
    expect(writes[1]!.endsWith(statuses)).toBe(true);
    expect(writes[2]!.endsWith("spark DONE")).toBe(true);
    const unknown = tty(undefined);
    new Progress(unknown.stream).update(statuses);
    expect(unknown.writes[0]!.endsWith(statuses)).toBe(true);
  });

  it("fitWidth counts characters, not UTF-16 units, and keeps at least one", () => {
    expect(fitWidth("job · 😀😀😀😀", 8)).toBe("job · …");
    expect(fitWidth("abc", 1)).toBe("…");
    expect(fitWidth("abc", 0)).toBe("abc");
  });
});

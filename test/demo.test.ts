import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

// `npm run demo` runs the built copy of src/demo/main.ts; here the source runs
// directly (types stripped on load) in --fast mode: durations ÷ 10.
describe("the demo", () => {
  it("signs in with a key, runs every kind, streams a log, cancels one job and prints the summary", async () => {
    const root = new URL("..", import.meta.url).pathname;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "./test/support/register-ts.mjs", "src/demo/main.ts", "--fast"],
        { cwd: root, encoding: "utf8", timeout: 30_000 },
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
    // Not a TTY here: progress comes as plain lines on stderr, one per change.
    expect(stderr).toMatch(/^\[\s*\d+\.\ds\] spark /m);
    expect(stderr).not.toContain("\r");
  }, 40_000);
});

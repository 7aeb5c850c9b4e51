// `--cloud aws` and `--cloud huawei` against an emulator of this file's own
// (real clock, short scripted durations), in-process through runCli.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    jobTiming: { provisioningMs: 20, pendingMs: 20, runningMs: 100, cancellingMs: 20 },
    aws: { runTiming: { submittedMs: 10, pendingMs: 10, scheduledMs: 10, runningMs: 100, cancellingMs: 20 } },
  });
});
afterAll(() => emulator.close());

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (t) => ((stdout += t), true) },
    stderr: { write: (t) => ((stderr += t), true) },
    env,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe("dataproc-connect --cloud aws", () => {
  const env = () => ({ AWS_ACCESS_KEY_ID: emulator.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.aws.secretAccessKey });
  const target = () => ["--cloud", "aws", "--endpoint", emulator.restUrl, "--region", emulator.aws.region, "--application-id", emulator.aws.applicationId];

  it("submits a Spark run and waits for SUCCESS, gets it, lists it, prints its dashboard", async () => {
    const run = await cli(["submit", "spark", ...target(), "--execution-role-arn", "arn:aws:iam::123456789012:role/emr", "--entry-point", "s3://b/main.py", "--arg", "--verbose", "--wait", "--poll-interval", "0.05", "--json"], env());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const final = JSON.parse(run.stdout.trim()) as { jobId: string; status: string; phase: string; job: { jobDriver: unknown } };
    expect([final.status, final.phase]).toEqual(["SUCCESS", "succeeded"]);
    expect(final.job.jobDriver).toEqual({ sparkSubmit: { entryPoint: "s3://b/main.py", entryPointArguments: ["--verbose"] } });
    const got = await cli(["get", final.jobId, ...target()], env());
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^status\s+SUCCESS\nphase\s+succeeded$/m);
    const listed = await cli(["list", ...target(), "--state", "SUCCESS", "--json"], env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(final.jobId);
    const dash = await cli(["dashboard", final.jobId, ...target()], env());
    expect(dash.stdout.trim()).toBe(`https://emr-serverless-dashboard.emulator.invalid/applications/${emulator.aws.applicationId}/jobruns/${final.jobId}`);
  });

  it("cancels a running run with a grace period and waits for CANCELLED", async () => {
    const started = await cli(["submit", "hive", ...target(), "--execution-role-arn", "arn:aws:iam::123456789012:role/emr", "--query", "SELECT 1", "--tag", "emulator.duration_ms=600000", "--json"], env());
    expect(started.code).toBe(0);
    const { jobId: jobRunId } = JSON.parse(started.stdout) as { jobId: string };
    const cancelled = await cli(["cancel", jobRunId, ...target(), "--shutdown-grace-period", "0", "--wait", "--poll-interval", "0.05"], env());
    // One status line per change seen; with no grace period the first one seen may already be CANCELLED.
    const seen = cancelled.stderr.split("\n").filter(Boolean);
    expect(seen.length).toBeGreaterThan(0);
    for (const line of seen) expect(line).toMatch(new RegExp(`^job run ${jobRunId} (SUBMITTED|PENDING|SCHEDULED|RUNNING|CANCELLING|CANCELLED) `));
    expect(cancelled.stdout).toMatch(new RegExp(`job run ${jobRunId} CANCELLED in`));
    expect(cancelled.code).toBe(0);
  });

  it("a service error exits 1 and, with --json, names the AWS error type and the request id", async () => {
    const missing = await cli(["get", "00fnosuchjobrun0000", ...target(), "--json"], env());
    expect(missing.code).toBe(1);
    const { error } = JSON.parse(missing.stderr) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ code: "NOT_FOUND", exitCode: 1, awsErrorType: "ResourceNotFoundException" });
    expect(error.method).toMatch(/GetJobRun$/);
    expect(error["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(`request-id ${String(error["x-amzn-requestid"])}`);
  });

  it("usage errors exit 2 before any call: logs, a bad --cloud, a missing flag", async () => {
    expect((await cli(["logs", "00fx", ...target()], env())).stderr).toMatch(/no log API.*dashboard/);
    const typo = await cli(["get", "x", "--cloud", "awz"], env());
    expect([typo.code, typo.stderr]).toEqual([2, 'error: --cloud must be one of yandex, aws, huawei (got "awz"; did you mean aws?)\n']);
    const missing = await cli(["submit", "spark", ...target(), "--entry-point", "s3://b/x.py"], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--execution-role-arn is required/);
    expect((await cli(["get", "--help", "--cloud", "aws"], {})).stdout).toMatch(/GetJobRun/);
  });
});

describe("dataproc-connect --cloud huawei", () => {
  const env = () => ({ HUAWEICLOUD_SDK_AK: emulator.huawei.accessKey, HUAWEICLOUD_SDK_SK: emulator.huawei.secretKey, HUAWEICLOUD_SDK_PROJECT_ID: emulator.huawei.projectId });
  const target = () => ["--cloud", "huawei", "--endpoint", emulator.restUrl, "--cluster", emulator.clusters[0]!];

  it("submits through v2 and waits, kills one (v2), cancels one through v1.1, lists them", async () => {
    const done = await cli(["submit", "spark-submit", ...target(), "--name", "pi", "--arg", "--class", "--arg", "Pi", "--wait", "--poll-interval", "0.05", "--json"], env());
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ status: "FINISHED/SUCCEEDED", phase: "succeeded", kind: "spark-submit", job: { job_type: "SparkSubmit" } });
    const long = ["--property", "emulator.duration_ms=600000"];
    const a = JSON.parse((await cli(["submit", "hive-sql", ...target(), "--name", "a", ...long, "--json"], env())).stdout) as { jobId: string };
    const killed = await cli(["cancel", a.jobId, ...target(), "--wait", "--poll-interval", "0.05"], env());
    expect([killed.code, killed.stdout]).toEqual([0, expect.stringMatching(/KILLED\/KILLED in/)]);
    const b = JSON.parse((await cli(["submit", "hive-sql", ...target(), "--name", "b", ...long, "--json"], env())).stdout) as { jobId: string };
    const v1 = await cli(["cancel", b.jobId, "--cloud", "huawei", "--endpoint", emulator.restUrl, "--v1", "--json"], env());
    expect(v1.code).toBe(0);
    expect(JSON.parse(v1.stdout)).toMatchObject({ jobId: b.jobId, jobExecution: { id: b.jobId } });
    const listed = await cli(["list", ...target(), "--state", "KILLED"], env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(a.jobId);
    const got = await cli(["get", done.stdout.match(/"jobId":"([^"]+)"/)![1]!, ...target()], env());
    expect(got.stdout).toMatch(/^status\s+FINISHED\/SUCCEEDED\nphase\s+succeeded$/m);
  });

  it("without keys the cloud is still built; the first call is refused before sending, naming the variables", async () => {
    const noProject = await cli(["list", ...target()], {});
    expect([noProject.code, noProject.stderr]).toEqual([2, "error: list: --project-id is required (or set HUAWEICLOUD_SDK_PROJECT_ID)\n"]);
    const mark = emulator.mark();
    const r = await cli(["list", ...target(), "--project-id", emulator.huawei.projectId], {});
    // As on AWS without keys: UNAUTHENTICATED, exit 1, in CLI words (no library option named).
    expect(r.stderr).toMatch(/^error: \[unauthenticated\] .*HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK not set/m);
    expect(r.stderr).not.toMatch(/pass |huaweiCredentials/);
    expect(r.code).toBe(1);
    expect(emulator.callsSince(mark)).toEqual([]);
  });
});

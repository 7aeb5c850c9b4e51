// The job commands are written once (src/cli/jobs/run-job-command.ts): every
// cloud goes through the same command table here, in-process through runCli,
// against one emulator with short scripted durations. Each cloud: submit
// --wait to both ends (exit 0 only for succeeded), Ctrl-C with the exact
// cancel hint and that command run (cancel --wait exits 0 for cancelled),
// cancelling an ended job, and --json objects with the same keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    jobTiming: { provisioningMs: 10, pendingMs: 10, runningMs: 60, cancellingMs: 10 },
    aws: { runTiming: { submittedMs: 10, pendingMs: 10, scheduledMs: 10, runningMs: 60, cancellingMs: 10 } },
  });
});
afterAll(() => emulator.close());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command line; `interruptOn` aborts it (as Ctrl-C does) once stdout contains that text. */
async function cli(argv: readonly string[], env: Record<string, string>, interruptOn?: string): Promise<Result> {
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: {
      write: (t) => {
        stdout += t;
        if (interruptOn !== undefined && stdout.includes(interruptOn)) controller.abort("SIGINT");
        return true;
      },
    },
    stderr: { write: (t) => ((stderr += t), true) },
    env,
    signal: controller.signal,
  });
  return { code, stdout, stderr };
}

/** What differs per cloud: how to reach the emulator and how to submit. The commands are the same. */
interface Face {
  readonly cloud: string;
  env(): Record<string, string>;
  target(): string[];
  /** `submit <kind> …` with the job's properties (AWS: tags) as KEY=VALUE. */
  submit(props: string[]): string[];
}

const faces: Face[] = [
  {
    cloud: "yandex",
    env: () => ({ YC_IAM_TOKEN: emulator.iamToken }),
    target: () => ["--endpoint", emulator.url, "--cluster", emulator.clusters[0]!],
    submit: (props) => ["submit", "spark", "--main-jar-file-uri", "s3a://b/app.jar", ...props.flatMap((p) => ["--property", p])],
  },
  {
    cloud: "aws",
    env: () => ({ AWS_ACCESS_KEY_ID: emulator.aws.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.aws.secretAccessKey }),
    target: () => ["--cloud", "aws", "--endpoint", emulator.restUrl, "--region", emulator.aws.region, "--application-id", emulator.aws.applicationId],
    submit: (props) => ["submit", "spark", "--execution-role-arn", "arn:aws:iam::123456789012:role/emr", "--entry-point", "s3://b/m.py", ...props.flatMap((p) => ["--tag", p])],
  },
  {
    cloud: "huawei",
    env: () => ({ HUAWEICLOUD_SDK_AK: emulator.huawei.accessKey, HUAWEICLOUD_SDK_SK: emulator.huawei.secretKey, HUAWEICLOUD_SDK_PROJECT_ID: emulator.huawei.projectId }),
    target: () => ["--cloud", "huawei", "--endpoint", emulator.restUrl, "--cluster", emulator.clusters[0]!],
    submit: (props) => ["submit", "spark-submit", "--name", "pi", ...props.flatMap((p) => ["--property", p])],
  },
];

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const commonKeys = ["cloud", "createdAt", "finishedAt", "jobId", "job", "kind", "name", "phase", "ref", "startedAt", "status"].sort();
const keysOf = (json: string): string[] => Object.keys(JSON.parse(json) as object).sort();

describe.each(faces)("the job commands on $cloud", (face) => {
  const run = (argv: string[], interruptOn?: string) => cli([...argv, ...face.target(), "--poll-interval", "0.02"], face.env(), interruptOn);

  it("submit --wait exits 0 only for succeeded; emulator.outcome=failed and =error both fail it; an ended job's cancel is refused the same way", async () => {
    // Both spellings of a failure, on every face (src/testing/outcome.ts).
    const [ok, failed, error] = await Promise.all([
      run([...face.submit([]), "--wait", "--json"]),
      run([...face.submit(["emulator.outcome=failed"]), "--wait", "--json"]),
      run([...face.submit(["emulator.outcome=error"]), "--wait", "--json"]),
    ]);
    expect([ok.code, ok.stderr]).toEqual([0, ""]);
    const done = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(done).toMatchObject({ cloud: face.cloud, phase: "succeeded", ref: { cloud: face.cloud } });
    for (const time of ["createdAt", "startedAt", "finishedAt"]) expect(done[time]).toMatch(rfc3339);
    expect(keysOf(ok.stdout)).toEqual(expect.arrayContaining([...commonKeys, "elapsedMs"]));
    for (const r of [failed, error]) {
      expect(r.code, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ cloud: face.cloud, phase: "failed" });
    }

    const jobId = done.jobId as string;
    const [refused, refusedJson] = await Promise.all([run(["cancel", jobId]), run(["cancel", jobId, "--json"])]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${face.cloud === "aws" ? "job run" : "job"} ${jobId} is already ${done.status as string} (succeeded): nothing to cancel\n`);
    expect(JSON.parse(refusedJson.stderr)).toEqual({
      error: { code: "FAILED_PRECONDITION", exitCode: 1, message: expect.any(String), jobId, status: done.status, phase: "succeeded" },
    });
  });

  it("Ctrl-C while waiting exits 130 with the exact cancel command; that command with --wait exits 0 once cancelled", async () => {
    const interrupted = await run([...face.submit(["emulator.duration_ms=600000"]), "--wait"], "submitted");
    expect(interrupted.code).toBe(130);
    const hint = /\(to cancel it: (dataproc-connect cancel .+)\)\n$/.exec(interrupted.stderr)?.[1];
    expect(hint, interrupted.stderr).toBeDefined();
    const cancelled = await cli([...hint!.split(" ").slice(1), "--wait", "--poll-interval", "0.02", "--json"], face.env());
    expect([cancelled.code, cancelled.stderr]).toEqual([0, ""]);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ cloud: face.cloud, phase: "cancelled" });
  });
});

describe("the same --json keys on every cloud", () => {
  it("get and list print objects with identical keys; list rows and get cards show the phase", async () => {
    const shapes = await Promise.all(
      faces.map(async (face) => {
        const env = face.env();
        const submitted = await cli([...face.submit([]), ...face.target(), "--json"], env);
        const { jobId } = JSON.parse(submitted.stdout) as { jobId: string };
        expect(keysOf(submitted.stdout), face.cloud).toEqual(expect.arrayContaining(["cloud", "jobId", "ref"]));
        const [got, listed, card] = await Promise.all([
          cli(["get", jobId, ...face.target(), "--json"], env),
          cli(["list", ...face.target(), "--json", "--limit", "1"], env),
          cli(["get", jobId, ...face.target()], env),
        ]);
        expect(card.stdout, face.cloud).toMatch(/^phase {11}(pending|running|succeeded)$/m);
        return { cloud: face.cloud, get: keysOf(got.stdout), list: keysOf(listed.stdout.split("\n")[0]!) };
      }),
    );
    for (const shape of shapes) expect(shape, shape.cloud).toEqual({ cloud: shape.cloud, get: commonKeys, list: commonKeys });
  });
});

describe("help per cloud", () => {
  it("--cloud aws --help, --help --cloud huawei and submit --help --cloud aws print that cloud's help; -h, --help once; banners name every cloud", async () => {
    const [aws, huawei, submit, root, getAws, none] = await Promise.all([
      cli(["--cloud", "aws", "--help"], {}),
      cli(["--help", "--cloud", "huawei"], {}),
      cli(["submit", "--help", "--cloud", "aws"], {}),
      cli(["--help"], {}),
      cli(["get", "-h", "--cloud", "aws"], {}),
      cli(["--cloud", "aws"], {}),
    ]);
    for (const r of [aws, huawei, submit, root, getAws]) expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(aws.stdout).toMatch(/^dataproc-connect --cloud aws — .*Amazon EMR Serverless.*--cloud yandex, --cloud huawei/);
    expect(aws.stdout).toMatch(/^ {2}--application-id ID/m);
    expect(huawei.stdout).toMatch(/^dataproc-connect --cloud huawei — .*Huawei Cloud MRS.*--cloud yandex, --cloud aws/);
    expect(submit.stdout).toMatch(/^Usage: dataproc-connect submit <kind> --cloud aws/);
    expect(submit.stdout).toMatch(/^ {2}spark +start a Spark job run/m);
    expect(submit.stdout).toMatch(/^ {2}hive +start a Hive job run/m);
    expect(root.stdout.split("\n")[0]).toMatch(/Yandex.*EMR Serverless.*Huawei/);
    for (const r of [aws, huawei, root, getAws]) expect(r.stdout.match(/-h, --help/g), r.stdout).toHaveLength(1);
    expect([none.code, none.stderr]).toEqual([2, 'error: no command given (see "dataproc-connect --cloud aws --help")\n']);
  });

  it("errors name CLI flags, not library options", async () => {
    const noRegion = await cli(["list", "--cloud", "aws", "--application-id", "a", "--endpoint", emulator.restUrl], {});
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toMatch(/give --region/);
    expect(noRegion.stderr).not.toMatch(/pass \{/);
  });
});

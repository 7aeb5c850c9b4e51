// The `dataproc-connect` job commands against the emulator. Exit codes 0, 2
// and 130, stdio and signals are checked on real child processes (the TypeScript
// sources with their types stripped, test/support/child-sources.ts); the many
// variants of output, help and usage errors run in-process through runCli,
// which is the same code minus the process wiring, to keep the file fast.
//
// The tests run concurrently against one emulator, so each owns a cluster of
// its own (`own()`): what one test submits never shows in another's lists.
// Tests that must see no call at all get an emulator of their own.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { commands } from "../../src/cli/catalog.js";
import { version } from "../../src/cli/version.js";
import { createYandexCloud, iamToken, jobKind, jobLogs, submitJob, dataprocJobs } from "../../src/index.js";
import type { YandexCloud } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { JobService as SparkJobService } from "../../src/yandex/spark/v1/index.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";
import { sourceEntry } from "../support/child-sources.js";

const root = join(import.meta.dirname, "../..");
const jobTiming = { provisioningMs: 50, pendingMs: 50, runningMs: 300, cancellingMs: 100, logBytes: 6000 };
/** One cluster per test (more than the tests, so a new test never shares one). */
const clusters = Array.from({ length: 16 }, (_, i) => `c9qclitest${String(i).padStart(10, "0")}`);
/** Serves the job commands. */
let emulator: Emulator;
/** The test's own client, to read reference logs and prepare jobs. */
let cloud: YandexCloud;
let nextCluster = 0;

beforeAll(async () => {
  emulator = await startEmulator({ jobTiming, clusters });
  cloud = createYandexCloud({ credentials: iamToken(emulator.iamToken), endpoint: emulator.url });
});
afterAll(async () => {
  cloud.close();
  await emulator.close();
});

/** A cluster no other test uses, and the CLI flags that target it. */
function own(): { cluster: string; target: string[] } {
  const cluster = clusters[nextCluster++];
  if (cluster === undefined) throw new Error("cli.test.ts: add clusters, every test needs its own");
  return { cluster, target: ["--endpoint", emulator.url, "--cluster", cluster] };
}

/** An emulator of the test's own that must see no call at all. */
async function silentEmulator(): Promise<Emulator> {
  return startEmulator({ jobTiming });
}

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI as a child process with only YC_IAM_TOKEN set. `onStdout`
 * sees the output so far and may signal the child.
 */
function cli(args: readonly string[], onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Result> {
  const child = spawn(process.execPath, [sourceEntry("src/cli/main.ts"), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", YC_IAM_TOKEN: emulator.iamToken },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    onStdout?.(stdout, (signal) => child.kill(signal));
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** Runs the CLI in-process; `tty` makes stderr (and stdout) look like a terminal. */
async function inProcess(args: readonly string[], options: { tty?: boolean } = {}): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const isTTY = options.tty === true;
  const code = await runCli(args, {
    stdout: { write: (text) => ((stdout += text), true), isTTY },
    stderr: { write: (text) => ((stderr += text), true), isTTY },
    env: { YC_IAM_TOKEN: emulator.iamToken },
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** The whole log of a job, read with the library. */
async function fullLog(clusterId: string, jobId: string): Promise<string> {
  let text = "";
  for await (const chunk of jobLogs(cloud, JobService, { clusterId, jobId })) text += chunk;
  return text;
}

/** Submits a job with the library and waits for it. */
async function finishedJob(clusterId: string, name: string): Promise<string> {
  const job = await submitJob(cloud, JobService, {
    clusterId,
    name,
    jobSpec: dataprocJobs.pyspark({ mainPythonFileUri: "s3a://bucket/main.py" }),
  });
  await job.wait({ initialDelayMs: 50 });
  return job.jobId;
}

/**
 * Hang guard for the tests that spawn CLI processes: each child loads the
 * sources' modules one file each, which takes seconds on a loaded 2-core machine.
 * Not a speed bound: the tests wait on the children's exit.
 */
const childTimeout = 90_000;

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");

/** Without a terminal: one `job <id> <STATUS> <elapsed>` line per status change, the last one `final`. */
function expectStatusLines(stderr: string, jobId: string, final: string): void {
  const statusLines = lines(stderr);
  expect(statusLines.length, stderr).toBeGreaterThan(0);
  for (const line of statusLines) {
    expect(line).toMatch(new RegExp(`^job ${jobId} (PROVISIONING|PENDING|RUNNING|CANCELLING|DONE|ERROR|CANCELLED) \\d+\\.\\ds$`));
  }
  expect(statusLines.at(-1)).toMatch(new RegExp(`^job ${jobId} ${final} `));
  const statuses = statusLines.map((line) => line.split(" ")[2]);
  expect(new Set(statuses).size, "each status once").toBe(statuses.length);
}

/**
 * Exit 2, exactly one `error: …` line on stderr, nothing on stdout. With
 * `json`, that line is `{"error":{"code":"USAGE"|"INVALID_ARGUMENT","exitCode":2,"message":…}}`.
 */
function expectUsageError(result: Result, reason: RegExp, json = false): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  if (!json) {
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).toMatch(reason);
    return;
  }
  expect(result.stderr).toMatch(/^\{[^\n]+\}\n$/);
  const { error } = JSON.parse(result.stderr) as { error: { code: string; exitCode: number; message: string } };
  expect(error.code).toMatch(/^(USAGE|INVALID_ARGUMENT)$/);
  expect(error.exitCode).toBe(2);
  expect(error.message).toMatch(reason);
}

describe.concurrent("dataproc-connect", () => {
  it("drives submit --wait → logs → cancel --wait against the emulator", async () => {
    const { cluster, target } = own();
    const [submitted, running] = await Promise.all([
      cli([
        "submit", "spark", ...target,
        "--main-jar-file-uri", "s3a://bucket/app.jar", "--name", "wordcount", "--arg", "--verbose", "--arg", "in", "--wait",
      ]),
      cli(["submit", "spark", ...target, "--main-jar-file-uri", "s3a://bucket/app.jar", "--property", "emulator.duration_ms=60000"]),
    ]);
    expect(submitted.code, submitted.stderr).toBe(0);
    const [first, last, ...more] = lines(submitted.stdout);
    const jobId = /^job (c9q\w+) submitted$/.exec(first ?? "")?.[1];
    expect(jobId, submitted.stdout).toBeDefined();
    // stderr is not a terminal: no progress line, one plain line per status change.
    expectStatusLines(submitted.stderr, jobId!, "DONE");
    expect(last).toMatch(new RegExp(`^job ${jobId} DONE in \\d+\\.\\ds$`));
    expect(more).toEqual([]);
    // Without --wait: the id at once, and the job still runs.
    expect(running.code, running.stderr).toBe(0);
    expect(running.stderr).toBe("");
    const runningId = /^job (c9q\w+) submitted\n$/.exec(running.stdout)?.[1];
    expect(runningId, running.stdout).toBeDefined();

    const [logs, cancelled] = await Promise.all([
      cli(["logs", jobId!, ...target]),
      cli(["cancel", runningId!, ...target, "--wait"]),
    ]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stderr).toBe("");
    // Whole lines of at most ~150 bytes, cut to fit logBytes: within one line of it.
    expect(Buffer.byteLength(logs.stdout)).toBeGreaterThan(jobTiming.logBytes - 200);
    expect(logs.stdout).toBe(await fullLog(cluster, jobId!));
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^job ${runningId} CANCELLED in \\d+\\.\\ds\\n$`));
    expectStatusLines(cancelled.stderr, runningId!, "CANCELLED");

    // What the service now holds, through the same CLI code in-process.
    const [gotCancelled, gotDone] = await Promise.all([
      inProcess(["get", runningId!, ...target, "--json"]),
      inProcess(["get", jobId!, ...target, "--json"]),
    ]);
    expect(JSON.parse(gotCancelled.stdout)).toMatchObject({ jobId: runningId, status: "CANCELLED", job: { status: "CANCELLED" } });
    expect(JSON.parse(gotDone.stdout)).toMatchObject({
      cloud: "yandex",
      jobId,
      ref: { cloud: "yandex", clusterId: cluster, jobId },
      name: "wordcount",
      kind: "spark",
      status: "DONE",
      phase: "succeeded",
      job: { id: jobId, sparkJob: { mainJarFileUri: "s3a://bucket/app.jar", args: ["--verbose", "in"] } },
    });
  }, childTimeout);

  it("submit --follow prints exactly the job's log on stdout and the job lines on stderr", async () => {
    const { cluster, target } = own();
    const result = await inProcess([
      "submit", "pyspark", ...target,
      "--main-python-file-uri", "s3a://bucket/main.py", "--property", "emulator.duration_ms=1000", "--follow",
    ]);
    expect(result.code, result.stderr).toBe(0);
    // The job lines, without the status lines printed as it ran.
    const [first, last, ...more] = lines(result.stderr).filter((line) => !/ \d+\.\ds$/.test(line) || / in \d/.test(line));
    const jobId = /^job (c9q\w+) submitted$/.exec(first ?? "")?.[1];
    expect(jobId, result.stderr).toBeDefined();
    expect(last).toMatch(new RegExp(`^job ${jobId} DONE in \\d+\\.\\ds$`));
    expect(more).toEqual([]);
    expect(result.stdout).toBe(await fullLog(cluster, jobId!));
    expect(result.stdout).toContain("résumé"); // multi-byte characters survive page cuts
  }, childTimeout);

  it("a job that ends in ERROR exits 1 (--json: one object with the final job)", async () => {
    const { cluster, target } = own();
    const result = await inProcess([
      "submit", "spark", ...target, "--json", "--wait",
      "--main-jar-file-uri", "s3a://bucket/app.jar", "--property", "emulator.outcome=error",
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toHaveLength(1);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ kind: "spark", status: "ERROR", job: { status: "ERROR" } });
    expect(json.operationId).toEqual(expect.any(String));
    expect(json.elapsedMs).toEqual(expect.any(Number));
  }, childTimeout);

  it("SIGINT while waiting exits 130 and says the job keeps running", async () => {
    const { cluster, target } = own();
    let sent = false;
    const result = await cli(
      ["submit", "spark", ...target, "--main-jar-file-uri", "s3a://bucket/app.jar", "--property", "emulator.duration_ms=60000", "--wait"],
      (stdout, kill) => {
        if (!sent && stdout.includes("submitted\n")) {
          sent = true;
          kill("SIGINT");
        }
      },
    );
    expect(result.code).toBe(130);
    const jobId = /^job (c9q\w+) submitted\n$/.exec(result.stdout)?.[1];
    const cancel = `dataproc-connect cancel ${jobId} --cluster ${cluster} --endpoint ${emulator.url}`;
    // Status lines may come first (the job can change status before the signal lands); the last line says what to do.
    const said = lines(result.stderr);
    expect(said.at(-1)).toBe(`interrupted: job ${jobId} keeps running (to cancel it: ${cancel})`);
    for (const line of said.slice(0, -1)) expect(line).toMatch(new RegExp(`^job ${jobId} (PROVISIONING|PENDING|RUNNING) \\d+\\.\\ds$`));
  }, childTimeout);

  it("usage errors exit 2 with one line and send nothing", async () => {
    await using silent = await silentEmulator();
    const at = ["--endpoint", silent.url, "--cluster", silent.clusters[0]!];
    const both = await cli(["submit", "hive", ...at, "--query", "SELECT 1", "--query-file-uri", "s3a://bucket/q.sql"]);
    expectUsageError(both, /give --query-file-uri or --query, not both/);
    expect(silent.calls).toEqual([]);
  }, childTimeout);

  it("--help exits 0 in a real process", async () => {
    const help = await cli(["submit", "spark", "--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toContain("--main-jar-file-uri URI");
  }, childTimeout);

  it("get, list and logs print human and --json forms", async () => {
    const { cluster, target } = own();
    const name = "forms-job";
    // Two jobs, so that --limit has something to cut whatever else runs.
    const [jobId, otherId] = await Promise.all([finishedJob(cluster, name), finishedJob(cluster, "forms-other")]);
    const log = await fullLog(cluster, jobId);

    const card = await inProcess(["get", jobId, ...target]);
    expect(card.code).toBe(0);
    expect(card.stdout).toMatch(new RegExp(`^id {14}${jobId}\\n`));
    expect(card.stdout).toMatch(/\nkind {12}pyspark\n/);
    expect(card.stdout).toMatch(/\nstatus {10}DONE\n/);
    expect(card.stdout).toMatch(/\nduration {8}\d+\.\ds\n/);

    const table = await inProcess(["list", ...target, "--name", name]);
    expect(table.code).toBe(0);
    const [header, row, ...rest] = lines(table.stdout);
    expect(header).toMatch(/^ID +STATUS +PHASE +KIND +CREATED +NAME$/);
    expect(row).toMatch(new RegExp(`^${jobId} +DONE +succeeded +pyspark +\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z +${name}$`));
    expect(rest).toEqual([]);

    const json = await inProcess(["list", ...target, "--json", "--limit", "2"]);
    expect(json.code).toBe(0);
    const objects = lines(json.stdout).map((line) => JSON.parse(line) as { jobId: string; job: { id: string } });
    expect(objects.length).toBe(2);
    for (const o of objects) expect(o.job.id).toBe(o.jobId);

    const logsJson = await inProcess(["logs", jobId, ...target, "--json"]);
    expect(logsJson.code).toBe(0);
    const chunks = lines(logsJson.stdout).map((line) => JSON.parse(line) as { jobId: string; log: string });
    expect(chunks.every((c) => c.jobId === jobId)).toBe(true);
    expect(chunks.map((c) => c.log).join("")).toBe(log);

    // Managed Spark is another service: its list never holds these Data Proc jobs.
    // (Other tests of this file submit Managed Spark jobs concurrently, so it need not be empty.)
    const sparkList = await inProcess(["list", ...target, "--service", "spark", "--json"]);
    expect(sparkList).toMatchObject({ code: 0, stderr: "" });
    const sparkIds = lines(sparkList.stdout).map((line) => (JSON.parse(line) as { jobId: string }).jobId);
    expect(sparkIds).not.toContain(jobId);
    expect(sparkIds).not.toContain(otherId);
  });

  it("on a terminal, waiting draws one updating progress line on stderr and erases it", async () => {
    const { cluster, target } = own();
    const result = await inProcess(
      ["submit", "spark", ...target, "--main-jar-file-uri", "s3a://bucket/app.jar", "--property", "emulator.duration_ms=1000", "--wait"],
      { tty: true },
    );
    expect(result.code).toBe(0);
    const jobId = /^job (c9q\w+) submitted\n/.exec(result.stdout)?.[1];
    expect(result.stderr).toMatch(new RegExp(`^\\r\\x1b\\[2Kjob ${jobId} (PROVISIONING|PENDING|RUNNING) \\d+\\.\\ds`));
    expect(result.stderr).not.toContain("\n");
    expect(result.stderr.endsWith("\r\x1b[2K")).toBe(true);
    expect(result.stdout).toMatch(new RegExp(`\\njob ${jobId} DONE in \\d+\\.\\ds\\n$`));
  });

  it("submits every kind to the service that has it, including Spark Connect to Managed Spark", async () => {
    const { cluster, target } = own();
    const short = ["--property", "emulator.duration_ms=0"];
    const runs = await Promise.all([
      inProcess(["submit", "hive", ...target, "--query", "SELECT 1", ...short, "--json"]),
      inProcess(["submit", "mapreduce", ...target, "--main-class", "org.example.WordCount", ...short, "--json"]),
      inProcess(["submit", "pyspark", ...target, "--service", "spark", "--main-python-file-uri", "s3a://b/m.py", ...short, "--json"]),
      inProcess(["submit", "spark-connect", ...target, "--service", "spark", ...short, "--json"]),
    ]);
    for (const run of runs) expect(run.code).toBe(0);
    const ids = runs.map((run) => (JSON.parse(run.stdout) as { jobId: string }).jobId);
    const kinds = await Promise.all([
      ...ids.slice(0, 2).map((jobId) => cloud.client(JobService).get({ clusterId: cluster, jobId })),
      ...ids.slice(2).map((jobId) => cloud.client(SparkJobService).get({ clusterId: cluster, jobId })),
    ]);
    expect(kinds.map((job) => jobKind(job))).toEqual(["hive", "mapreduce", "pyspark", "sparkConnect"]);
  });

  it("a remote NOT_FOUND exits 1 with one line naming the code and the request id", async () => {
    const { cluster, target } = own();
    const result = await inProcess(["get", "c9qnosuchjob00000000", ...target]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: \[not_found\] job c9qnosuchjob00000000 not found[^\n]*request-id [0-9a-f-]{36}[^\n]*\n$/);
  });

  it("cancelling a job that has already ended is a remote error (exit 1, one line)", async () => {
    const { cluster, target } = own();
    const jobId = await finishedJob(cluster, "done-job");
    const result = await inProcess(["cancel", jobId, ...target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: job \w+ is already DONE \(succeeded\): nothing to cancel\n$/);
  });

  it("every command has --help that names its flags", async () => {
    const top = await inProcess(["--help"]);
    expect(top.code).toBe(0);
    for (const command of commands) {
      const help = await inProcess([...command.path, "--help"]);
      expect(help.code, command.path.join(" ")).toBe(0);
      expect(help.stderr).toBe("");
      expect(help.stdout).toContain(`Usage: dataproc-connect ${command.path.join(" ")}`);
      for (const flag of command.flags) expect(help.stdout).toContain(`--${flag.name}`);
      if (command.kind === "job") expect(help.stdout).toContain("--cluster ID");
      expect(top.stdout).toContain(command.path[0]);
      // `-h` and `help <command>` say the same.
      expect((await inProcess([...command.path, "-h"])).stdout).toBe(help.stdout);
      expect((await inProcess(["help", ...command.path])).stdout).toBe(help.stdout);
    }
    const submit = await inProcess(["submit", "--help"]);
    expect(submit.code).toBe(0);
    expect(submit.stdout).toMatch(/spark-connect +a Spark Connect server/);
    expect(submit.stdout).toContain("--wait");
  });

  it("usage and input errors exit 2 with one line, before any request", async () => {
    await using silent = await silentEmulator();
    const at = ["--endpoint", silent.url, "--cluster", silent.clusters[0]!];
    const cases: [string[], RegExp][] = [
      [[], /no command given/],
      [["bogus"], /unknown command "bogus"/],
      [["list", ...at, "--bogus"], /unknown flag --bogus/],
      [["submit", "hive", ...at, "--service", "spark", "--query", "SELECT 1"], /--service spark runs no hive jobs/],
      [["submit"], /give a job kind/],
      [["submit", "flink", ...at], /unknown job kind "flink"/],
      [["submit", "spark", "--endpoint", silent.url, "--main-jar-file-uri", "x"], /--cluster is required/],
      [["submit", "spark", ...at], /--main-jar-file-uri is required/],
      // Refused by the library's validation, naming the field and the rule.
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--name", "Not_A_Name"], /invalid request \(not sent\): name: does not match pattern/],
      [["submit", "mapreduce", ...at], /give --main-jar-file-uri or --main-class$/m],
      [["submit", "mapreduce", ...at, "--main-class", "A", "--main-jar-file-uri", "b"], /not both/],
      [["submit", "mapreduce", ...at, "--service", "spark", "--main-class", "A"], /--service spark runs no mapreduce jobs/],
      [["submit", "spark-connect", ...at], /--service dataproc runs no spark-connect jobs/],
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--environment-id", "e"], /--environment-id needs --service spark/],
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--property", "novalue"], /--property takes KEY=VALUE/],
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--property", "a=1", "--property", "a=2"], /sets "a" more than once/],
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--wait=yes"], /--wait takes no value/],
      [["submit", "spark", ...at, "--main-jar-file-uri", "x", "--name", "a", "--name", "b"], /--name is given more than once/],
      [["get", ...at], /get: missing JOB_ID/],
      [["get", "a", "b", ...at], /unexpected argument "b"/],
      [["get", "a", "--cluster", "--json"], /--cluster needs a value/],
      [["list", ...at, "--service", "emr"], /--service must be one of dataproc, spark/],
      [["list", ...at, "--name", "a", "--filter", "name=\"a\""], /--name or --filter, not both/],
      [["list", ...at, "--limit", "-1"], /--limit needs a value/],
      [["list", ...at, "--limit", "ten"], /--limit must be a whole number/],
      [["list", "--cluster", "c", "--endpoint", "http://example.com"], /refusing to send a bearer token over plaintext HTTP/],
      [["list", "--cluster", "c", "--endpoint", "http://[bad"], /endpoint http:\/\/\[bad: /],
      [["list", "--cluster", "c", "--endpoint", "127.0.0.1:50051"], /--endpoint "127\.0\.0\.1:50051" has no scheme: write http:\/\/127\.0\.0\.1:50051 for a plaintext server/],
      [["list", "--cluster", "c", "--endpoint", "grpc://h:1"], /only http:\/\/ \(plaintext, loopback\) and https:\/\/ endpoints/],
      [["list", ...at, "--clustr", "x"], /unknown flag --clustr \(did you mean --cluster\?\)/],
      [["lsit", ...at], /unknown command "lsit" \(did you mean list\?/],
      [["emulator", "--rest-port", "x"], /emulator: --rest-port must be an integer from 0 to 65535/],
      [["list", ...at, "--key-file", join(root, "no-such-key.json")], /credentials: .*cannot read key file/],
    ];
    for (const [args, reason] of cases) expectUsageError(await inProcess(args), reason, args.includes("--json"));
    expect(silent.calls).toEqual([]);
  });
});

// What a new user tripped over (issue 11 §5), each test with an emulator of
// its own block, in-process.
describe("dataproc-connect for a new user", () => {
  let own: Emulator;
  let ownCloud: YandexCloud;
  beforeAll(async () => {
    // The second cluster is the list test's own: no other test submits there.
    own = await startEmulator({ clusters: ["c9qnewuser0cluster01", "c9qnewuser0listing01"], jobTiming: { provisioningMs: 50, pendingMs: 50, runningMs: 300, cancellingMs: 100, logBytes: 100 } });
    ownCloud = createYandexCloud({ credentials: iamToken(own.iamToken), endpoint: own.url });
  });
  afterAll(async () => {
    ownCloud.close();
    await own.close();
  });

  interface RunOptions {
    readonly env?: Record<string, string>;
    readonly tty?: boolean;
    readonly columns?: number;
    readonly controller?: AbortController;
    readonly onStdout?: (text: string) => void;
  }
  async function run(args: readonly string[], options: RunOptions = {}): Promise<Result> {
    let stdout = "";
    let stderr = "";
    const isTTY = options.tty === true;
    const code = await runCli(args, {
      stdout: { write: (text) => ((stdout += text), options.onStdout?.(stdout), true), isTTY, ...(options.columns ? { columns: options.columns } : {}) },
      stderr: { write: (text) => ((stderr += text), true), isTTY, ...(options.columns ? { columns: options.columns } : {}) },
      env: options.env ?? { YC_IAM_TOKEN: own.iamToken },
      signal: (options.controller ?? new AbortController()).signal,
    });
    return { code, stdout, stderr };
  }
  const at = () => ["--endpoint", own.url, "--cluster", own.clusters[0]!];

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(version).toBe(pkg.version);
    for (const flag of ["--version", "-V", "version"]) {
      expect(await run([flag])).toEqual({ code: 0, stdout: `dataproc-connect ${pkg.version}\n`, stderr: "" });
    }
    expect((await run(["--help"])).stdout).toContain("--version");
  });

  it("Ctrl-C on a Managed Spark wait prints the exact cancel command, and that command works", async () => {
    const controller = new AbortController();
    const waited = await run(["submit", "spark-connect", "--service", "spark", ...at(), "--wait"], {
      controller,
      onStdout: (text) => {
        if (text.includes("submitted\n")) controller.abort("SIGINT");
      },
    });
    expect(waited.code).toBe(130);
    const jobId = /^job (c9q\w+) submitted\n$/.exec(waited.stdout)?.[1];
    const hint = /\(to cancel it: dataproc-connect (cancel [^)]+)\)\n$/.exec(waited.stderr)?.[1];
    expect(hint, waited.stderr).toBe(`cancel ${jobId} --cluster ${own.clusters[0]} --service spark --endpoint ${own.url}`);
    const cancelled = await run([...hint!.split(" "), "--wait"]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^job ${jobId} CANCELLED in `));
  });

  it("--json: errors are one JSON object on stderr, stdout stays empty", async () => {
    const missing = await run(["get", "c9qnosuchjob00000000", ...at(), "--json"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    const remote = (JSON.parse(missing.stderr) as { error: Record<string, unknown> }).error;
    expect(remote).toMatchObject({
      code: "NOT_FOUND",
      exitCode: 1,
      method: "/yandex.cloud.dataproc.v1.JobService/Get",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(remote.message).toMatch(/job c9qnosuchjob00000000 not found/);

    const refused = await run(["submit", "spark", ...at(), "--main-jar-file-uri", "x", "--name", "Not_A_Name", "--json"]);
    expect(refused.code).toBe(2);
    const local = (JSON.parse(refused.stderr) as { error: Record<string, unknown> }).error;
    expect(local).toMatchObject({
      code: "INVALID_ARGUMENT",
      exitCode: 2,
      violations: [{ path: "name", rule: "pattern |[a-z][-a-z0-9]{1,61}[a-z0-9]", message: "name: does not match pattern [a-z][-a-z0-9]{1,61}[a-z0-9]" }],
    });

    const usage = await run(["list", ...at(), "--json", "--limt", "3"]);
    expect(usage).toMatchObject({ code: 2, stdout: "" });
    expect(JSON.parse(usage.stderr)).toEqual({
      error: { code: "USAGE", exitCode: 2, message: "unknown flag --limt (did you mean --limit?)" },
    });
  });

  it("a server's INVALID_ARGUMENT exits 1: exit 2 means only that nothing was sent", async () => {
    own.clearCalls();
    const result = await run(["list", ...at(), "--filter", "status = 'DONE'"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: \[invalid_argument\] filter: only name=/);
    expect(own.callsTo("JobService/List").length).toBeGreaterThan(0);
  });

  it("https:// to the plaintext emulator says what is wrong and what to type", async () => {
    const tls = own.url.replace("http://", "https://");
    const result = await run(["get", "c9qjob", "--endpoint", tls, "--cluster", own.clusters[0]!]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: ${tls} does not speak TLS (a plaintext server answered the TLS handshake): for a plaintext server such as the emulator, write ${own.url}\n`,
    );
  });

  it("list --newest-first prints the newest jobs first, --limit keeps the newest", async () => {
    const clusterId = own.clusters[1]!;
    for (const name of ["order-a", "order-b", "order-c"]) {
      await submitJob(ownCloud, JobService, { clusterId, name, jobSpec: dataprocJobs.hive({ queries: ["SELECT 1"] }) });
    }
    const names = (r: Result) => lines(r.stdout).map((line) => (JSON.parse(line) as { name: string }).name);
    const listing = ["--endpoint", own.url, "--cluster", clusterId, "--json"];
    expect(names(await run(["list", ...listing]))).toEqual(["order-a", "order-b", "order-c"]);
    expect(names(await run(["list", ...listing, "--newest-first"]))).toEqual(["order-c", "order-b", "order-a"]);
    expect(names(await run(["list", ...listing, "--newest-first", "--limit", "2"]))).toEqual(["order-c", "order-b"]);
    expect((await run(["list", "--help"])).stdout).toMatch(/--newest-first +newest jobs first/);
  });

  it("on a narrow terminal the progress line is cut to its width, so it never wraps", async () => {
    const result = await run(
      ["submit", "spark", ...at(), "--main-jar-file-uri", "s3a://bucket/app.jar", "--name", "a-rather-long-job-name", "--wait"],
      { tty: true, columns: 24 },
    );
    expect(result.code, result.stderr).toBe(0);
    const drawn = result.stderr.split("\r\x1b[2K").filter((segment) => segment !== "");
    expect(drawn.length).toBeGreaterThan(0);
    for (const segment of drawn) {
      expect(Array.from(segment).length).toBeLessThanOrEqual(23);
      expect(segment).toMatch(/^job c9q\w*…$/);
    }
  });

  it("the emulator command prints ready-to-paste export lines that the job commands pick up", async () => {
    const controller = new AbortController();
    let printed = "";
    const ready = new Promise<void>((resolve) => {
      void run(["emulator", "--port", "0"], {
        controller,
        onStdout: (text) => {
          printed = text;
          if (text.includes("export YC_IAM_TOKEN=")) resolve();
        },
      });
    });
    await ready;
    const exports = Object.fromEntries(
      lines(printed)
        .filter((line) => line.startsWith("export "))
        .map((line) => line.slice("export ".length).split("=", 2) as [string, string]),
    );
    expect(Object.keys(exports)).toEqual([
      "YC_ENDPOINT",
      "YC_IAM_TOKEN",
      "YC_REST_ENDPOINT",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_REGION",
      "AWS_ENDPOINT_URL",
      "HUAWEICLOUD_SDK_AK",
      "HUAWEICLOUD_SDK_SK",
      "HUAWEICLOUD_SDK_PROJECT_ID",
      "HUAWEICLOUD_MRS_ENDPOINT",
    ]);
    expect(lines(printed)[0]).toBe(`dataproc-connect emulator listening on ${exports.YC_ENDPOINT}`);
    expect(exports.AWS_ENDPOINT_URL).toBe(lines(printed).find((l) => l.startsWith("rest: "))!.slice("rest: ".length));
    // Pasted into a shell: no --endpoint, no token flag, no keys, on every face.
    const env = exports as Record<string, string>;
    const app = lines(printed).find((l) => l.startsWith("aws application: "))!.slice("aws application: ".length);
    const listed = await Promise.all([
      run(["list", "--cluster", "c9qemulator0cluster1"], { env }),
      run(["list", "--cluster", "c9qemulator0cluster1", "--transport", "rest"], { env }),
      run(["list", "--cloud", "aws", "--application-id", app], { env }),
      run(["list", "--cloud", "huawei", "--cluster", "c9qemulator0cluster1"], { env }),
    ]);
    for (const r of listed) expect(r, r.stderr).toMatchObject({ code: 0, stderr: "" });
    controller.abort("SIGINT");
  });

  it("an emulator on 0.0.0.0 prints the plaintext opt-in it needs, with a warning", async () => {
    const controller = new AbortController();
    let result: Promise<Result> | undefined;
    let printed = "";
    await new Promise<void>((resolve) => {
      result = run(["emulator", "--port", "0", "--host", "0.0.0.0"], {
        controller,
        onStdout: (text) => {
          printed = text;
          if (text.includes("export YC_IAM_TOKEN=")) resolve();
        },
      });
    });
    controller.abort("SIGINT");
    const { code, stderr } = await result!;
    expect(code).toBe(0);
    const host = hostname();
    const endpoint = new RegExp(`^export YC_ENDPOINT=http://${host.replace(/[.[\]]/g, "\\$&")}:(\\d+)$`, "m").exec(printed);
    expect(endpoint, printed).not.toBeNull();
    const rest = new RegExp(`^export AWS_ENDPOINT_URL=http://${host.replace(/[.[\]]/g, "\\$&")}:(\\d+)$`, "m").exec(printed);
    expect(rest, printed).not.toBeNull();
    // Both faces, gRPC and REST, named for clients on other machines.
    expect(printed).toContain(`\nexport DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS=${host}:${endpoint![1]},${host}:${rest![1]}\n`);
    expect(stderr).toMatch(/^warning: the emulator serves plaintext HTTP\/2 on 0\.0\.0\.0 \(no TLS\)/);
  });
});

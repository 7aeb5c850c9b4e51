// The CLI over REST: the emulator command prints its REST face as `rest: <url>`,
// and job commands with --transport rest talk to it over HTTP/1.1.
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";

function cliIo(signal: AbortSignal, env: Record<string, string> = {}, onLine: (line: string) => void = () => {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => (t.replace(/\n$/, "").split("\n").forEach((l) => (out.push(l), onLine(l))), true) },
      stderr: { write: (t: string) => err.push(t) > 0 },
      signal,
      env,
    },
  };
}

describe("CLI over REST", () => {
  it("emulator prints rest: <url>; submit and list --transport rest go through it; Managed Spark over REST is a usage error", async () => {
    const stop = new AbortController();
    let restUrl = "";
    let token = "";
    let ready!: () => void;
    const printed = new Promise<void>((resolve) => (ready = resolve));
    const emulator = cliIo(stop.signal, {}, (line) => {
      if (line.startsWith("IAM token: ")) token = line.slice("IAM token: ".length);
      if (line.startsWith("rest: ")) (restUrl = line.slice("rest: ".length)), ready();
    });
    const exited = runCli(["emulator", "--port", "0", "--poll-interval", "0"], emulator.io);
    await printed;
    try {
      expect(restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.out.slice(0, 3).map((l) => l.split(":")[0])).toEqual(["dataproc-connect emulator listening on http", "IAM token", "clusters"]);
      const cluster = emulator.out[2]!.slice("clusters: ".length);
      const env = { YC_IAM_TOKEN: token };
      const run = async (...argv: string[]) => {
        const c = cliIo(new AbortController().signal, env);
        const code = await runCli(argv, c.io);
        return { code, out: c.out, err: c.err.join("") };
      };
      const submitted = await run("submit", "spark", "--transport", "rest", "--endpoint", restUrl, "--cluster", cluster, "--json", "--main-jar-file-uri", "s3a://b/app.jar");
      expect(submitted.err).toBe("");
      expect(submitted.code).toBe(0);
      const jobId = (JSON.parse(submitted.out.at(-1)!) as { id?: string; jobId?: string }).id ?? (JSON.parse(submitted.out.at(-1)!) as { jobId: string }).jobId;
      expect(jobId).toMatch(/^c9q/);
      const listed = await run("list", "--transport", "rest", "--endpoint", restUrl, "--cluster", cluster, "--json");
      expect(listed.code).toBe(0);
      expect(listed.out.join("\n")).toContain(jobId);
      const spark = await run("list", "--transport", "rest", "--service", "spark", "--endpoint", restUrl, "--cluster", cluster);
      expect(spark.code).not.toBe(0);
      expect(spark.err).toMatch(/--transport rest: (\[invalid_argument\] )?yandex\.cloud\.spark\.v1\.JobService cannot go over REST/);
    } finally {
      stop.abort("SIGINT");
      expect(await exited).toBe(0);
    }
  });
});

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@connectrpc/connect";
import { Http2SessionManager, createGrpcTransport } from "@connectrpc/connect-node";
import { SignJWT, importPKCS8 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { IamTokenService } from "../../src/yandex/iam/v1/index.js";
import type { AuthorizedKey } from "../../src/testing/index.js";
import { sourceEntry } from "../support/child-sources.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dataproc-connect-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process; resolves once it has printed `lines` lines. */
function startCli(argv: string[], lines: number) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  let ready!: () => void;
  const printed = new Promise<void>((resolve) => (ready = resolve));
  const exit = runCli(argv, {
    stdout: {
      write: (text) => {
        out.push(...text.replace(/\n$/, "").split("\n"));
        if (out.length >= lines) ready();
        return true;
      },
    },
    stderr: { write: (text) => err.push(text) > 0 },
    signal: controller.signal,
  });
  void exit.then(() => ready());
  return { out, err, printed, exit, stop: () => controller.abort() };
}

describe("dataproc-connect emulator (in-process)", () => {
  it("prints the URL, a ready token and the clusters, writes a trusted key file, and stops on the signal", async () => {
    const keyFile = join(dir, "key.json");
    const cli = startCli(["emulator", "--port", "0", "--cluster", "c9qclicluster0000001", "--cluster", "c9qclicluster0000002", "--key-file", keyFile], 4);
    await cli.printed;
    expect(cli.out[0]).toMatch(/^dataproc-connect emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.out[1]).toMatch(/^IAM token: t1\.\S+$/);
    expect(cli.out[2]).toBe("clusters: c9qclicluster0000001,c9qclicluster0000002");
    expect(cli.out[3]).toBe(`key file: ${keyFile}`);
    const url = cli.out[0]!.split(" ").at(-1)!;
    const token = cli.out[1]!.slice("IAM token: ".length);

    const key = JSON.parse(await readFile(keyFile, "utf8")) as AuthorizedKey;
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(key.private_key).toMatch(/^PLEASE DO NOT REMOVE THIS LINE! Yandex\.Cloud SA Key ID aje/);

    const sessionManager = new Http2SessionManager(url);
    const transport = createGrpcTransport({ baseUrl: url, sessionManager });
    try {
      const page = await createClient(JobService, transport).list(
        { clusterId: "c9qclicluster0000002" },
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(page.jobs).toEqual([]);
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: "PS256", kid: key.id })
        .setIssuer(key.service_account_id)
        .setAudience("https://iam.api.cloud.yandex.net/iam/v1/tokens")
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(await importPKCS8(key.private_key.slice(key.private_key.indexOf("-----BEGIN")), "PS256"));
      const issued = await createClient(IamTokenService, transport).create({ identity: { case: "jwt", value: jwt } });
      expect(issued.iamToken).toMatch(/^t1\./);
    } finally {
      sessionManager.abort();
    }
    cli.stop();
    expect(await cli.exit).toBe(0);
  });

  it("--help exits 0; an unknown command or option exits 2", async () => {
    const help = startCli(["--help"], 1);
    expect(await help.exit).toBe(0);
    expect(help.out.join("\n")).toContain("emulator");
    const unknown = startCli(["bogus"], 1);
    expect(await unknown.exit).toBe(2);
    expect(unknown.err.join("\n")).toContain('unknown command "bogus"');
    const badOption = startCli(["emulator", "--bogus"], 1);
    expect(await badOption.exit).toBe(2);
    const badPort = startCli(["emulator", "--port", "70000"], 1);
    expect(await badPort.exit).toBe(2);
  });
});

describe("dataproc-connect emulator (a real process)", () => {
  /** Spawns the CLI from its TypeScript source, waits for its 3 lines, sends `signal`, resolves with the lines and exit code. */
  async function runUntil(signal: NodeJS.Signals): Promise<{ lines: string[]; code: number | null }> {
    const child = spawn(process.execPath, [sourceEntry("src/cli/main.ts"), "emulator"], {
      cwd: join(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout });
    await new Promise<void>((resolve, reject) => {
      rl.on("line", (line) => {
        lines.push(line);
        if (lines.length === 3) resolve();
      });
      void exited.then((code) => reject(new Error(`exited early with ${code}`)));
    });
    child.kill(signal);
    return { lines, code: await exited };
  }

  it("prints exactly the documented first lines and exits 0 on SIGINT and on SIGTERM", async () => {
    const runs = await Promise.all([runUntil("SIGINT"), runUntil("SIGTERM")]);
    for (const { lines, code } of runs) {
      expect(lines[0]).toMatch(/^dataproc-connect emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines[1]).toMatch(/^IAM token: t1\./);
      expect(lines[2]).toBe("clusters: c9qemulator0cluster1");
      expect(code).toBe(0);
    }
  });
});

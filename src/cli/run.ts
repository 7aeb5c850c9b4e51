import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { startEmulator } from "../testing/server.js";

/** Where the CLI writes and what stops it; the real process wires these to stdio and signals. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: long-running commands shut down and return. */
  readonly signal: AbortSignal;
}

const usage = `Usage: dataproc-connect <command> [options]

Commands:
  emulator   Run a local emulator of the Data Proc, Spark, Operation and IAM
             token APIs (gRPC over HTTP/2, h2c) until SIGINT/SIGTERM.

Options of "emulator":
  --port N          port to listen on (default: any free port)
  --host ADDR       address to bind (default 127.0.0.1)
  --cluster ID      a cluster id to serve; repeat for several (default: one)
  --key-file PATH   write a service-account authorized key file the
                    emulator trusts (for IamTokenService.Create{jwt})
  --oauth-token T   an OAuth token IamTokenService.Create accepts; repeatable
  --poll-interval S x-operation-poll-interval header, seconds (default 1)
  -h, --help        show this help`;

/**
 * Runs the CLI with `argv` (without the node and script paths) and resolves
 * with the exit code: 0 on success, 2 on a usage error.
 *
 * @example
 * ```ts
 * const code = await runCli(["emulator", "--port", "0"], { stdout: console.log, stderr: console.error, signal });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(usage);
    return 2;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(usage);
    return 0;
  }
  if (command !== "emulator") {
    io.stderr(`dataproc-connect: unknown command ${JSON.stringify(command)}\n\n${usage}`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        cluster: { type: "string", multiple: true },
        "key-file": { type: "string" },
        "oauth-token": { type: "string", multiple: true },
        "poll-interval": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    io.stderr(`dataproc-connect emulator: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(usage);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`dataproc-connect emulator: --port must be an integer from 0 to 65535`);
    return 2;
  }
  const pollIntervalSeconds = values["poll-interval"] === undefined ? 1 : Number(values["poll-interval"]);
  if (!(pollIntervalSeconds >= 0)) {
    io.stderr(`dataproc-connect emulator: --poll-interval must be a non-negative number of seconds`);
    return 2;
  }
  return runEmulator(io, {
    port,
    host: values.host ?? "127.0.0.1",
    clusters: values.cluster,
    keyFile: values["key-file"],
    oauthTokens: values["oauth-token"] ?? [],
    pollIntervalSeconds,
  });
}

async function runEmulator(
  io: CliIo,
  options: {
    port: number;
    host: string;
    clusters: string[] | undefined;
    keyFile: string | undefined;
    oauthTokens: string[];
    pollIntervalSeconds: number;
  },
): Promise<number> {
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    ...(options.clusters === undefined ? {} : { clusters: options.clusters }),
    oauthTokens: options.oauthTokens,
    pollIntervalSeconds: options.pollIntervalSeconds,
  });
  try {
    if (options.keyFile !== undefined) {
      const key = await emulator.createServiceAccountKey();
      await writeFile(options.keyFile, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    }
    io.stdout(`dataproc-connect emulator listening on ${emulator.url}`);
    io.stdout(`IAM token: ${emulator.iamToken}`);
    io.stdout(`clusters: ${emulator.clusters.join(",")}`);
    if (options.keyFile !== undefined) io.stdout(`key file: ${options.keyFile}`);
    if (!io.signal.aborted) {
      await new Promise<void>((resolve) => io.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    return 0;
  } finally {
    await emulator.close();
  }
}

#!/usr/bin/env node
/**
 * The `dataproc-connect` command: wires the process (stdio, environment,
 * signals, exit code) to {@link runCli}, which holds everything else so that
 * tests can run commands in-process.
 *
 * SIGINT/SIGTERM abort the run (the reason is the signal's name, for the
 * exit code); a second Ctrl-C kills the process the default way. The exit
 * waits for stdout and stderr to flush, so piped output is never cut short.
 *
 * @example
 * ```sh
 * npx dataproc-connect submit spark --cluster c9q… --main-jar-file-uri s3a://b/app.jar --wait
 * ```
 *
 * @module
 */
import { runCli } from "./run.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort(signal));
}

// `dataproc-connect logs … | head`: the reader went away; stop quietly
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const flush = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write("", () => resolve()));

void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
}).then(async (code) => {
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
});

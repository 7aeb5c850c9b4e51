#!/usr/bin/env node
/**
 * The `dataproc-connect` command. Only argument parsing and process wiring
 * live here; the commands are in run.ts so tests can drive them in-process.
 *
 * @example
 * ```sh
 * npx dataproc-connect emulator --port 50051 --key-file ./sa-key.json
 * ```
 *
 * @module
 */
import { runCli } from "./run.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => controller.abort());
}

runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dataproc-connect: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

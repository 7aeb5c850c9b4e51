/**
 * Runs one command line: finds the command, parses its flags, answers
 * `--help`, checks the arguments, loads the implementation and turns any
 * error into one line on stderr and an exit code (see exit.ts).
 *
 * Nothing here imports the client library: `--help` and usage errors are
 * answered without loading it.
 *
 * @module
 */
import { closest, parseFlags } from "./args.js";
import { commands, findCommand } from "./catalog.js";
import type { CommandContext } from "./command.js";
import { ExitCode, UsageError, interruptedExitCode } from "./exit.js";
import { CliFailure, failure, formatFailure, usageFailure } from "./failure.js";
import type { Failure } from "./failure.js";
import { helpFlag, jobFlags, readJobOptions } from "./globals.js";
import { cloudHelp, cloudSubmitHelp, commandHelp, rootHelp, submitHelp } from "./help.js";
import type { CliIo } from "./io.js";
import { version } from "./version.js";
import { inCliTerms } from "./cli-terms.js";
import { cloudCommands } from "./clouds/catalog.js";
import { selectedCloud } from "./clouds/select.js";
import type { CloudName } from "./clouds/select.js";

export type { CliIo, CliStream } from "./io.js";

/**
 * Runs the CLI with `argv` (without the node and script paths) and resolves
 * with the exit code. It never rejects and never prints a stack trace for an
 * expected error.
 *
 * @example
 * ```ts
 * const code = await runCli(["get", jobId, "--cluster", clusterId, "--json"], {
 *   stdout: process.stdout, stderr: process.stderr, signal,
 * });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Known before parsing, so that even a usage error comes out as JSON.
  const end = argv.indexOf("--");
  const json = (end === -1 ? argv : argv.slice(0, end)).includes("--json");
  const seen: Seen = {};
  try {
    return await dispatch(argv, io, seen);
  } catch (error) {
    const f = await describe(error, io.signal, seen);
    io.stderr.write(formatFailure(f, json));
    return f.exitCode;
  }
}

/** What dispatch learnt before an error, for its message. */
interface Seen {
  endpoint?: string;
}

async function dispatch(argv: readonly string[], io: CliIo, seen: Seen): Promise<number> {
  const [first] = argv;
  if (first === undefined) throw new UsageError('no command given (see "dataproc-connect --help")');
  const cloudOf = selectedCloud(argv);
  if (first === "--help" || first === "-h" || first === "help") {
    io.stdout.write(`${helpFor(withoutCloud(argv.slice(1)), cloudOf)}\n`);
    return ExitCode.ok;
  }
  if (first === "--version" || first === "-V" || first === "version") {
    io.stdout.write(`dataproc-connect ${version}\n`);
    return ExitCode.ok;
  }
  const cloud = cloudOf;
  // `--cloud aws --help`, `--cloud huawei -h`: the cloud's overview.
  const words = withoutCloud(argv);
  if (words.length === 0) throw new UsageError(`no command given (see "dataproc-connect --cloud ${cloud} --help")`);
  if (words.length === 1 && isHelp(words[0]!)) {
    io.stdout.write(`${helpFor([], cloud)}\n`);
    return ExitCode.ok;
  }
  if (cloud !== "yandex") return dispatchCloud(cloud, words, io);
  const found = findCommand(argv);
  if (found === undefined) {
    if (first === "submit") return submitWithoutKind(argv.slice(1), io);
    if (first.startsWith("-")) throw new UsageError(`give the command first, then ${first} (see "dataproc-connect --help")`);
    const near = closest(first, [...new Set(commands.map((c) => c.path[0]!))]);
    const hint = near === undefined ? "" : `did you mean ${near}? `;
    throw new UsageError(`unknown command ${JSON.stringify(first)} (${hint}see "dataproc-connect --help")`);
  }
  const { command, rest } = found;
  const specs = command.kind === "job" ? [...command.flags, ...jobFlags, helpFlag] : [...command.flags, helpFlag];
  const parsed = parseCommandLine(command, rest, specs, io);
  if (parsed === undefined) return ExitCode.ok;
  const { positionals } = parsed;
  const context: CommandContext = { command, io, flags: parsed.flags, positionals };
  if (command.kind === "job") {
    const jobContext = { ...context, job: readJobOptions(parsed.flags, io.env ?? process.env) };
    if (jobContext.job.endpoint !== undefined) seen.endpoint = jobContext.job.endpoint;
    command.check?.(jobContext);
    return (await command.load()).run(jobContext);
  }
  return (await command.load()).run(context);
}

/** A command of `--cloud aws` or `--cloud huawei` (clouds/catalog.ts). */
async function dispatchCloud(cloud: "aws" | "huawei", argv: readonly string[], io: CliIo): Promise<number> {
  const table = cloudCommands(cloud);
  const command = table.find((c) => c.path.every((word, i) => argv[i] === word));
  if (command === undefined && argv.some(isHelp) && (argv[0] === "submit" || isHelp(argv[0]!))) {
    // `submit --help --cloud aws`: the cloud's kinds.
    io.stdout.write(`${argv[0] === "submit" ? cloudSubmitHelp(cloud) : cloudHelp(cloud)}\n`);
    return ExitCode.ok;
  }
  if (command === undefined) {
    const words = [...new Set(table.map((c) => c.path.slice(0, argv[0] === "submit" ? 2 : 1).join(" ")))];
    const typed = argv.slice(0, argv[0] === "submit" ? 2 : 1).join(" ");
    const near = closest(typed, words);
    throw new UsageError(
      `--cloud ${cloud}: unknown command ${JSON.stringify(typed)} (${near === undefined ? "" : `did you mean ${near}? `}commands: ${words.join(", ")})`,
    );
  }
  // --cloud is read already (selectedCloud) and taken out of argv; the table still lists it for help.
  const parsed = parseCommandLine(command, argv.slice(command.path.length), [...command.flags, helpFlag], io);
  if (parsed === undefined) return ExitCode.ok;
  return (await command.load()).run({ command, io, flags: parsed.flags, positionals: parsed.positionals });
}

/**
 * Parses a command's flags and checks its positionals, for every cloud's
 * commands alike; prints the command's help and returns `undefined` for `--help`.
 */
function parseCommandLine(
  command: Parameters<typeof commandHelp>[0] & { readonly path: readonly string[]; readonly positionals: readonly { readonly name: string }[] },
  argv: readonly string[],
  specs: Parameters<typeof parseFlags>[1],
  io: CliIo,
): ReturnType<typeof parseFlags> | undefined {
  const parsed = parseFlags(argv, specs);
  if (parsed.help) {
    io.stdout.write(`${commandHelp(command)}\n`);
    return undefined;
  }
  const { positionals } = parsed;
  const missing = command.positionals[positionals.length];
  if (missing !== undefined) throw new UsageError(`${command.path.join(" ")}: missing ${missing.name}`);
  const extra = positionals[command.positionals.length];
  if (extra !== undefined) throw new UsageError(`${command.path.join(" ")}: unexpected argument ${JSON.stringify(extra)}`);
  return parsed;
}

/** `argv` without `--cloud NAME` / `--cloud=NAME` (before any `--`). */
function withoutCloud(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") return [...out, ...argv.slice(i)];
    if (word === "--cloud") i++;
    else if (!word.startsWith("--cloud=")) out.push(word);
  }
  return out;
}

function isHelp(word: string): boolean {
  return word === "--help" || word === "-h" || word === "help";
}

/** `help [command words]`: the command's help, `submit`'s, or the overview, of `cloud`. */
function helpFor(words: readonly string[], cloud: CloudName = "yandex"): string {
  if (cloud !== "yandex") {
    const command = words.length === 0 ? undefined : cloudCommands(cloud).find((c) => c.path.every((word, i) => words[i] === word));
    if (command !== undefined) return commandHelp(command);
    return words[0] === "submit" ? cloudSubmitHelp(cloud) : cloudHelp(cloud);
  }
  const found = findCommand(words);
  if (found !== undefined && words.length > 0) return commandHelp(found.command);
  return words[0] === "submit" ? submitHelp() : rootHelp();
}

/** `submit`, `submit --help` or `submit <unknown kind>`. */
function submitWithoutKind(rest: readonly string[], io: CliIo): number {
  const kinds = commands.filter((c) => c.path[0] === "submit").map((c) => c.path[1]);
  const [word] = rest;
  if (word === "--help" || word === "-h") {
    io.stdout.write(`${submitHelp()}\n`);
    return ExitCode.ok;
  }
  if (word === undefined || word.startsWith("-")) throw new UsageError(`submit: give a job kind: ${kinds.join(", ")}`);
  throw new UsageError(`submit: unknown job kind ${JSON.stringify(word)} (one of ${kinds.join(", ")})`);
}

/**
 * One line and an exit code for any error. Library errors are classified by
 * errors.ts, loaded only here (an error from the library means it is loaded
 * already).
 */
async function describe(error: unknown, signal: AbortSignal, seen: Seen): Promise<Failure> {
  if (error instanceof UsageError) return usageFailure(inCliTerms(error.message));
  if (error instanceof CliFailure) return error.failure;
  if (signal.aborted) return failure(interruptedExitCode(signal), "INTERRUPTED", "interrupted");
  const { describeError } = await import("./errors.js");
  const described = describeError(error, seen.endpoint);
  return { ...described, message: inCliTerms(described.message) };
}

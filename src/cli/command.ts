/**
 * The shape of a command: its description (what the parser and the help
 * need) and its implementation, loaded only when the command really runs.
 *
 * Why the split: the implementations import the client library, the
 * generated descriptors or the emulator, which takes a while to load;
 * `--help` and usage errors need none of it and answer at once.
 *
 * @module
 */
import type { FlagSpec, Flags } from "./args.js";
import type { JobOptions } from "./globals.js";
import type { CliIo } from "./io.js";

/** A required positional argument, e.g. `JOB_ID`. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
}

interface CommandBase {
  /** The words that select it: `["get"]`, `["submit", "spark"]`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  readonly positionals: readonly PositionalSpec[];
  /** Its own flags; job commands also take the shared job flags. */
  readonly flags: readonly FlagSpec[];
  /** Extra paragraphs of its help. */
  readonly notes?: readonly string[];
  /** Command lines without the program name. */
  readonly examples: readonly string[];
}

/** What an implementation gets. */
export interface CommandContext {
  readonly command: CommandDef;
  readonly io: CliIo;
  readonly flags: Flags;
  readonly positionals: readonly string[];
}

/** A command that talks to a job service and takes the shared job flags. */
export interface JobCommandDef extends CommandBase {
  readonly kind: "job";
  /**
   * Checks the command line before the implementation is loaded, so that
   * usage errors are reported at once.
   *
   * @throws UsageError
   */
  readonly check?: (context: JobCommandContext) => void;
  readonly load: () => Promise<{ run(context: JobCommandContext): Promise<number> }>;
}

export interface JobCommandContext extends CommandContext {
  readonly job: JobOptions;
}

/** Any other command (the emulator). */
export interface ToolCommandDef extends CommandBase {
  readonly kind: "tool";
  readonly load: () => Promise<{ run(context: CommandContext): Promise<number> }>;
}

export type CommandDef = JobCommandDef | ToolCommandDef;

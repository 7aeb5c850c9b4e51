/**
 * The help texts, rendered from the command catalog so that they cannot
 * drift from what the parser accepts.
 *
 * @module
 */
import type { FlagSpec } from "./args.js";
import { commands } from "./catalog.js";
import { cloudCommands, cloudSummaries } from "./clouds/catalog.js";
import { cloudNames } from "./clouds/select.js";
import type { CloudName } from "./clouds/select.js";
import type { CommandDef } from "./command.js";
import { helpFlag, jobFlags } from "./globals.js";
import { jobKinds, managedSparkFlags, submitFlags } from "./job-kinds.js";

const program = "dataproc-connect";

const credentials =
  "Credentials (job commands): YC_IAM_TOKEN, else YC_SERVICE_ACCOUNT_KEY_FILE, else YC_TOKEN (OAuth), " +
  "else the VM metadata service; --key-file PATH uses that key file instead.";

const exitCodes =
  "Exit codes: 0 success; 1 the job failed or was cancelled, or any error after something was sent " +
  "(a server's INVALID_ARGUMENT included); 2 usage or input error, nothing sent; 130 interrupted (Ctrl-C), " +
  "143 terminated (SIGTERM).";

const jsonErrors =
  'With --json, an error is one JSON line on stderr: {"error":{"code":"NOT_FOUND","exitCode":1,"message":…,' +
  '"method":…,"requestId":…}} (code: a gRPC status name, USAGE or INTERRUPTED).';

/** `dataproc-connect --help`. */
export function rootHelp(): string {
  const submitKinds = jobKinds.map((k) => k.name).join("|");
  const rows: [string, string][] = [
    [`submit ${submitKinds}`, "submit a job (--wait, --follow)"],
    ...commands
      .filter((c) => c.path[0] !== "submit")
      .map((c): [string, string] => [[...c.path, ...c.positionals.map((p) => p.name)].join(" "), c.summary]),
  ];
  return [
    `${program} — submit, watch, read the logs of and cancel jobs on Yandex Data Proc and Managed Spark (--cloud yandex, ` +
      "the default), Amazon EMR Serverless (--cloud aws) and Huawei Cloud MRS (--cloud huawei)",
    "",
    `Usage: ${program} <command> [arguments] [flags]    (or: ${program} --version)`,
    "",
    "Commands:",
    ...table(rows),
    "",
    "Job flags (every job command; clusters take them but --cluster, --cluster-name):",
    ...flagRows([...jobFlags, helpFlag]),
    "",
    "Other flags:",
    ...table([["--version", "print the version and exit (also: -V, version)"]]),
    "",
    wrap(credentials),
    wrap(exitCodes),
    wrap(jsonErrors),
    "",
    wrap(
      "Other clouds: --cloud aws (EMR Serverless job runs: submit spark|hive, get, list, cancel, dashboard; applications " +
        "list|get|start|stop) and --cloud huawei (MRS jobs: submit <job type>, get, list, cancel [--v1]; clusters list|get); " +
        '"dataproc-connect --cloud aws --help" lists a cloud\'s commands.',
    ),
    "",
    "Examples:",
    `  ${program} emulator --port 50051      # prints its URL, a token, a cluster id and export lines`,
    "  export YC_ENDPOINT=http://127.0.0.1:50051 YC_IAM_TOKEN=t1.…",
    `  ${program} submit spark --cluster c9qemulator0cluster1 --main-jar-file-uri s3a://bucket/app.jar --wait`,
    `  ${program} list --cluster c9q… --json`,
    `  ${program} clusters list --folder-id b1g… --json      # then: clusters start|stop CLUSTER_ID`,
    `  ${program} submit pyspark --service spark --cluster c9q… --main-python-file-uri s3a://b/main.py --follow`,
    "",
    `Run "${program} <command> --help" for the flags of a command.`,
  ].join("\n");
}

/** `dataproc-connect --cloud aws --help`: that cloud's commands, flags, credentials and exit codes. */
export function cloudHelp(cloud: Exclude<CloudName, "yandex">): string {
  const own = cloudCommands(cloud);
  const about = cloudSummaries[cloud];
  const shared = own.find((c) => c.path[0] === "get")!.flags;
  const submits = own.filter((c) => c.path[0] === "submit").map((c) => c.path[1]).join("|");
  const rows: [string, string][] = [
    submits.length <= 24 ? [`submit ${submits}`, "submit a job (--wait)"] : ["submit KIND", `submit a job (--wait); "submit --help --cloud ${cloud}" lists the kinds`],
    ...own
      .filter((c) => c.path[0] !== "submit")
      .map((c): [string, string] => [[...c.path, ...c.positionals.map((p) => p.name)].join(" "), c.summary]),
  ];
  return [
    `${program} --cloud ${cloud} — submit, watch and cancel ${about.title} jobs (other clouds: ${cloudNames.filter((c) => c !== cloud).map((c) => `--cloud ${c}`).join(", ")})`,
    "",
    `Usage: ${program} <command> --cloud ${cloud} [arguments] [flags]`,
    "",
    "Commands:",
    ...table(rows),
    "",
    `Flags of every ${cloud} command:`,
    ...flagRows([...shared, helpFlag]),
    "",
    wrap(about.credentials),
    wrap(about.exitCodes),
    wrap(jsonErrors),
    "",
    "Against the emulator:",
    `  ${program} list ${about.emulator}`,
    "",
    `Run "${program} <command> --cloud ${cloud} --help" for the flags of a command.`,
  ].join("\n");
}

/** `dataproc-connect submit --help --cloud aws`: that cloud's kinds. */
export function cloudSubmitHelp(cloud: Exclude<CloudName, "yandex">): string {
  const submits = cloudCommands(cloud).filter((c) => c.path[0] === "submit");
  return [
    `Usage: ${program} submit <kind> --cloud ${cloud} [flags]`,
    "",
    `Submits a job to ${cloudSummaries[cloud].title} and prints its id. Kinds:`,
    ...table(submits.map((c): [string, string] => [c.path[1]!, c.summary])),
    "",
    `Run "${program} submit <kind> --cloud ${cloud} --help" for the flags of a kind.`,
  ].join("\n");
}

/** `dataproc-connect submit --help`: the kinds and what they share. */
export function submitHelp(): string {
  return [
    `Usage: ${program} submit <kind> [flags]`,
    "",
    "Submits a job and prints its id. Kinds:",
    ...table(jobKinds.map((k): [string, string] => [k.name, k.summary])),
    "",
    "Flags of every kind:",
    ...flagRows(submitFlags),
    "",
    "Managed Spark only:",
    ...flagRows(managedSparkFlags),
    "",
    "Job flags:",
    ...flagRows([...jobFlags, helpFlag]),
    "",
    `Run "${program} submit <kind> --help" for the spec flags of a kind.`,
  ].join("\n");
}

/** `dataproc-connect <command> --help`. */
export function commandHelp(command: CommandDef): string {
  const words = [program, ...command.path, ...command.positionals.map((p) => p.name), "[flags]"];
  const lines = [`Usage: ${words.join(" ")}`, "", `${capitalise(command.summary)}.`];
  if (command.positionals.length > 0) {
    lines.push("", "Arguments:", ...table(command.positionals.map((p): [string, string] => [p.name, p.description])));
  }
  const own = command.kind === "job" ? command.flags : [...command.flags, helpFlag];
  if (own.length > 0) lines.push("", "Flags:", ...flagRows(own));
  if (command.kind === "job") lines.push("", "Job flags:", ...flagRows([...jobFlags, helpFlag]));
  for (const note of command.notes ?? []) lines.push("", wrap(note));
  if (command.kind === "job") lines.push("", wrap(credentials), wrap(exitCodes), wrap(jsonErrors));
  lines.push("", "Examples:", ...command.examples.map((e) => `  ${program} ${e}`));
  return lines.join("\n");
}

function flagRows(flags: readonly FlagSpec[]): string[] {
  return table(
    flags.map((f): [string, string] => [
      `${f.short === undefined ? "" : `-${f.short}, `}--${f.name}${f.value === undefined ? "" : ` ${f.value}`}`,
      `${f.description}${f.multiple === true ? "; repeatable" : ""}`,
    ]),
  );
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** Wraps a paragraph at 100 columns. */
function wrap(text: string, width = 100): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") out.push(line);
  return out.join("\n");
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

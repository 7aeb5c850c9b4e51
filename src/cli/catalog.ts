/**
 * Every command of `dataproc-connect`: its words, arguments, flags, help text
 * and examples. This file is the CLI's reference; the implementations in
 * commands/ are loaded only when a command runs.
 *
 * @module
 */
import type { CommandDef, JobCommandDef } from "./command.js";
import { jobFlags } from "./globals.js";
import { jobKinds, specInput, submitKindFlags } from "./job-kinds.js";

const jobId = { name: "JOB_ID", description: "id of the job" };
const emu = "--endpoint http://127.0.0.1:50051 --cluster c9qemulator0cluster1";

const submitCommands: JobCommandDef[] = jobKinds.map((kind) => ({
  kind: "job",
  path: ["submit", kind.name],
  summary: `submit ${kind.summary}`,
  positionals: [],
  flags: submitKindFlags(kind),
  notes: [
    "Prints the job id at once. With --wait, waits for the end and exits 1 unless the job ends DONE; " +
      "with --follow, also prints the log to stdout as it grows (the job lines then go to stderr). " +
      "Ctrl-C stops waiting (exit 130); the job keeps running.",
  ],
  examples: [kind.example],
  check: ({ flags, job }) => void specInput(kind, job.service, flags),
  load: () => import("./commands/yandex-jobs.js"),
}));

const clusterId = { name: "CLUSTER_ID", description: "id of the cluster" };
/** `clusters …` take the job flags but the cluster's, and say where to list. */
const clusterFlags = [
  ...jobFlags.filter((f) => !["cluster", "cluster-name", "folder-id"].includes(f.name)),
  { name: "folder-id", type: "string", value: "ID", description: "folder to list (list only); default $YC_FOLDER_ID" },
] as const;
const clusterPoll = { name: "poll-interval", type: "string", value: "S", description: "seconds between status polls while waiting" } as const;
const clusterEmu = "--endpoint http://127.0.0.1:50051";
const loadClusters = () => import("./commands/yandex-clusters.js");
const clusterNotes = [
  '--json prints {"cloud","clusterId","name","status","state","createdAt","cluster"} per cluster: status as the API spells it ' +
    "(RUNNING), state one of creating, starting, running, stopping, stopped, updating, deleting, error, unknown; times RFC 3339.",
];

const clusterCommands: CommandDef[] = [
  {
    kind: "tool",
    path: ["clusters", "list"],
    summary: "list the clusters of a folder (ClusterService.List)",
    positionals: [],
    flags: [
      ...clusterFlags,
      { name: "name", type: "string", value: "NAME", description: "only the cluster with this name" },
      { name: "limit", type: "string", value: "N", description: "print at most N clusters" },
    ],
    notes: clusterNotes,
    examples: [`clusters list ${clusterEmu} --folder-id b1gemulator0folder01`, "clusters list --service spark --json"],
    load: loadClusters,
  },
  {
    kind: "tool",
    path: ["clusters", "get"],
    summary: "show a cluster (ClusterService.Get)",
    positionals: [clusterId],
    flags: clusterFlags,
    notes: clusterNotes,
    examples: [`clusters get c9qemulator0cluster1 ${clusterEmu} --json`],
    load: loadClusters,
  },
  {
    kind: "tool",
    path: ["clusters", "start"],
    summary: "start a stopped cluster and wait until it is RUNNING",
    positionals: [clusterId],
    flags: [...clusterFlags, clusterPoll],
    notes: ["Ctrl-C stops waiting (exit 130); the cluster keeps starting.", ...clusterNotes],
    examples: [`clusters start c9qemulator0cluster1 ${clusterEmu}`],
    load: loadClusters,
  },
  {
    kind: "tool",
    path: ["clusters", "stop"],
    summary: "stop a cluster and wait until it is STOPPED (it refuses jobs until started)",
    positionals: [clusterId],
    flags: [...clusterFlags, clusterPoll],
    notes: ["Ctrl-C stops waiting (exit 130); the cluster keeps stopping.", ...clusterNotes],
    examples: [`clusters stop c9qemulator0cluster1 ${clusterEmu}`],
    load: loadClusters,
  },
];

/** All commands, in help order. */
export const commands: readonly CommandDef[] = [
  ...submitCommands,
  {
    kind: "job",
    path: ["get"],
    summary: "show a job",
    positionals: [jobId],
    flags: [],
    examples: [`get c9qjob… ${emu}`, "get c9qjob… --cluster c9q… --json"],
    load: () => import("./commands/yandex-jobs.js"),
  },
  {
    kind: "job",
    path: ["list"],
    summary: "list the jobs of a cluster, oldest first (or --newest-first)",
    positionals: [],
    flags: [
      { name: "name", type: "string", value: "NAME", description: 'only jobs with this name (the filter name="NAME")' },
      { name: "filter", type: "string", value: "EXPR", description: 'a filter expression of the API, e.g. name="wordcount"' },
      { name: "limit", type: "string", value: "N", description: "print at most N jobs" },
      {
        name: "newest-first",
        type: "boolean",
        description: "newest jobs first (reads every page before printing); default: the service's order, oldest first",
      },
    ],
    notes: [
      "Jobs come in the service's order, oldest first, printed as each page arrives. With --newest-first every " +
        "page is read first and the jobs are sorted by creation time; --limit then keeps the newest N.",
    ],
    examples: [`list ${emu}`, "list --cluster c9q… --name wordcount --newest-first --limit 5 --json"],
    load: () => import("./commands/yandex-jobs.js"),
  },
  {
    kind: "job",
    path: ["logs"],
    summary: "print a job's log",
    positionals: [jobId],
    flags: [{ name: "follow", type: "boolean", description: "keep printing while the job runs; stop when it ends" }],
    notes: ["The log goes to stdout as is; with --json, as {\"jobId\",\"log\"} objects, one per chunk."],
    examples: [`logs c9qjob… ${emu} --follow`],
    load: () => import("./commands/yandex-jobs.js"),
  },
  {
    kind: "job",
    path: ["cancel"],
    summary: "cancel a job",
    positionals: [jobId],
    flags: [
      { name: "wait", type: "boolean", description: "wait until the job stops; exit 1 unless it ends CANCELLED" },
      { name: "poll-interval", type: "string", value: "S", description: "seconds between status polls while waiting" },
    ],
    notes: ["A job that has already ended cannot be cancelled: exit 1, FAILED_PRECONDITION naming its final status (the same on every cloud)."],
    examples: [`cancel c9qjob… ${emu} --wait`],
    load: () => import("./commands/yandex-jobs.js"),
  },
  ...clusterCommands,
  {
    kind: "tool",
    path: ["emulator"],
    summary: "run a local emulator of every cloud's job API (Yandex gRPC and REST, AWS EMR Serverless, Huawei MRS)",
    positionals: [],
    flags: [
      { name: "port", type: "string", value: "N", description: "port to listen on (default: any free port)" },
      { name: "rest-port", type: "string", value: "N", description: "port of the REST/JSON face (Yandex REST, AWS, Huawei; default: any free port)" },
      { name: "host", type: "string", value: "ADDR", description: "address to bind (default 127.0.0.1)" },
      { name: "cluster", type: "string", multiple: true, value: "ID", description: "a cluster id to serve (default: c9qemulator0cluster1)" },
      {
        name: "key-file",
        type: "string",
        value: "PATH",
        description: "write a service-account authorized key file the emulator trusts",
      },
      { name: "oauth-token", type: "string", multiple: true, value: "TOKEN", description: "an OAuth token IamTokenService.Create accepts" },
      { name: "poll-interval", type: "string", value: "S", description: "x-operation-poll-interval header, seconds (default 1)" },
      { name: "compression", type: "string", value: "gzip|none", description: "compress gRPC responses for clients that accept gzip (default gzip)" },
    ],
    notes: [
      "Serves gRPC over HTTP/2 (h2c) and a REST/JSON face over HTTP/1.1 until SIGINT/SIGTERM, then exits 0. Prints its URL, " +
        "a ready IAM token and its cluster ids, then ready-to-paste export lines for every cloud: YC_ENDPOINT and YC_IAM_TOKEN " +
        "(Yandex gRPC), YC_REST_ENDPOINT (--transport rest), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and " +
        "AWS_ENDPOINT_URL (--cloud aws), HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID and " +
        "HUAWEICLOUD_MRS_ENDPOINT (--cloud huawei).",
      "Jobs take about 3 s. On every cloud the job property (AWS: tag) emulator.duration_ms=N sets the running time and " +
        "emulator.outcome how the job ends: succeeded (also done, success) or failed (also error); emulator.log_bytes=N " +
        "sets a Yandex job's log size.",
      "With --host 0.0.0.0 (or another non-loopback address) it is plaintext on the network: the export lines " +
        "then name this machine and add DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS, which clients need to accept " +
        "plaintext to a non-loopback host. Use it on a trusted network only.",
    ],
    examples: ["emulator --port 50051 --key-file ./sa-key.json"],
    load: () => import("./commands/emulator.js"),
  },
];

/**
 * The command `argv` starts with, and the arguments after its words.
 * `undefined` when the first words name no command.
 */
export function findCommand(argv: readonly string[]): { command: CommandDef; rest: readonly string[] } | undefined {
  for (const command of commands) {
    if (command.path.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(command.path.length) };
  }
  return undefined;
}

/**
 * The flags every job command shares (`submit`, `get`, `list`, `logs`,
 * `cancel`): which service, where, how to print, which cluster, which
 * credentials. Reading them needs no library code, so a missing `--cluster`
 * fails before anything heavy is loaded.
 *
 * @module
 */
import type { FlagSpec, Flags } from "./args.js";
import { UsageError } from "./exit.js";

/** The job service a command talks to. */
export type ServiceName = "dataproc" | "spark";

/** The shared job-command options, checked. */
export interface JobOptions {
  /** `dataproc` (`yandex.cloud.dataproc.v1.JobService`) or `spark` (`yandex.cloud.spark.v1.JobService`). */
  readonly service: ServiceName;
  /** One base URL for every API (e.g. the emulator's); default: the public endpoints. */
  readonly endpoint: string | undefined;
  /** Machine-readable output: one JSON object per line on stdout. */
  readonly json: boolean;
  /** The cluster: `--cluster`, or `""` until `--cluster-name` is resolved (see {@link JobOptions.clusterName}). */
  readonly clusterId: string;
  /** `--cluster-name`: the job command resolves it to `clusterId` (findClusterByName) before anything else. */
  readonly clusterName?: string;
  /** `--folder-id` (else `YC_FOLDER_ID`): where `--cluster-name` is looked up. */
  readonly folderId?: string;
  /** A service-account authorized key file to sign in with, instead of the environment. */
  readonly keyFile: string | undefined;
  /** `grpc` (default) or `rest` (REST/JSON over HTTP/1.1; Data Proc only). */
  readonly transport: "grpc" | "rest";
}

/** `--help`/`-h`, accepted by every command. */
export const helpFlag: FlagSpec = { name: "help", short: "h", type: "boolean", description: "show this help" };

/** The shared flags, in help order. */
export const jobFlags: readonly FlagSpec[] = [
  {
    name: "cloud",
    type: "string",
    value: "NAME",
    choices: ["yandex", "aws", "huawei"],
    description: "yandex (default), aws (EMR Serverless) or huawei (MRS): see \"--cloud aws --help\"",
  },
  { name: "cluster", type: "string", value: "ID", description: "cluster id (this or --cluster-name is required)" },
  { name: "cluster-name", type: "string", value: "NAME", description: "cluster name, looked up in --folder-id (instead of --cluster)" },
  { name: "folder-id", type: "string", value: "ID", description: "folder of --cluster-name; default $YC_FOLDER_ID" },
  {
    name: "service",
    type: "string",
    value: "NAME",
    choices: ["dataproc", "spark"],
    description: "dataproc (Data Proc, default) or spark (Managed Spark)",
  },
  {
    name: "endpoint",
    type: "string",
    value: "URL",
    description:
      "base URL of every API, e.g. an emulator's http://127.0.0.1:PORT (plaintext only to loopback); default: $YC_ENDPOINT " +
      "($YC_REST_ENDPOINT first with --transport rest), else the public endpoints",
  },
  {
    name: "transport",
    type: "string",
    value: "KIND",
    choices: ["grpc", "rest"],
    description: "grpc (default) or rest: REST/JSON over HTTP/1.1 (Data Proc only; against the emulator use its rest: URL)",
  },
  { name: "json", type: "boolean", description: "print results as JSON, one object per line" },
  {
    name: "key-file",
    type: "string",
    value: "PATH",
    description: "sign in with this service-account authorized key file instead of the environment",
  },
];

/**
 * Reads and checks the shared flags. The endpoint is `--endpoint`, else the
 * environment's `YC_ENDPOINT` (with `--transport rest`, `YC_REST_ENDPOINT`
 * first): what `dataproc-connect emulator` prints.
 *
 * @throws UsageError when `--cluster` is missing or empty, or the endpoint
 *   has no `http://` / `https://` scheme.
 */
export function readJobOptions(flags: Flags, env: Readonly<Record<string, string | undefined>> = {}): JobOptions {
  const clusterId = flags.string("cluster");
  const clusterName = flags.string("cluster-name");
  if (clusterId !== undefined && clusterName !== undefined) throw new UsageError("give --cluster or --cluster-name, not both");
  if (clusterName !== undefined) {
    if (clusterName.trim() === "") throw new UsageError("--cluster-name must not be empty");
    const folderId = flags.string("folder-id") ?? (env["YC_FOLDER_ID"] || undefined);
    if (folderId === undefined) throw new UsageError("--cluster-name needs --folder-id (or YC_FOLDER_ID) to look the name up in");
    return { ...readYandexOptions(flags, env), clusterId: "", clusterName, folderId };
  }
  if (clusterId === undefined || clusterId.trim() === "") throw new UsageError("--cluster is required");
  return { ...readYandexOptions(flags, env), clusterId };
}

/**
 * The shared flags but the cluster: service, endpoint, transport, key file,
 * `--json` (what the `clusters` commands take too).
 *
 * @throws UsageError when the endpoint has no `http://` / `https://` scheme.
 */
export function readYandexOptions(flags: Flags, env: Readonly<Record<string, string | undefined>> = {}): Omit<JobOptions, "clusterId"> {
  const fromFlag = flags.string("endpoint");
  const rest = flags.string("transport") === "rest";
  // Over REST the emulator's REST face is another port: YC_REST_ENDPOINT, as `emulator` prints it.
  const envName = rest && env["YC_REST_ENDPOINT"] ? "YC_REST_ENDPOINT" : "YC_ENDPOINT";
  const endpoint = fromFlag ?? (env[envName] || undefined);
  if (endpoint !== undefined) checkScheme(endpoint, fromFlag === undefined ? envName : "--endpoint");
  return {
    service: flags.string("service") === "spark" ? "spark" : "dataproc",
    endpoint,
    json: flags.boolean("json"),
    keyFile: flags.string("key-file"),
    transport: flags.string("transport") === "rest" ? "rest" : "grpc",
  };
}

/**
 * `127.0.0.1:50051` parses as a URL with the scheme `127.0.0.1:`; say what
 * is missing and what to type instead of failing later with a puzzle.
 */
function checkScheme(endpoint: string, source: string): void {
  if (/^https?:\/\/[^/]/i.test(endpoint)) return;
  const shown = JSON.stringify(endpoint);
  if (!endpoint.includes("://")) {
    throw new UsageError(
      `${source} ${shown} has no scheme: write http://${endpoint} for a plaintext server such as the emulator, ` +
        `or https://${endpoint} for TLS`,
    );
  }
  throw new UsageError(`${source} ${shown}: only http:// (plaintext, loopback) and https:// endpoints are supported`);
}

/**
 * The shared flags that select this job again, for a command line to
 * suggest: `--cluster`, and `--service`, `--endpoint`, `--key-file` when
 * they differ from the defaults (an endpoint from `YC_ENDPOINT` too, so the
 * line works in any shell).
 *
 * @example
 * ```ts
 * jobSelector({ ...options, service: "spark" }, "c9q…"); // "--cluster c9q… --service spark"
 * ```
 */
export function jobSelector(options: JobOptions, clusterId: string): string {
  const parts = ["--cluster", shellWord(clusterId)];
  if (options.service !== "dataproc") parts.push("--service", options.service);
  if (options.endpoint !== undefined) parts.push("--endpoint", shellWord(options.endpoint));
  if (options.keyFile !== undefined) parts.push("--key-file", shellWord(options.keyFile));
  return parts.join(" ");
}

/** `word` as a POSIX shell word: as is when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

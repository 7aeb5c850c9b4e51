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
  readonly clusterId: string;
  /** A service-account authorized key file to sign in with, instead of the environment. */
  readonly keyFile: string | undefined;
  /** `grpc` (default) or `rest` (REST/JSON over HTTP/1.1; Data Proc only). */
  readonly transport: "grpc" | "rest";
}

/** `--help`/`-h`, accepted by every command. */
export const helpFlag: FlagSpec = { name: "help", short: "h", type: "boolean", description: "show this help" };

/** The shared flags, in help order. */
export const jobFlags: readonly FlagSpec[] = [
  { name: "cluster", type: "string", value: "ID", description: "cluster id (required)" },
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
    description: "base URL of every API, e.g. an emulator's http://127.0.0.1:PORT (plaintext only to loopback)",
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
 * Reads and checks the shared flags.
 *
 * @throws UsageError when `--cluster` is missing or empty.
 */
export function readJobOptions(flags: Flags): JobOptions {
  const clusterId = flags.string("cluster");
  if (clusterId === undefined || clusterId.trim() === "") throw new UsageError("--cluster is required");
  return {
    service: flags.string("service") === "spark" ? "spark" : "dataproc",
    endpoint: flags.string("endpoint"),
    json: flags.boolean("json"),
    clusterId,
    keyFile: flags.string("key-file"),
    transport: flags.string("transport") === "rest" ? "rest" : "grpc",
  };
}

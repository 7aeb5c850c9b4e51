/**
 * What `submit <kind>` accepts: per job kind, the flags (named after the spec
 * fields in kebab-case), which service offers the kind, which flags are
 * required or mutually exclusive, and how the flags become the input of the
 * library's spec builders (`dataprocJobs.*`, `managedSparkJobs.*`).
 *
 * The checks here mirror the proto's `required` and `exactly_one` rules so
 * that a bad command line fails with a flag name, before any library code is
 * loaded or any request is sent. Everything else (lengths, patterns, sizes)
 * is left to the client's own validation.
 *
 * @module
 */
import { keyValues } from "./args.js";
import type { FlagSpec, Flags } from "./args.js";
import { UsageError } from "./exit.js";
import type { ServiceName } from "./globals.js";

/** A flag that sets one field of a job spec. */
export interface SpecFlag extends FlagSpec {
  /** The builder's property (the field's `localName`), e.g. `mainJarFileUri`. */
  readonly field: string;
  /** Repeatable `KEY=VALUE` collected into a map field. */
  readonly map?: boolean;
}

export type JobKindName = "spark" | "pyspark" | "hive" | "mapreduce" | "spark-connect";

export interface JobKindDef {
  readonly name: JobKindName;
  readonly summary: string;
  /** Services whose `CreateJobRequest.job_spec` has this kind. */
  readonly services: readonly ServiceName[];
  readonly flags: readonly SpecFlag[];
  /** Flags that must be given. */
  readonly required: readonly string[];
  /** A oneof of the spec: exactly one of these flags must be given. */
  readonly exactlyOne?: readonly [string, string];
  readonly example: string;
}

const uri = (name: string, field: string, description: string): SpecFlag => ({
  name,
  field,
  type: "string",
  value: "URI",
  description,
});
const uris = (name: string, field: string, description: string): SpecFlag => ({
  name,
  field,
  type: "string",
  multiple: true,
  value: "URI",
  description,
});
const list = (name: string, field: string, value: string, description: string): SpecFlag => ({
  name,
  field,
  type: "string",
  multiple: true,
  value,
  description,
});
const pairs = (name: string, field: string, description: string): SpecFlag => ({
  name,
  field,
  type: "string",
  multiple: true,
  map: true,
  value: "KEY=VALUE",
  description,
});

// Program arguments and queries may well start with "-" ("--verbose", "-- comment").
const args: SpecFlag = { ...list("arg", "args", "ARG", "argument of the main program"), dashValues: true };
const jarFileUris = uris("jar-file-uri", "jarFileUris", "jar to add to the classpath");
const fileUris = uris("file-uri", "fileUris", "file to copy to the working directory");
const archiveUris = uris("archive-uri", "archiveUris", "archive to unpack in the working directory");
const properties = pairs("property", "properties", "job property, e.g. spark.executor.memory=4g");
const packages = list("package", "packages", "GROUP:ARTIFACT:VERSION", "Maven package to add");
const repositories = list("repository", "repositories", "URL", "extra Maven repository");
const excludePackages = list("exclude-package", "excludePackages", "GROUP:ARTIFACT", "package to exclude");
const mavenFlags = [packages, repositories, excludePackages];

/** Every kind `submit` knows, in help order. */
export const jobKinds: readonly JobKindDef[] = [
  {
    name: "spark",
    summary: "a Spark (Java/Scala) job",
    services: ["dataproc", "spark"],
    flags: [
      uri("main-jar-file-uri", "mainJarFileUri", "jar with the main class (required)"),
      { name: "main-class", field: "mainClass", type: "string", value: "CLASS", description: "main class" },
      args,
      jarFileUris,
      fileUris,
      archiveUris,
      properties,
      ...mavenFlags,
    ],
    required: ["main-jar-file-uri"],
    example: "submit spark --cluster c9q… --main-jar-file-uri s3a://bucket/app.jar --main-class com.example.App --arg in --wait",
  },
  {
    name: "pyspark",
    summary: "a PySpark job",
    services: ["dataproc", "spark"],
    flags: [
      uri("main-python-file-uri", "mainPythonFileUri", "main Python file (required)"),
      uris("python-file-uri", "pythonFileUris", "Python file to add to the PYTHONPATH (.py, .zip, .egg)"),
      args,
      jarFileUris,
      fileUris,
      archiveUris,
      properties,
      ...mavenFlags,
    ],
    required: ["main-python-file-uri"],
    example: "submit pyspark --cluster c9q… --main-python-file-uri s3a://bucket/main.py --follow",
  },
  {
    name: "hive",
    summary: "a Hive job (Data Proc only)",
    services: ["dataproc"],
    flags: [
      uri("query-file-uri", "queryFileUri", "script with the queries (or --query)"),
      { ...list("query", "queries", "SQL", "a query to run (or --query-file-uri)"), dashValues: true },
      {
        name: "continue-on-failure",
        field: "continueOnFailure",
        type: "boolean",
        description: "run the remaining queries when one fails",
      },
      pairs("script-variable", "scriptVariables", "script variable"),
      properties,
      jarFileUris,
    ],
    required: [],
    exactlyOne: ["query-file-uri", "query"],
    example: "submit hive --cluster c9q… --query 'SELECT count(*) FROM t' --wait",
  },
  {
    name: "mapreduce",
    summary: "a MapReduce job (Data Proc only)",
    services: ["dataproc"],
    flags: [
      uri("main-jar-file-uri", "mainJarFileUri", "jar whose manifest names the driver (or --main-class)"),
      {
        name: "main-class",
        field: "mainClass",
        type: "string",
        value: "CLASS",
        description: "driver class on the classpath (or --main-jar-file-uri)",
      },
      args,
      jarFileUris,
      fileUris,
      archiveUris,
      properties,
    ],
    required: [],
    exactlyOne: ["main-jar-file-uri", "main-class"],
    example: "submit mapreduce --cluster c9q… --main-class org.apache.hadoop.examples.WordCount --arg in --arg out",
  },
  {
    name: "spark-connect",
    summary: "a Spark Connect server (Managed Spark only)",
    services: ["spark"],
    flags: [jarFileUris, fileUris, archiveUris, properties, ...mavenFlags],
    required: [],
    example: "submit spark-connect --service spark --cluster c9q… --package org.apache.spark:spark-avro_2.12:3.5.1",
  },
];

/** Flags of `submit` that are not spec fields. */
export const submitFlags: readonly FlagSpec[] = [
  { name: "name", type: "string", value: "NAME", description: "job name ([a-z][-a-z0-9]{1,61}[a-z0-9])" },
  { name: "wait", type: "boolean", description: "wait until the job ends; exit 1 unless it ends DONE" },
  { name: "follow", type: "boolean", description: "print the log as it grows, then wait (implies --wait)" },
  { name: "poll-interval", type: "string", value: "S", description: "seconds between status polls while waiting (default: the library's growing delays)" },
];

/** Request fields only Managed Spark has; offered by the kinds it runs. */
export const managedSparkFlags: readonly FlagSpec[] = [
  { name: "service-account-id", type: "string", value: "ID", description: "service account the job runs as (--service spark)" },
  { name: "environment-id", type: "string", value: "ID", description: "environment to run in (--service spark)" },
];

/** The kind named `name`, if any. */
export function findJobKind(name: string): JobKindDef | undefined {
  return jobKinds.find((k) => k.name === name);
}

/** Every flag `submit <kind>` accepts, except the shared job flags. */
export function submitKindFlags(kind: JobKindDef): FlagSpec[] {
  return [...kind.flags, ...submitFlags, ...(kind.services.includes("spark") ? managedSparkFlags : [])];
}

/**
 * Checks the command line of `submit <kind>` for `service` and turns its
 * spec flags into the builder input, e.g. `{ mainJarFileUri, args: [...] }`.
 * Flags that were not given are left out, so the builder sees only what the
 * user set.
 *
 * @throws UsageError for a kind the service does not run, a Managed-Spark-only
 *   flag with Data Proc, a missing required flag, both or neither of a oneof's
 *   flags, or a malformed `KEY=VALUE`.
 */
export function specInput(kind: JobKindDef, service: ServiceName, flags: Flags): Record<string, unknown> {
  if (!kind.services.includes(service)) {
    const offered = jobKinds.filter((k) => k.services.includes(service)).map((k) => k.name);
    throw new UsageError(`--service ${service} runs no ${kind.name} jobs (it runs ${offered.join(", ")})`);
  }
  if (service !== "spark") {
    const sparkOnly = managedSparkFlags.find((f) => flags.has(f.name));
    if (sparkOnly !== undefined) throw new UsageError(`--${sparkOnly.name} needs --service spark`);
  }
  for (const name of kind.required) {
    if (!flags.has(name)) throw new UsageError(`submit ${kind.name}: --${name} is required`);
  }
  if (kind.exactlyOne !== undefined) {
    const [a, b] = kind.exactlyOne;
    if (flags.has(a) && flags.has(b)) throw new UsageError(`submit ${kind.name}: give --${a} or --${b}, not both`);
    if (!flags.has(a) && !flags.has(b)) throw new UsageError(`submit ${kind.name}: give --${a} or --${b}`);
  }
  const input: Record<string, unknown> = {};
  for (const flag of kind.flags) {
    if (!flags.has(flag.name)) continue;
    if (flag.type === "boolean") input[flag.field] = flags.boolean(flag.name);
    else if (flag.map === true) input[flag.field] = keyValues(flag.name, flags.strings(flag.name));
    else if (flag.multiple === true) input[flag.field] = flags.strings(flag.name);
    else input[flag.field] = flags.string(flag.name);
  }
  return input;
}

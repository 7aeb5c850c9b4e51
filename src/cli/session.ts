/**
 * The client a job command works with: a `YandexCloud` built from the shared
 * flags, the job service it talks to and that service's `Job` schema (for
 * JSON output).
 *
 * Credentials come from the same chain as the library's default
 * (`fromEnvironment`), or from `--key-file`. Problems the user must fix —
 * an unreadable key file, a malformed `--endpoint`, plaintext HTTP to a
 * non-loopback host (refused by the library) — are usage errors raised here,
 * before any request.
 *
 * @module
 */
import { CredentialsError, createYandexCloud, fromEnvironment, serviceAccountKey } from "../index.js";
import type { Credentials, JobRef, JobServiceDesc, YandexClient, YandexCloud } from "../index.js";
import { JobSchema as DataprocJobSchema, JobService as DataprocJobService } from "../yandex/dataproc/v1/index.js";
import { JobSchema as SparkJobSchema, JobService as SparkJobService } from "../yandex/spark/v1/index.js";
import { UsageError } from "./exit.js";
import type { JobOptions } from "./globals.js";
import { serviceHasHttpRules } from "../rest/http-rule.js";

export interface Session {
  readonly cloud: YandexCloud;
  readonly service: JobServiceDesc;
  /** The typed client of `service` (already checked against the endpoint rules). */
  readonly jobs: YandexClient<JobServiceDesc>;
  /** `Job` of `service`, for `toJson`. */
  readonly jobSchema: typeof DataprocJobSchema | typeof SparkJobSchema;
  readonly options: JobOptions;
  /** The job `jobId` in the selected cluster. */
  ref(jobId: string): JobRef;
  /** Closes the HTTP/2 sessions so the process can exit. */
  close(): void;
}

/**
 * Opens a session for the shared flags.
 *
 * @throws UsageError for a bad key file, endpoint or missing credentials that
 *   can be told without a request.
 */
export function openSession(options: JobOptions, env: Readonly<Record<string, string | undefined>> = process.env): Session {
  let credentials: Credentials;
  try {
    credentials = options.keyFile === undefined ? fromEnvironment(env) : serviceAccountKey(options.keyFile);
  } catch (error) {
    if (error instanceof CredentialsError) throw new UsageError(`credentials: ${error.message}`);
    throw error;
  }
  const cloud = createYandexCloud({
    credentials,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    transport: options.transport,
  });
  const spark = options.service === "spark";
  const service: JobServiceDesc = spark ? SparkJobService : DataprocJobService;
  let jobs: YandexClient<JobServiceDesc>;
  try {
    // Resolves and checks the endpoint now, so a bad --endpoint is a usage error.
    jobs = cloud.client(service);
  } catch (error) {
    cloud.close();
    const flag = options.transport === "rest" && !serviceHasHttpRules(service) ? "--transport rest" : `--endpoint ${options.endpoint ?? ""}`;
    throw new UsageError(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    cloud,
    service,
    jobs,
    jobSchema: spark ? SparkJobSchema : DataprocJobSchema,
    options,
    ref: (jobId) => ({ clusterId: options.clusterId, jobId }),
    close: () => cloud.close(),
  };
}

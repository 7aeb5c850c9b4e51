import type { Readable } from "node:stream";
import type { YandexCloud } from "../client/factory.js";
import type { JobRef, JobServiceDesc } from "./job-services.js";
import { rawLogService } from "./raw-log.js";
import { isTerminal } from "./status.js";
import { nodeBuiltin } from "../util/node-builtin.js";

export interface JobLogsOptions {
  /**
   * Keep reading while the job runs; end once it is terminal and the log is
   * drained. Default false: read what exists now and stop.
   */
  readonly follow?: boolean;
  /** Stops reading at once. */
  readonly signal?: AbortSignal;
  /** Bytes per page (≤ 1 MiB). Default: the service's (1 MiB). */
  readonly pageSize?: number;
  /** Delay between polls once caught up with a running job. Default 1 s. */
  readonly pollIntervalMs?: number;
}

/** Largest piece of text yielded at once. */
const SLICE_BYTES = 64 * 1024;

/** ListLog answered with `content` as bytes (see rawLogService). */
interface RawLogPage {
  readonly content: Uint8Array;
  readonly nextPageToken: string;
}

type RawLogClient = {
  listLog(request: { clusterId: string; jobId: string; pageToken: string; pageSize: bigint }, options: { signal?: AbortSignal }): Promise<RawLogPage>;
};

/**
 * A job's output as an async iterable of text chunks, read through
 * `JobService.ListLog` page by page.
 *
 * Pages are cut by bytes, so a multi-byte character may be split between two
 * of them: the pages are read as bytes and decoded by one streaming UTF-8
 * decoder, so every character comes out whole and no byte is lost or
 * repeated. With `follow`, when it has caught up it checks the job with
 * `Get` and waits `pollIntervalMs` before reading on; once the job is
 * terminal it drains what is left and ends.
 *
 * @example
 * ```ts
 * for await (const text of jobLogs(cloud, JobService, { clusterId, jobId }, { follow: true })) {
 *   process.stdout.write(text);
 * }
 * ```
 */
export async function* jobLogs(
  cloud: YandexCloud,
  service: JobServiceDesc,
  ref: JobRef,
  options: JobLogsOptions = {},
): AsyncGenerator<string, void, undefined> {
  const raw = cloud.client(rawLogService(service)) as unknown as RawLogClient;
  const jobs = cloud.client(service);
  const decoder = new TextDecoder("utf-8");
  const { signal, follow = false } = options;
  const pageSize = BigInt(options.pageSize ?? 0);
  let pageToken = "";
  let finalRead = false;
  for (;;) {
    const page = await raw.listLog({ clusterId: ref.clusterId, jobId: ref.jobId, pageToken, pageSize }, { signal });
    // Decode and hand over in slices: a 1 MiB page turned into one 1 MiB
    // string (next to its buffer) lingers until a full GC and pushed peak
    // memory up when following large logs.
    for (let at = 0; at < page.content.length; at += SLICE_BYTES) {
      const text = decoder.decode(page.content.subarray(at, at + SLICE_BYTES), { stream: true });
      if (text) yield text;
    }
    if (page.nextPageToken === "") break; // the whole log has been read
    const progressed = page.content.length > 0 || page.nextPageToken !== pageToken;
    pageToken = page.nextPageToken;
    if (progressed) continue;
    // Caught up with a log that may still grow.
    if (!follow || finalRead) break;
    const job = await jobs.get({ clusterId: ref.clusterId, jobId: ref.jobId }, { signal });
    if (isTerminal(job)) {
      finalRead = true; // read once more: output written just before the end
      continue;
    }
    await cloud.sleep(options.pollIntervalMs ?? 1_000, signal);
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * {@link jobLogs} as a Node `Readable` of UTF-8 text, for `pipe()`-style code.
 *
 * @example
 * ```ts
 * jobLogStream(cloud, JobService, { clusterId, jobId }, { follow: true }).pipe(process.stdout);
 * ```
 */
export function jobLogStream(cloud: YandexCloud, service: JobServiceDesc, ref: JobRef, options: JobLogsOptions = {}): Readable {
  return nodeBuiltin<typeof import("node:stream")>("node:stream", "jobLogStream").Readable.from(jobLogs(cloud, service, ref, options), { objectMode: false, encoding: "utf8" });
}

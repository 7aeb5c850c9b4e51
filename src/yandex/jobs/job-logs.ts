import type { Readable } from "node:stream";
import type { YandexCloud } from "../cloud.js";
import type { JobRef, JobServiceDesc } from "./job-services.js";
import { rawLogService } from "./raw-log.js";
import { isTerminal } from "./status.js";
import { Code } from "@connectrpc/connect";
import { localError } from "../errors.js";
import { Poller } from "../../core/poll.js";
import type { PollOptions } from "../../core/poll.js";
import { PagingGuard } from "../../core/paging-guard.js";
import { jobPollFailures } from "./wait-for-job.js";
import { waitSpan } from "../../core/tracing.js";
import { int64Option } from "../../validation/types.js";
import { nodeBuiltin } from "../../util/node-builtin.js";

/**
 * How to read a job's log. With `follow`, the shared {@link PollOptions}
 * apply to the pauses between reads once caught up: `initialDelayMs`
 * (default 1 s), `maxDelayMs` (default 5 s), `policy` (with
 * `"growing-cap"` the cap grows with the time since text last arrived),
 * `timeoutMs` (stop following with DEADLINE_EXCEEDED), `signal` (stop at
 * once with CANCELED).
 */
export interface JobLogsOptions extends PollOptions {
  /**
   * Keep reading while the job runs; end once it is terminal and the log is
   * drained. Default false: read what exists now and stop.
   */
  readonly follow?: boolean;
  /** Bytes per page (≤ 1 MiB). Default: the service's (1 MiB). */
  readonly pageSize?: number;
}

/** ListLog's page size when the request leaves it to the service (the docs: 1 MiB). */
const servicePageBytes = 1024 * 1024;

/** Largest piece of text yielded at once. */
const sliceBytes = 64 * 1024;

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
 * repeated.
 *
 * With `follow`, a full page is followed by the next read at once; a short
 * or empty page means the reader has caught up with a log that may still
 * grow, so it checks the job with `Get` and pauses before reading on — the
 * pause grows while pages stay empty and starts over once text arrives, so
 * a log that trickles costs a few reads a second at most. Once the job is
 * terminal it drains what is left and ends. A server that answers a page
 * token it already answered with text again (which would repeat output
 * forever), or that cycles through tokens with empty pages while the reader
 * is not following, ends the read with INTERNAL (see `PagingGuard`).
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
  const { follow = false } = options;
  const poller = new Poller(
    cloud,
    options,
    { initialDelayMs: 1_000, maxDelayMs: 5_000 },
    jobPollFailures(cloud, service, ref.jobId, `the log of job ${ref.jobId}`),
  );
  const fullPage = options.pageSize ? options.pageSize : servicePageBytes;
  const pageSize = int64Option(options.pageSize);
  const guard = new PagingGuard(`ListLog of job ${ref.jobId}`, (message) =>
    localError(Code.Internal, message, { method: `/${service.typeName}/ListLog`, endpoint: cloud.endpointOf(service), registry: cloud.registry }),
  );
  let pageToken = "";
  let finalRead = false;
  // One INTERNAL span for the whole read (`follow JobService/ListLog`), ended
  // however the loop ends: done, failed, or the consumer stopped iterating.
  const span = waitSpan(cloud, follow ? "follow" : "read", `/${service.typeName}/ListLog`);
  let failure: unknown;
  try {
    for (;;) {
      poller.checkAborted();
      const page = await span.poll(() => raw.listLog({ clusterId: ref.clusterId, jobId: ref.jobId, pageToken, pageSize }, { signal: poller.signal }));
      // Ends a loop the server drives: a token answered with text again, or
      // (not following, or draining) a cycle of tokens without new text.
      guard.logPage(pageToken, page.content.length, page.nextPageToken, !follow || finalRead);
      // Decode and hand over in slices: a 1 MiB page turned into one 1 MiB
      // string (next to its buffer) lingers until a full GC and pushed peak
      // memory up when following large logs.
      for (let at = 0; at < page.content.length; at += sliceBytes) {
        const text = decoder.decode(page.content.subarray(at, at + sliceBytes), { stream: true });
        if (text) yield text;
      }
      if (page.nextPageToken === "") break; // the whole log has been read
      const progressed = page.content.length > 0 || page.nextPageToken !== pageToken;
      pageToken = page.nextPageToken;
      if (page.content.length >= fullPage) continue; // more is waiting: read on at once
      if (!follow) {
        if (progressed) continue; // read until caught up, then stop
        break;
      }
      if (finalRead) {
        if (progressed) continue; // drain the rest after the job ended
        break;
      }
      // Caught up (a short or empty page) with a log that may still grow.
      const job = await span.poll(() => jobs.get({ clusterId: ref.clusterId, jobId: ref.jobId }, { signal: poller.signal }));
      if (isTerminal(job)) {
        finalRead = true; // read once more: output written just before the end
        continue;
      }
      if (page.content.length > 0) poller.reset();
      await poller.pause();
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    span.end(failure);
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

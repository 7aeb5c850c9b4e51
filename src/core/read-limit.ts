/**
 * The largest message a client accepts from a server unless told otherwise:
 * 16 MiB, after decompression, over gRPC and REST alike.
 *
 * Why this number: the official SDKs of the gRPC APIs run on grpc-js, which
 * refuses received messages over 4 MiB, so every answer such an API gives
 * its users is under 4 MiB as protobuf; the same data as JSON (field names,
 * base64 bytes, 64-bit integers as strings) is a few times larger, and 16 MiB
 * leaves it 4×. Switching a service between gRPC and REST therefore never
 * changes which answers are accepted, while a broken or hostile server (an
 * 80 MiB frame, a gzip bomb inflating 1 000×) costs a call at most 16 MiB.
 * Larger answers fail with RESOURCE_EXHAUSTED naming the limit, are never
 * retried (the same answer would come back), and can be allowed with the
 * cloud's `readMaxBytes` option.
 *
 * @example
 * ```ts
 * createAwsCloud({ region, readMaxBytes: 64 * 1024 * 1024 }); // very large answers
 * ```
 */
export const defaultReadMaxBytes = 16 * 1024 * 1024;

/** Connect's upper bound for `readMaxBytes` (its length prefix is 32-bit). */
const maxReadMaxBytes = 0xffffffff;

/**
 * The `readMaxBytes` option of a cloud factory: {@link defaultReadMaxBytes}
 * when absent, else a whole number of bytes from 1 to 2³²−1. Throws a
 * `TypeError` naming the option otherwise, before anything is sent.
 *
 * @example
 * ```ts
 * readMaxBytesOption(undefined); // 16777216
 * readMaxBytesOption(-1);        // throws: readMaxBytes must be …
 * ```
 */
export function readMaxBytesOption(value: number | undefined): number {
  if (value === undefined) return defaultReadMaxBytes;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > maxReadMaxBytes) {
    throw new TypeError(`readMaxBytes must be a whole number of bytes from 1 to ${maxReadMaxBytes} (got ${String(value)})`);
  }
  return value;
}

import { createGunzip } from "node:zlib";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";

/**
 * Bytes inflated per step. Inflation stops at the first step that passes the
 * limit, so at most this much more than `readMaxBytes` is ever held.
 */
const inflateChunkBytes = 64 * 1024;

/**
 * gzip for received gRPC messages that stops inflating as soon as the
 * output passes the transport's `readMaxBytes`, and says how far it got.
 *
 * A 127 KiB gzip message can inflate to 128 MiB. connect-node 2.1.1's own
 * gzip passes `readMaxBytes` to zlib as `maxOutputLength`, which also stops
 * early (checked: a 128 MiB bomb against a 4 MiB limit inflates ~4.2 MB),
 * but its error tells neither the limit's option nor the bytes inflated, and
 * that bound lives in a dependency's internals. Here the bound is ours,
 * counted chunk by chunk, and the error (RESOURCE_EXHAUSTED, raised on this
 * side, so never retried) names the limit and the bytes inflated before
 * stopping. Compressing (requests) is connect-node's.
 *
 * @example
 * ```ts
 * createGrpcTransport({ baseUrl, readMaxBytes: 4 << 20, acceptCompression: boundedCompressions });
 * ```
 */
export const boundedGzip: Compression = {
  name: "gzip",
  compress: (bytes) => compressionGzip.compress(bytes),
  decompress: (bytes, readMaxBytes) => (bytes.byteLength === 0 ? Promise.resolve(new Uint8Array(0)) : inflateAtMost(bytes, readMaxBytes)),
};

/** What the gRPC transport accepts from servers: bounded gzip, and brotli (zlib's `maxOutputLength` bounds it). */
export const boundedCompressions: readonly Compression[] = [boundedGzip, compressionBrotli];

/** The message of the error for a message inflated past `limit` (matched by grpc-failure.ts). */
export function inflatedTooLarge(limit: number, inflated: number): string {
  return `message is larger than configured readMaxBytes ${limit} after decompression (stopped after inflating ${inflated} bytes)`;
}

function inflateAtMost(bytes: Uint8Array, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: inflateChunkBytes });
    const chunks: Buffer[] = [];
    let inflated = 0;
    let settled = false;
    gunzip.on("data", (chunk: Buffer) => {
      if (settled) return;
      inflated += chunk.byteLength;
      if (inflated > limit) {
        settled = true;
        // destroy() makes zlib's next step a no-op: nothing more is inflated.
        gunzip.destroy();
        reject(new ConnectError(inflatedTooLarge(limit, inflated), Code.ResourceExhausted));
        return;
      }
      chunks.push(chunk);
    });
    gunzip.on("error", (error) => {
      if (settled) return;
      settled = true;
      // As grpc-js: a message that does not inflate is INTERNAL.
      reject(new ConnectError(`decompression failed: ${error.message}`, Code.Internal, undefined, undefined, error));
    });
    gunzip.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, inflated));
    });
    gunzip.end(bytes);
  });
}

/**
 * The hashes SigV4 signs with, on the shared synchronous SHA-256
 * (src/core/sha256.ts: no `node:` import, so signing runs unchanged on Node,
 * Deno, Bun and edge runtimes).
 */
import { hmacSha256, sha256Hex as hexDigest, toHex } from "../../core/sha256.js";

export { toHex };

/** Bytes of a string (UTF-8) or the bytes themselves. */
export type BinaryLike = string | Uint8Array;

/** Hex SHA-256 of `data`. */
export async function sha256Hex(data: BinaryLike): Promise<string> {
  return hexDigest(data);
}

/** HMAC-SHA256 of `data` under `key`. */
export async function hmac(key: BinaryLike, data: BinaryLike): Promise<Uint8Array> {
  return hmacSha256(key, data);
}

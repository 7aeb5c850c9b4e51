/**
 * The hashes SigV4 signs with, on the shared synchronous SHA-256
 * (src/core/sha256.ts: no `node:` import, so signing runs unchanged on Node,
 * Deno, Bun and edge runtimes). Async signatures, so that a signer backed by
 * an HSM or a remote key service could take their place.
 */
import { hmacSha256, sha256Hex as hexDigest, toHex as hex } from "../../core/sha256.js";

/** Bytes of a string (UTF-8) or the bytes themselves. */
export type BinaryLike = string | Uint8Array;

/** Lowercase hex of bytes. */
export function toHex(data: ArrayBuffer | Uint8Array): string {
  return hex(data instanceof Uint8Array ? data : new Uint8Array(data));
}

/** Hex SHA-256 of `data`. */
export async function sha256Hex(data: BinaryLike): Promise<string> {
  return hexDigest(data);
}

/** HMAC-SHA256 of `data` under `key`. */
export async function hmac(key: BinaryLike | ArrayBuffer, data: BinaryLike): Promise<ArrayBuffer> {
  const mac = hmacSha256(key instanceof ArrayBuffer ? new Uint8Array(key) : key, data);
  return mac.buffer.slice(mac.byteOffset, mac.byteOffset + mac.byteLength) as ArrayBuffer;
}

/**
 * The hashes SDK-HMAC-SHA256 signs with, on the shared synchronous SHA-256
 * (src/core/sha256.ts: no `node:crypto`, so the signer runs on Node, Deno,
 * Bun and edge runtimes).
 */
import { hmacSha256, sha256Hex as hexDigest, toHex } from "../../core/sha256.js";

/** Lower-case hex SHA-256 of a string (as UTF-8) or bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hexDigest(data);
}

/** Lower-case hex HMAC-SHA256 of `message` under `key` (both UTF-8). */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  return toHex(hmacSha256(key, message));
}

/** The hash of an empty body, which every bodiless request signs. */
export const emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

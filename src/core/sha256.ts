/**
 * SHA-256 and HMAC-SHA256 for request signing (SigV4, SDK-HMAC-SHA256), on
 * `@noble/hashes` (audited, pure JavaScript; a dependency of the package).
 *
 * Why not Web Crypto: `crypto.subtle` is asynchronous, and on Node every
 * digest, key import and HMAC is a job handed to the thread pool and back.
 * A SigV4 signature takes four or five of them (payload hash, canonical
 * request hash, signing-key import, HMAC), which measured 4–5× slower than
 * the AWS SDK's signer. The hashes here are synchronous, need no `node:`
 * module, and run the same on Node, Deno, Bun and edge runtimes.
 *
 * @example
 * ```ts
 * sha256Hex(""); // "e3b0c442…b855"
 * toHex(hmacSha256(utf8("key"), utf8("message")));
 * ```
 * @internal
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (bytes are returned as they are). */
export function utf8(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Lower-case hex SHA-256 of a string (as UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(utf8(data)));
}

/** HMAC-SHA256 of `data` under `key` (strings as UTF-8). */
export function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): Uint8Array {
  return hmac(sha256, utf8(key), utf8(data));
}

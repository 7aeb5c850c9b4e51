/**
 * SHA-256 and HMAC-SHA256 on Web Crypto (`globalThis.crypto.subtle`), so the
 * signer runs on Node ≥ 20, Deno, Bun and edge runtimes without `node:crypto`.
 */

const utf8 = new TextEncoder();

/** Lower-case hex SHA-256 of a string (as UTF-8) or bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? utf8.encode(data) : data;
  return toHex(await subtle().digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** Lower-case hex HMAC-SHA256 of `message` under `key` (both UTF-8). */
export async function hmacSha256Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await subtle().importKey("raw", utf8.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await subtle().sign("HMAC", cryptoKey, utf8.encode(message)));
}

/** The hash of an empty body, which every bodiless request signs. */
export const emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

type Subtle = typeof globalThis.crypto.subtle;

function subtle(): Subtle {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error("SDK-HMAC-SHA256 signing needs Web Crypto (globalThis.crypto.subtle)");
  return subtle;
}

function toHex(buffer: ArrayBuffer): string {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, "0");
  return out;
}

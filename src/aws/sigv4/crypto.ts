/**
 * SHA-256 and HMAC-SHA256 on Web Crypto (`crypto.subtle`), so signing runs
 * unchanged on Node ≥ 20, Deno, Bun and edge runtimes, with no `node:` import.
 */
const encoder = new TextEncoder();

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("SigV4 signing needs Web Crypto (globalThis.crypto.subtle), which this runtime lacks");
  return s;
}

/** Bytes of a string (UTF-8) or the bytes themselves. */
export type BinaryLike = string | Uint8Array;

function bytes(data: BinaryLike): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  return new Uint8Array(data);
}

/** Lowercase hex of bytes. */
export function toHex(data: ArrayBuffer | Uint8Array): string {
  const view = data instanceof Uint8Array ? data : new Uint8Array(data);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Hex SHA-256 of `data`. */
export async function sha256Hex(data: BinaryLike): Promise<string> {
  return toHex(await subtle().digest("SHA-256", bytes(data)));
}

/** HMAC-SHA256 of `data` under `key`. */
export async function hmac(key: BinaryLike | ArrayBuffer, data: BinaryLike): Promise<ArrayBuffer> {
  const raw = key instanceof ArrayBuffer ? key : bytes(key);
  const k = await subtle().importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return subtle().sign("HMAC", k, bytes(data));
}

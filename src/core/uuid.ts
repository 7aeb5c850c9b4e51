/**
 * A random UUID v4 from Web Crypto, which Node (≥ 19 as a global), Deno,
 * Bun and edge runtimes all have: no `node:crypto` import on the REST path.
 *
 * @internal
 */
export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

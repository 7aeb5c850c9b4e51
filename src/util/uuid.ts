/**
 * A random UUID v4 from Web Crypto (`crypto.randomUUID`), which Node ≥ 19,
 * Deno, Bun and workers all have as a global: no `node:crypto` import on the
 * REST path.
 *
 * @example
 * ```ts
 * randomUUID(); // "3b241101-e2bb-4255-8caf-4136c566a962"
 * ```
 */
export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

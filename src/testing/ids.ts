import { randomBytes, randomUUID } from "node:crypto";

const alphabet = "0123456789abcdefghijklmnopqrstuv";

/**
 * A resource id shaped like Yandex Cloud's: 20 characters, a three-letter
 * prefix and 17 base32 characters (`c9q…` for Data Proc resources, `aje…` for
 * IAM ones). Clients sometimes validate id lengths, so the emulator does not
 * hand out UUIDs where the real service would not.
 *
 * @example
 * ```ts
 * resourceId("c9q"); // "c9q4k1v0d7m2s8a3b5f6e"
 * ```
 */
export function resourceId(prefix: string): string {
  const bytes = randomBytes(17);
  let out = prefix;
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}

/** The `x-request-id` of one call: a UUID, as the real API sends. */
export function requestId(): string {
  return randomUUID();
}

/**
 * The `x-server-trace-id` of one call: 16 random bytes in hex. Taken from
 * `randomUUID` (which draws from a pooled entropy buffer) because a
 * `randomBytes` call per request is measurably slower.
 */
export function traceId(): string {
  return randomUUID().replaceAll("-", "");
}

/** An opaque bearer token in the shape of a Yandex IAM token (`t1.…`). */
export function bearerToken(): string {
  return `t1.${randomBytes(48).toString("base64url")}`;
}

import { hmac } from "./crypto.js";

/**
 * Derived SigV4 signing keys, one per (secret, day, region, service). The
 * derivation is four HMACs; a client signing many calls a day does it once.
 * Entries are keyed by the access key id and checked against the secret, so a
 * rotated secret under the same key id derives a fresh key. At most `limit`
 * entries are kept (oldest dropped), like the AWS SDK's 50.
 *
 * The secret and keys live in a `#private` map that neither `util.inspect`
 * nor `JSON.stringify` can see.
 */
export class SigningKeyCache {
  readonly #entries = new Map<string, { secret: string; key: Promise<Uint8Array> }>();
  readonly #limit: number;

  constructor(limit = 50) {
    this.#limit = limit;
  }

  /** `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")`. */
  key(accessKeyId: string, secret: string, day: string, region: string, service: string): Promise<Uint8Array> {
    const id = `${accessKeyId}/${day}/${region}/${service}`;
    const hit = this.#entries.get(id);
    if (hit && hit.secret === secret) return hit.key;
    const key = deriveSigningKey(secret, day, region, service);
    this.#entries.delete(id);
    this.#entries.set(id, { secret, key });
    while (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.keys().next().value!);
    return key;
  }

  /** How many keys are cached (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  toJSON(): object {
    return { size: this.#entries.size };
  }
}

/** The four-step SigV4 key derivation. */
export async function deriveSigningKey(secret: string, day: string, region: string, service: string): Promise<Uint8Array> {
  const kDate = await hmac(`AWS4${secret}`, day);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

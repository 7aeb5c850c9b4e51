import { createHash, generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { Code } from "@connectrpc/connect";
import { decodeProtectedHeader, errors as joseErrors, importSPKI, jwtVerify } from "jose";
import type { Clock } from "../clock.js";
import { rpcError } from "../errors.js";
import { bearerToken, resourceId } from "../ids.js";

/** The audience every service-account JWT must name. */
export const iamTokenAudience = "https://iam.api.cloud.yandex.net/iam/v1/tokens";

/** Longest JWT lifetime (`exp - iat`) the IAM service accepts, in seconds. */
const maxJwtLifetimeSeconds = 3600;

/** Tolerated clock skew between a JWT signer and the emulator, in seconds. */
const clockSkewSeconds = 60;

/**
 * A service-account authorized key file, exactly as `yc iam key create
 * --output key.json` writes it. `private_key` starts with the line
 * `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <id>` before the
 * PKCS#8 PEM, like the real files do, so that clients are tested against the
 * real format. `util.inspect` of the object hides the private key;
 * `JSON.stringify` writes the whole file.
 *
 * @example
 * ```ts
 * const key = await emulator.createServiceAccountKey();
 * await writeFile("key.json", JSON.stringify(key, null, 2), { mode: 0o600 });
 * ```
 */
export interface AuthorizedKey {
  readonly id: string;
  readonly service_account_id: string;
  readonly created_at: string;
  readonly key_algorithm: "RSA_2048";
  readonly public_key: string;
  readonly private_key: string;
}

/** The public half of an authorized key: what the emulator needs to trust it. */
export type TrustedKey = Pick<AuthorizedKey, "id" | "service_account_id" | "public_key">;

/** Who made a call: a user or service-account id, used as `created_by`. */
export interface Principal {
  readonly subject: string;
}

/** A freshly issued IAM token and when it stops working (emulator-clock ms). */
export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Options of {@link Authority}. */
export interface AuthorityOptions {
  readonly tokenLifetimeMs: number;
  readonly oauthTokens: readonly string[];
  readonly trustedKeys: readonly TrustedKey[];
}

/** What `importSPKI` gives (a WebCrypto key; not in the ES2022 lib types). */
type VerificationKey = Awaited<ReturnType<typeof importSPKI>>;

const generateKeyPairAsync = promisify(generateKeyPair);
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * The emulator's IAM: issues bearer tokens, checks them on every call, and
 * exchanges OAuth tokens and service-account JWTs for new ones.
 *
 * Secrets stay in private fields, which neither `util.inspect` nor
 * `JSON.stringify` reach; OAuth tokens are kept only as SHA-256 digests, and
 * minted private keys are handed out, not retained. Issued IAM tokens are
 * looked up as-is: hashing them on every call costs more than the rest of
 * the call pipeline together.
 */
export class Authority {
  readonly #clock: Clock;
  readonly #lifetimeMs: number;
  /** token → who it belongs to and until when. */
  readonly #tokens = new Map<string, { subject: string; expiresAt: number }>();
  /** sha256(OAuth token) → the user id it stands for. */
  readonly #oauth = new Map<string, string>();
  /** key id → service account and verification key. */
  readonly #keys = new Map<string, { serviceAccountId: string; key: Promise<VerificationKey> }>();

  constructor(clock: Clock, options: AuthorityOptions) {
    this.#clock = clock;
    this.#lifetimeMs = options.tokenLifetimeMs;
    for (const t of options.oauthTokens) this.#oauth.set(digest(t), oauthUserId(t));
    for (const k of options.trustedKeys) this.trust(k);
  }

  /** Issues a token for `subject`, valid for the configured lifetime. */
  issue(subject: string): IssuedToken {
    const token = bearerToken();
    const expiresAt = this.#clock.now() + this.#lifetimeMs;
    this.#tokens.set(token, { subject, expiresAt });
    return { token, expiresAt };
  }

  /**
   * Checks an `authorization` header value. Throws UNAUTHENTICATED without
   * ever echoing the token.
   */
  authenticate(authorization: string | null): Principal {
    if (authorization === null || authorization.trim() === "") {
      throw rpcError(Code.Unauthenticated, "the request has no IAM token: send authorization: Bearer <IAM token>");
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) {
      throw rpcError(Code.Unauthenticated, "the authorization header must be \"Bearer <IAM token>\"");
    }
    const entry = this.#tokens.get(match[1]!);
    if (entry === undefined) throw rpcError(Code.Unauthenticated, "the IAM token is invalid");
    if (entry.expiresAt <= this.#clock.now()) throw rpcError(Code.Unauthenticated, "the IAM token has expired");
    return { subject: entry.subject };
  }

  /** Makes every token issued so far invalid from now on, as if it had expired early. */
  expireAll(): void {
    const now = this.#clock.now();
    for (const entry of this.#tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  /** `Create{yandex_passport_oauth_token}`: only configured OAuth tokens are accepted. */
  exchangeOAuth(oauthToken: string): IssuedToken {
    const subject = this.#oauth.get(digest(oauthToken));
    if (subject === undefined) throw rpcError(Code.Unauthenticated, "the OAuth token is invalid");
    return this.issue(subject);
  }

  /**
   * `Create{jwt}`: verifies a PS256 JWT against the trusted keys: signature,
   * `kid`, `iss` (the key's service account), `aud`, `iat`, `exp` and a
   * lifetime of at most one hour.
   */
  async exchangeJwt(jwt: string): Promise<IssuedToken> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(jwt);
    } catch {
      // jose throws TypeErrors as well as its own errors for malformed input
      throw rpcError(Code.Unauthenticated, "invalid JWT: malformed header");
    }
    if (header.alg !== "PS256") {
      throw rpcError(Code.Unauthenticated, `invalid JWT: alg must be PS256, got ${JSON.stringify(header.alg)?.slice(0, 20)}`);
    }
    const kid = header.kid;
    if (kid === undefined) throw rpcError(Code.Unauthenticated, "invalid JWT: the header has no kid");
    const trusted = this.#keys.get(kid);
    if (trusted === undefined) throw rpcError(Code.Unauthenticated, `invalid JWT: unknown key id ${JSON.stringify(kid).slice(0, 80)}`);
    const now = this.#clock.now();
    let payload;
    try {
      ({ payload } = await jwtVerify(jwt, await trusted.key, {
        algorithms: ["PS256"],
        issuer: trusted.serviceAccountId,
        audience: iamTokenAudience,
        requiredClaims: ["iat", "exp"],
        currentDate: new Date(now),
        clockTolerance: clockSkewSeconds,
      }));
    } catch (e) {
      const reason = e instanceof joseErrors.JOSEError ? e.message : "malformed token";
      throw rpcError(Code.Unauthenticated, `invalid JWT: ${reason}`);
    }
    const { iat, exp } = payload as { iat: number; exp: number };
    if (iat > now / 1000 + clockSkewSeconds) throw rpcError(Code.Unauthenticated, "invalid JWT: iat is in the future");
    if (exp - iat > maxJwtLifetimeSeconds) {
      throw rpcError(Code.Unauthenticated, `invalid JWT: exp - iat is ${exp - iat} s, at most ${maxJwtLifetimeSeconds} s allowed`);
    }
    return this.issue(trusted.serviceAccountId);
  }

  /** Trusts an existing key (e.g. one from a real key file) for `Create{jwt}`. */
  trust(key: TrustedKey): void {
    const pem = stripKeyPrefix(key.public_key);
    const imported = importSPKI(pem, "PS256");
    imported.catch(() => {}); // reported when a JWT names this key
    this.#keys.set(key.id, { serviceAccountId: key.service_account_id, key: imported });
  }

  /** Mints a new RSA-2048 authorized key for a (new, by default) service account and trusts it. */
  async mintKey(serviceAccountId: string = resourceId("aje")): Promise<AuthorizedKey> {
    const { publicKey, privateKey } = await generateKeyPairAsync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const id = resourceId("aje");
    const key: AuthorizedKey = {
      id,
      service_account_id: serviceAccountId,
      created_at: new Date(this.#clock.now()).toISOString(),
      key_algorithm: "RSA_2048",
      public_key: publicKey,
      private_key: `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID ${id}\n${privateKey}`,
    };
    Object.defineProperty(key, inspectSymbol, {
      enumerable: false,
      value: () => ({ ...key, private_key: "[REDACTED]" }),
    });
    this.trust(key);
    return key;
  }
}

/** Drops anything before the PEM armour (the "PLEASE DO NOT REMOVE" line). */
function stripKeyPrefix(pem: string): string {
  const start = pem.indexOf("-----BEGIN");
  return start > 0 ? pem.slice(start) : pem;
}

/** A stable, non-reversible user id for an OAuth token. */
function oauthUserId(oauthToken: string): string {
  return `aje${createHash("sha256").update(`user:${oauthToken}`).digest("hex").slice(0, 17)}`;
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

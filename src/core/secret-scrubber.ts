import { ConnectError } from "@connectrpc/connect";
import { isConnectError } from "./connect-error.js";

/** What a scrubbed secret is replaced with. */
export const redactedMark = "[REDACTED]";

/** Secrets shorter than this are not scrubbed: replacing a 3-letter string everywhere would wreck every message. */
const minSecretLength = 8;

/** Secrets remembered at most (tokens rotate; the newest are kept). */
const maxSecrets = 64;

/**
 * Values of credential headers, wherever a server quotes them as
 * `name:value` or `name=value` (an APIG canonical request, an AWS
 * canonical string, a query string): redacted even when this client did
 * not send that value itself. `<` starts a value this package already hid
 * (`<N chars>`). Authorization is handled by its scheme: a bearer token is
 * a secret, a SigV4 or SDK-HMAC header is an access key id (an identifier)
 * plus a one-time signature, and stays.
 */
const credentialHeaderValue = /\b(x-amz-security-token|x-security-token|x-auth-token|x-subject-token)(["']?\s*[:=]\s*["']?)(?!<)[^\s|"'&,;]{8,}/gi;
/** 16 characters at least: "must be a Bearer token" is prose, not a token. */
const bearerToken = /\b(Bearer)(\s+)(?!\[REDACTED\])[^\s|"'&,;]{16,}/g;

/**
 * One client's list of the secrets it has sent (IAM tokens, secret keys,
 * session and security tokens), and the one place where text a server
 * wrote is cleaned of them before it is stored in an error or a log line.
 *
 * Why: servers, gateways and proxies quote requests back — AWS's
 * `InvalidSignatureException` prints the canonical string with
 * `x-amz-security-token`, Huawei's `APIGW.0301` the canonical request with
 * `x-security-token`, a proxy's error page the `Authorization` header it
 * refused, a gateway may echo a token in `x-request-id`. Whatever it
 * quotes would otherwise reach `message`, `toJSON()`, `util.inspect` and
 * debug lines. The client knows every secret it sent, so each cloud's
 * auth or signing step {@link remember}s them, and the call guard and the
 * debug sink {@link text scrub} everything the server provided: each
 * secret in its raw, percent-encoded (either case, RFC 3986 or not),
 * form-decoded, JSON-escaped and HTML-escaped forms, plus any value of a
 * credential header. Access key ids (`AKIA…`, Huawei AKs) are identifiers
 * and are never remembered.
 *
 * @example
 * ```ts
 * const scrubber = new SecretScrubber();
 * scrubber.remember("t1.secret-iam-token");
 * scrubber.text('bad token "t1.secret-iam-token"'); // 'bad token "[REDACTED]"'
 * ```
 * @internal
 */
export class SecretScrubber {
  /** Secret → its forms, longest first; insertion order is age. */
  readonly #forms = new Map<string, readonly string[]>();

  /** Notes a secret this client has just sent (or signed with). Cheap when it is known already. */
  remember(secret: string | undefined): void {
    if (secret === undefined || secret.length < minSecretLength) return;
    if (this.#forms.has(secret)) return;
    this.#forms.set(secret, formsOf(secret));
    if (this.#forms.size > maxSecrets) this.#forms.delete(this.#forms.keys().next().value!);
  }

  /** `value` with every remembered secret and every credential header value replaced by `[REDACTED]`. */
  text(value: string): string {
    let out = value;
    for (const forms of this.#forms.values()) {
      for (const form of forms) if (out.includes(form)) out = out.split(form).join(redactedMark);
    }
    if (out.includes("oken") || out.includes("OKEN")) out = out.replace(credentialHeaderValue, `$1$2${redactedMark}`);
    if (out.includes("Bearer")) out = out.replace(bearerToken, `$1$2${redactedMark}`);
    return out;
  }

  /** Whether `value` holds a remembered secret in any of its forms. */
  holds(value: string): boolean {
    for (const forms of this.#forms.values()) for (const form of forms) if (value.includes(form)) return true;
    return false;
  }

  /** Scrubs every value of `headers` in place (response headers and trailers: `x-request-id`, `grpc-message`, …). */
  headers(headers: Headers): void {
    const changed: Array<[string, string]> = [];
    headers.forEach((value, name) => {
      const clean = this.text(value);
      if (clean !== value) changed.push([name, clean]);
    });
    for (const [name, value] of changed) headers.set(name, value);
  }

  /**
   * Scrubs an error in place and returns it: its own string fields
   * (`message`, `rawMessage`, `awsMessage`, `requestId`, …), its `ids`, the
   * text fields of messages it holds (`OperationError.status`), its
   * metadata, and its causes the same way. Details whose bytes hold a
   * secret are dropped (they cannot be edited without their schema).
   */
  error<E>(error: E): E {
    this.#scrubError(error, 0);
    return error;
  }

  #scrubError(error: unknown, depth: number): void {
    if (typeof error !== "object" || error === null || depth > 4) return;
    const target = error as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(target)) {
      const value = target[key];
      if (typeof value === "string") {
        const clean = this.text(value);
        if (clean !== value) writeOwn(target, key, clean);
      } else if (key === "ids" && isRecord(value)) {
        writeOwn(target, key, Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? this.text(v) : v]))));
      } else if (isRecord(value) && "$typeName" in value) {
        // A message the server sent (an operation's google.rpc.Status): a
        // copy with its text fields scrubbed, the caller's own stays as it was.
        const changed = Object.entries(value).filter(([, v]) => typeof v === "string" && this.text(v) !== v);
        if (changed.length > 0) writeOwn(target, key, { ...value, ...Object.fromEntries(changed.map(([k, v]) => [k, this.text(v as string)])) });
      }
    }
    if (isConnectError(error)) {
      this.headers(error.metadata);
      const details = error.details.filter((d) => !this.#detailHolds(d));
      if (details.length !== error.details.length) error.details = details;
      const decoded = target.statusDetails;
      if (Array.isArray(decoded) && decoded.some((m) => this.#decodedHolds(m))) {
        writeOwn(target, "statusDetails", Object.freeze(decoded.filter((m) => !this.#decodedHolds(m))));
      }
    }
    if ("cause" in target && target.cause !== error) this.#scrubError(target.cause, depth + 1);
  }

  #detailHolds(detail: ConnectError["details"][number]): boolean {
    if (this.#forms.size === 0) return false;
    const value = (detail as { value?: unknown }).value;
    if (value instanceof Uint8Array) return this.holds(new TextDecoder("utf-8", { fatal: false }).decode(value));
    return this.#decodedHolds(value);
  }

  #decodedHolds(message: unknown): boolean {
    if (this.#forms.size === 0) return false;
    try {
      return this.holds(JSON.stringify(message, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? new TextDecoder().decode(v) : v)) ?? "");
    } catch {
      return false;
    }
  }
}

/** A debug sink that writes each line scrubbed (ids such as `x-request-id` come from the server). */
export function scrubbedSink<S extends ((line: string) => void) | undefined>(sink: S, scrubber: SecretScrubber): S {
  if (!sink) return sink;
  return ((line: string) => sink(scrubber.text(line))) as S;
}

/** The forms a secret takes in text a server writes, longest first, without duplicates. */
function formsOf(secret: string): readonly string[] {
  const percent = encodeURIComponent(secret);
  const strict = percent.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([
    secret,
    percent,
    strict,
    lowerHex(percent),
    lowerHex(strict),
    encodeURIComponent(percent), // encoded twice, as a canonical path of an encoded value is
    json,
    json.replaceAll("/", "\\/"),
    asciiJson(json),
    secret.replaceAll("+", " "), // a form-decoded base64 value
    secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
    secret.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!),
  ]);
  return [...forms].filter((f) => f.length >= minSecretLength).sort((a, b) => b.length - a.length);
}

function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
}

/** JSON with every non-ASCII character as `\uXXXX`, as some servers write it. */
function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets a field that TypeScript calls readonly (and may be frozen on a copy): only own, writable ones. */
function writeOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) return;
  if (descriptor.writable) target[key] = value;
  // An accessor (V8 on Node 22+ makes an error's own `stack` one) becomes a plain value.
  else if (descriptor.configurable) Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: descriptor.enumerable ?? false });
}

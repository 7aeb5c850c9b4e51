// A collector for the secret-leak promise of the reliability suites: every
// string the library, the emulator or the CLI produces while a suite runs
// (error messages, util.inspect, JSON, log lines, CLI output, the emulator's
// call log) goes into one list, every secret in use (IAM tokens, OAuth
// tokens, private key PEM lines, JWTs) into another, and the suite ends with
// `expect(scan.leaks()).toEqual([])`.
import { inspect } from "node:util";
import type { Interceptor } from "@connectrpc/connect";

/** A secret found in collected output: which secret (shortened) and where. */
export interface Leak {
  /** Which secret, by registration order and length (never its text). */
  readonly secret: string;
  readonly source: string;
  readonly excerpt: string;
}

/** Long-enough pieces of a PEM private key that must never show up anywhere. */
export function pemSecrets(pem: string): string[] {
  return pem
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith("-----") && !l.startsWith("PLEASE DO NOT REMOVE"));
}

export class SecretScan {
  readonly #secrets = new Set<string>();
  readonly #texts: Array<{ source: string; text: string }> = [];
  #restoreConsole: (() => void) | undefined;

  /** Secrets registered so far (for the figures). */
  get secretCount(): number {
    return this.#secrets.size;
  }

  /** Strings collected so far (for the figures). */
  get textCount(): number {
    return this.#texts.length;
  }

  /** Registers secrets in use. Empty and very short values are ignored (they would match everything). */
  secret(...values: Array<string | undefined | null>): void {
    for (const v of values) if (typeof v === "string" && v.trim().length >= 8) this.#secrets.add(v.trim());
  }

  /** Registers a service-account key: the private key's PEM body lines and the whole private key text. */
  key(key: { private_key: string }): void {
    this.secret(key.private_key, ...pemSecrets(key.private_key));
  }

  /** Collects plain text. */
  text(source: string, ...texts: Array<string | undefined>): void {
    for (const t of texts) if (typeof t === "string") this.#texts.push({ source, text: t });
  }

  /**
   * Collects everything a value shows to the outside: `String()`, `message`,
   * `stack`, `util.inspect` with hidden properties, and JSON (which may throw
   * on BigInt or cycles; that is collected as such).
   */
  value(source: string, value: unknown): void {
    const out: string[] = [];
    try {
      out.push(String(value));
    } catch {
      /* objects without toString */
    }
    if (value instanceof Error) out.push(value.message, value.stack ?? "");
    out.push(inspect(value, { depth: 10, showHidden: true }));
    try {
      out.push(JSON.stringify(value) ?? "");
    } catch (e) {
      out.push(`JSON failed: ${(e as Error).message}`);
    }
    this.text(source, ...out);
  }

  /**
   * An interceptor that records the secrets flowing through a client: the
   * `authorization` bearer token of each request, the JWT or OAuth token a
   * `IamTokenService.Create` carries, and the IAM token it returns.
   */
  readonly interceptor: Interceptor = (next) => async (req) => {
    const auth = req.header.get("authorization");
    if (auth !== null) this.secret(auth.replace(/^Bearer\s+/i, ""));
    if (!req.stream && req.method.name === "Create" && req.service.typeName === "yandex.cloud.iam.v1.IamTokenService") {
      const identity = (req.message as unknown as { identity?: { value?: unknown } }).identity;
      if (typeof identity?.value === "string") this.secret(identity.value);
    }
    const res = await next(req);
    if (!res.stream && req.method.name === "Create" && req.service.typeName === "yandex.cloud.iam.v1.IamTokenService") {
      this.secret((res.message as unknown as { iamToken?: string }).iamToken);
    }
    return res;
  };

  /**
   * An interceptor that collects every attempt's error (util.inspect, JSON,
   * message), including the ones a retry hides from the caller.
   */
  readonly errorTap: Interceptor = (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      this.value(`attempt error ${req.method.name}`, error);
      throw error;
    }
  };

  /**
   * Tees `console.*` and `process.stdout/stderr.write` into the collection
   * (they still print). Returns a function that restores them.
   */
  captureConsole(): () => void {
    const methods = ["log", "info", "warn", "error", "debug"] as const;
    const saved = methods.map((m) => console[m]);
    methods.forEach((m, i) => {
      console[m] = (...args: unknown[]) => {
        this.text(`console.${m}`, args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10 }))).join(" "));
        saved[i]!.apply(console, args);
      };
    });
    const writes = [process.stdout, process.stderr].map((stream) => {
      const write = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.text(stream === process.stdout ? "stdout" : "stderr", typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
        return (write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      }) as typeof stream.write;
      return () => {
        stream.write = write;
      };
    });
    this.#restoreConsole = () => {
      methods.forEach((m, i) => (console[m] = saved[i]!));
      for (const restore of writes) restore();
    };
    return this.#restoreConsole;
  }

  /** Every secret found in the collected text. */
  leaks(): Leak[] {
    this.#restoreConsole?.();
    const found: Leak[] = [];
    let index = 0;
    for (const secret of this.#secrets) {
      index++;
      for (const { source, text } of this.#texts) {
        const at = text.indexOf(secret);
        if (at >= 0) {
          found.push({
            secret: `secret #${index} (${secret.length} chars)`,
            source,
            excerpt: text.slice(Math.max(0, at - 40), at).replace(/\n/g, "⏎"),
          });
          break;
        }
      }
    }
    return found;
  }
}

import { ConnectError } from "@connectrpc/connect";
import type { Code } from "@connectrpc/connect";
import { toJson } from "@bufbuild/protobuf";
import type { JsonObject, JsonValue, Message, Registry } from "@bufbuild/protobuf";
import type { Violation } from "../validation/errors.js";
import { codeName } from "./code-name.js";
import { asConnectError } from "./connect-error.js";

/** What every cloud error says about the call it ended. */
export interface CloudErrorContext {
  /** The failed method, e.g. `/example.v1.JobService/Get` (gRPC path) or `EmrServerless.CancelJobRun`. */
  readonly method: string;
  /** Base URL the call went (or would have gone) to. */
  readonly endpoint?: string;
  /** Attempts sent, retries included; 0 when nothing was sent. */
  readonly attempts?: number;
  /**
   * Ids that tie the error to server logs, by header name
   * (`x-request-id`, `x-amzn-requestid`, …). Empty values are dropped.
   */
  readonly ids?: Readonly<Record<string, string | undefined>>;
  /** Client-side validation failures, when the request was never sent. */
  readonly violations?: readonly Violation[];
  /** Types for decoding the error's details; without it they stay undecoded. */
  readonly registry?: Registry;
}

/** Extra parts of a {@link CloudError}. */
export interface CloudErrorParts {
  readonly metadata?: ConstructorParameters<typeof Headers>[0];
  readonly cause?: unknown;
  /** Details as Connect carries them (`ConnectError.details`). */
  readonly details?: ConnectError["details"];
}

/** `JSON.stringify(error)` of a {@link CloudError}. */
export interface CloudErrorJson extends JsonObject {
  /** The class, e.g. `"AwsError"`. */
  readonly error: string;
  /** Spec name of the code, e.g. `"NOT_FOUND"`. */
  readonly code: string;
  readonly message: string;
  readonly method: string;
  readonly endpoint: string | null;
  readonly attempts: number;
  readonly ids: { readonly [name: string]: string };
  /** Decoded details as proto JSON with an `@type` field. */
  readonly details: JsonValue[];
}

/**
 * The provider-neutral base of every error the package raises for a failed
 * call or helper. It is a `ConnectError` (so `code`, `rawMessage`,
 * `metadata`, `findDetails` and `ConnectError.from` work as usual) that also
 * names the method, the endpoint, how many attempts were made and the ids
 * support asks for, and carries the decoded `google.rpc.Status` details.
 * Providers subclass it (`AwsError`, `HuaweiCloudError`, …) to add their
 * own names for those ids.
 *
 * `JSON.stringify(error)` gives a clean object ({@link CloudErrorJson}):
 * code name, message, method, endpoint, attempts, ids and the details as
 * proto JSON. Nothing here ever holds a credential.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof CloudError) log.error(JSON.stringify(error));
 * }
 * ```
 */
export class CloudError extends ConnectError {
  // Each class names itself, so a log line tells one cloud's error from
  // another's. The prototype chain runs through the program's one
  // ConnectError: `ConnectError.prototype.isPrototypeOf(error)` holds, while
  // Connect's own `instanceof ConnectError` (which accepts subclasses only by
  // the name "ConnectError") does not; test with `instanceof CloudError`.
  override name = "CloudError";

  /**
   * Plain prototype-chain `instanceof`. The inherited ConnectError check
   * would also accept every ConnectError.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /**
   * `ConnectError.from` that keeps every error this package raises as it
   * is. Connect's own `ConnectError.from(error)` (and `instanceof
   * ConnectError`) recognises a subclass only by the name "ConnectError",
   * so it would wrap this package's errors (own names per cloud) into a new
   * UNKNOWN error: in code that handles this package's errors, use this one.
   *
   * @example
   * ```ts
   * catch (error) {
   *   if (CloudError.from(error).code === Code.NotFound) return undefined;
   *   throw error;
   * }
   * ```
   */
  static override from(reason: unknown, code?: Code): ConnectError {
    return asConnectError(reason, code);
  }

  /** The failed method. */
  readonly method: string;
  /** Base URL of the service, when known. */
  readonly endpoint: string | undefined;
  /** Attempts sent, retries included; 0 when the request was never sent. */
  readonly attempts: number;
  /** Request and trace ids by header name; only those that were set. */
  readonly ids: Readonly<Record<string, string>>;
  /** Client-side validation failures, when the request was never sent. */
  readonly violations: readonly Violation[];
  /** The error's details, decoded where the registry knows the type. */
  readonly statusDetails: readonly Message[];
  readonly #registry: Registry | undefined;

  constructor(message: string, code: Code, context: CloudErrorContext, parts: CloudErrorParts = {}) {
    super(message, code, parts.metadata, undefined, parts.cause);
    Object.setPrototypeOf(this, new.target.prototype);
    if (parts.details) this.details = parts.details;
    this.method = context.method;
    this.endpoint = context.endpoint;
    this.attempts = context.attempts ?? 0;
    const ids: Record<string, string> = {};
    for (const [name, value] of Object.entries(context.ids ?? {})) if (value) ids[name] = value;
    this.ids = Object.freeze(ids);
    this.violations = Object.freeze([...(context.violations ?? [])]);
    this.#registry = context.registry;
    this.statusDetails = context.registry && this.details.length > 0 ? this.findDetails(context.registry) : [];
  }

  /**
   * The suffix added to messages, so that logs which print only `message`
   * still show where the call went: `(method …, endpoint …, 3 attempts, request-id …)`.
   */
  protected static describe(context: CloudErrorContext, ids: readonly (readonly [string, string | undefined])[]): string {
    const parts = [`method ${context.method}`];
    if (context.endpoint) parts.push(`endpoint ${context.endpoint}`);
    if ((context.attempts ?? 0) > 1) parts.push(`${context.attempts} attempts`);
    for (const [label, value] of ids) if (value) parts.push(`${label} ${value}`);
    return `(${parts.join(", ")})`;
  }

  /** A clean, secret-free object for logs and `--json` output. */
  toJSON(): CloudErrorJson {
    const decoded = this.statusDetails;
    const typeNames = new Set(decoded.map((m) => m.$typeName));
    const details: JsonValue[] = decoded.map((m) => this.#detailJson(m));
    for (const d of this.details) {
      const type = "desc" in d ? d.desc.typeName : d.type;
      if (!typeNames.has(type)) details.push({ "@type": `type.googleapis.com/${type}` });
    }
    const json: Record<string, JsonValue> = {
      error: this.constructor.name,
      code: codeName(this.code),
      message: this.rawMessage,
      method: this.method,
      endpoint: this.endpoint ?? null,
      attempts: this.attempts,
      ids: { ...this.ids },
      details,
    };
    if (this.violations.length > 0) {
      json.violations = this.violations.map((v) => ({ path: v.path, rule: v.rule, message: v.message }));
    }
    return json as CloudErrorJson;
  }

  #detailJson(message: Message): JsonValue {
    const schema = this.#registry?.getMessage(message.$typeName);
    const type = `type.googleapis.com/${message.$typeName}`;
    if (!schema) return { "@type": type };
    try {
      const body = toJson(schema, message, { registry: this.#registry });
      return body !== null && typeof body === "object" && !Array.isArray(body) ? { "@type": type, ...body } : { "@type": type, value: body };
    } catch {
      return { "@type": type };
    }
  }
}

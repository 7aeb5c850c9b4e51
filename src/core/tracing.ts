import type { DescMethod } from "@bufbuild/protobuf";
import { codeName } from "./code-name.js";
import type {
  MeterProviderLike,
  OtelAttributes,
  OtelContext,
  OtelContextManager,
  OtelPropagator,
  OtelSpan,
  OtelTracer,
  TracerProviderLike,
} from "./otel-types.js";
import type { SecretScrubber } from "./secret-scrubber.js";
import { version } from "../version.js";

/**
 * Where `@opentelemetry/api` 1.x keeps what was registered (tracer provider,
 * context manager, propagator, meter provider): read here, never imported,
 * so the package works — and bundles — without the API installed.
 * (See `internal/global-utils.js` of `@opentelemetry/api`.)
 */
const apiKey = Symbol.for("opentelemetry.js.api.1");
/** The API's span key (`createContextKey` is `Symbol.for(description)`). */
const spanKey = Symbol.for("OpenTelemetry Context Key SPAN");

/** What the API registered, if it is loaded at all. */
interface OtelGlobal {
  readonly trace?: TracerProviderLike;
  readonly context?: OtelContextManager;
  readonly propagation?: OtelPropagator;
  readonly metrics?: MeterProviderLike;
}

function otelGlobal(): OtelGlobal | undefined {
  return (globalThis as { [apiKey]?: OtelGlobal })[apiKey];
}

/** The API's SpanKind and SpanStatusCode values (stable numbers of the API). */
const spanKindInternal = 0;
const spanKindClient = 2;
const statusError = 2;

/** The root context when no context manager is registered: an immutable map, as the API's own. */
class RootContext implements OtelContext {
  readonly #values: ReadonlyMap<symbol, unknown>;
  constructor(values: ReadonlyMap<symbol, unknown> = new Map()) {
    this.#values = values;
  }
  getValue(key: symbol): unknown {
    return this.#values.get(key);
  }
  setValue(key: symbol, value: unknown): OtelContext {
    return new RootContext(new Map(this.#values).set(key, value));
  }
  deleteValue(key: symbol): OtelContext {
    const values = new Map(this.#values);
    values.delete(key);
    return new RootContext(values);
  }
}
const rootContext = new RootContext();

const headerSetter = { set: (carrier: Headers, key: string, value: string) => carrier.set(key, value) };

/** Records one call's duration (ms) on the duration histogram(s). */
type DurationRecorder = (elapsedMs: number, attributes: OtelAttributes) => void;

/** The `rpc.system.name` of a transport: `grpc`, `http` (REST) or `aws-api`. */
export type RpcSystem = "grpc" | "http" | "aws-api";

/** The options of {@link createTracing}. @internal */
export interface TracingOptions {
  readonly tracerProvider?: TracerProviderLike;
  readonly meterProvider?: MeterProviderLike;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly scrubber: SecretScrubber;
}

/**
 * The tracing and metrics of one cloud. Providers passed as options win;
 * otherwise the ones registered with `@opentelemetry/api` are read at each
 * call (a provider registered after the cloud was made still counts).
 *
 * @example
 * ```ts
 * const tracing = createTracing({ tracerProvider, env, scrubber });
 * const span = tracing.startCall(method); // one per logical call, in the call guard
 * ```
 * @internal
 */
export interface Tracing {
  /** A CLIENT span for one logical call, or none when no tracer or meter is there. */
  startCall(method: DescMethod): CallSpan | undefined;
  /** An INTERNAL span for a wait or a log follow; its polls are recorded as `dataproc_connect.polls`. */
  startInternal(name: string, attributes?: OtelAttributes): WaitSpan;
}

/**
 * The INTERNAL span of a wait or log follow: each read runs inside it (so
 * the calls' CLIENT spans are its children where a context manager is
 * registered) and counts as a poll.
 *
 * @example
 * ```ts
 * const span = waitSpan(cloud, "wait", "/example.v1.JobService/Get"); // "wait JobService/Get"
 * try { job = await span.poll(() => jobs.get(ref)); span.end(); } catch (e) { span.end(e); throw e; }
 * ```
 * @internal
 */
export class WaitSpan {
  polls = 0;
  readonly #span: OtelSpan | undefined;
  readonly #context: OtelContext | undefined;
  readonly #manager: OtelContextManager | undefined;
  constructor(span: OtelSpan | undefined, context: OtelContext | undefined, manager: OtelContextManager | undefined) {
    this.#span = span;
    this.#context = context;
    this.#manager = manager;
  }
  /** One read of the wait, inside the span. */
  poll<T>(read: () => Promise<T>): Promise<T> {
    this.polls++;
    return this.#manager && this.#context ? this.#manager.with(this.#context, read) : read();
  }
  /** The wait ended: with its result (`error` undefined) or its error. */
  end(error?: unknown): void {
    if (!this.#span) return;
    if (error !== undefined) {
      this.#span.setAttribute("error.type", errorType(error));
      this.#span.setStatus({ code: statusError });
    }
    this.#span.setAttribute("dataproc_connect.polls", this.polls);
    this.#span.end();
  }
}

function untracedWait(): WaitSpan {
  return new WaitSpan(undefined, undefined, undefined);
}

/**
 * Which cloud a wait belongs to: every wait gets the cloud's `sleep` (the
 * one `createCloudBase` made, ending at `close()`), so that function names
 * the cloud's tracing without a public field.
 */
const tracingBySleep = new WeakMap<object, Tracing>();

/** Records the tracing of the cloud whose sleep is `sleep`. @internal */
export function registerTracing(sleep: object, tracing: Tracing): void {
  tracingBySleep.set(sleep, tracing);
}

/**
 * The INTERNAL span of a wait on the cloud `env` belongs to (a no-op span
 * when the cloud has no tracer). `method` is the polled method's path; the
 * span is named `wait Service/Method` (or `follow …` for a log follow).
 *
 * @internal
 */
export function waitSpan(env: { readonly sleep: object }, verb: "wait" | "follow" | "read", method: string, attributes?: OtelAttributes): WaitSpan {
  const tracing = tracingBySleep.get(env.sleep);
  if (!tracing) return untracedWait();
  const short = method.replace(/^\//, "").replace(/^.*\.([^./]+\/[^/]+)$/, "$1");
  // Not `rpc.method`: this span is no RPC, its children are.
  return tracing.startInternal(`${verb} ${short}`, { "dataproc_connect.polled_method": method.replace(/^\//, ""), ...attributes });
}

/** Whether `OTEL_SEMCONV_STABILITY_OPT_IN` asks for the old RPC attribute names too. */
function wantsOldNames(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.OTEL_SEMCONV_STABILITY_OPT_IN ?? "")
    .split(",")
    .map((v) => v.trim().toLowerCase())
    .includes("rpc/dup");
}

/**
 * Checks a `tracerProvider` / `meterProvider` option (plain JavaScript can
 * pass anything): a TypeError naming it, at construction, not at the first call.
 *
 * @internal
 */
export function checkProviders(options: { readonly tracerProvider?: unknown; readonly meterProvider?: unknown }): void {
  for (const [name, method] of [
    ["tracerProvider", "getTracer"],
    ["meterProvider", "getMeter"],
  ] as const) {
    const value = options[name] as Record<string, unknown> | null | undefined;
    if (value === undefined) continue;
    if (value === null || (typeof value !== "object" && typeof value !== "function") || typeof value[method] !== "function") {
      throw new TypeError(`${name}: expected an OpenTelemetry ${name === "tracerProvider" ? "TracerProvider" : "MeterProvider"} (an object with ${method}(name, version)), got ${value === null ? "null" : typeof value}`);
    }
  }
}

/** @internal */
export function createTracing(options: TracingOptions): Tracing {
  const dup = wantsOldNames(options.env);
  let tracer: { provider: TracerProviderLike; tracer: OtelTracer } | undefined;
  let meter: { provider: MeterProviderLike; record: DurationRecorder } | undefined;
  const tracerOf = (provider: TracerProviderLike): OtelTracer => {
    if (tracer?.provider !== provider) tracer = { provider, tracer: provider.getTracer("dataproc-connect", version) };
    return tracer.tracer;
  };
  const recorderOf = (provider: MeterProviderLike): DurationRecorder => {
    if (meter?.provider !== provider) {
      const m = provider.getMeter("dataproc-connect", version);
      const seconds = m.createHistogram("rpc.client.call.duration", {
        unit: "s",
        description: "Duration of logical RPC calls made by dataproc-connect, all retries included.",
      });
      // rpc/dup: the experimental metric too, in milliseconds as it was defined.
      const ms = dup ? m.createHistogram("rpc.client.duration", { unit: "ms", description: "Duration of logical RPC calls (experimental conventions)." }) : undefined;
      const record: DurationRecorder = (elapsedMs, attributes) => {
        seconds.record(elapsedMs / 1000, attributes);
        ms?.record(elapsedMs, attributes);
      };
      meter = { provider, record };
    }
    return meter.record;
  };
  return {
    startCall(method) {
      const api = otelGlobal();
      const traceProvider = options.tracerProvider ?? api?.trace;
      const meterProvider = options.meterProvider ?? api?.metrics;
      if (!traceProvider && !meterProvider) return undefined;
      const parent = api?.context?.active() ?? rootContext;
      const name = `${method.parent.typeName}/${method.name}`;
      const attributes: OtelAttributes = { "rpc.method": name };
      if (dup) attributes["rpc.service"] = method.parent.typeName;
      const span = traceProvider ? tracerOf(traceProvider).startSpan(name, { kind: spanKindClient, attributes }, parent) : undefined;
      return new CallSpan(span, span ? parent.setValue(spanKey, span) : parent, api?.propagation, meterProvider && recorderOf(meterProvider), attributes, dup, options.scrubber);
    },
    startInternal(name, attributes = {}) {
      const api = otelGlobal();
      const provider = options.tracerProvider ?? api?.trace;
      if (!provider) return untracedWait();
      const parent = api?.context?.active() ?? rootContext;
      const span = tracerOf(provider).startSpan(name, { kind: spanKindInternal, attributes }, parent);
      return new WaitSpan(span, parent.setValue(spanKey, span), api?.context);
    },
  };
}

/** The `error.type` of anything a call or wait ended with: the code name, else the class name. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number") return codeName(code);
  return error instanceof Error ? error.name : "_OTHER";
}

/**
 * The span (and duration metric) of one logical call. The call guard starts
 * and ends it; the attempt interceptor injects the trace context into each
 * attempt's headers and names the server; the retry adds an event per retried
 * attempt; the REST transport adds the HTTP attributes.
 *
 * @internal
 */
export class CallSpan {
  readonly #span: OtelSpan | undefined;
  readonly #context: OtelContext;
  readonly #propagator: OtelPropagator | undefined;
  readonly #record: DurationRecorder | undefined;
  readonly #metricAttributes: OtelAttributes;
  readonly #dup: boolean;
  readonly #scrubber: SecretScrubber;
  readonly #started = performance.now();
  #targetSet = false;

  constructor(
    span: OtelSpan | undefined,
    context: OtelContext,
    propagator: OtelPropagator | undefined,
    record: DurationRecorder | undefined,
    attributes: OtelAttributes,
    dup: boolean,
    scrubber: SecretScrubber,
  ) {
    this.#span = span?.isRecording() === false ? undefined : span;
    this.#context = context;
    this.#propagator = propagator;
    this.#record = record;
    this.#metricAttributes = { "rpc.method": attributes["rpc.method"] };
    this.#dup = dup;
    this.#scrubber = scrubber;
  }

  #set(key: string, value: string | number | string[] | undefined): void {
    if (value === undefined) return;
    this.#span?.setAttribute(key, value);
  }

  /** Each attempt: the server's attributes (once) and the trace context into the request's headers. */
  attempt(header: Headers, endpoint: string, system: RpcSystem): void {
    if (!this.#targetSet) {
      this.#targetSet = true;
      let address: string | undefined;
      let port: number | undefined;
      try {
        const url = new URL(endpoint);
        address = url.hostname.replace(/^\[(.*)\]$/, "$1");
        port = url.port === "" ? (url.protocol === "http:" ? 80 : 443) : Number(url.port);
      } catch {
        address = undefined;
      }
      const target = { "rpc.system.name": system, "server.address": address, "server.port": port };
      Object.assign(this.#metricAttributes, target);
      this.#set("rpc.system.name", system);
      this.#set("server.address", address);
      this.#set("server.port", port);
      if (this.#dup) this.#set("rpc.system", system);
    }
    this.#propagator?.inject(this.#context, header, headerSetter);
  }

  /** A response id (`x-request-id`, …) the server returned, scrubbed. */
  responseId(name: string, value: string | null): void {
    // A string[] attribute, as the semantic conventions define metadata (a header may repeat).
    if (value) this.#set(`rpc.response.metadata.${name.toLowerCase()}`, [this.#scrubber.text(value)]);
  }

  /** A REST request: its verb and URL, query values left out. */
  http(method: string, url: URL): void {
    if (!this.#span) return;
    this.#set("http.request.method", method);
    this.#set("url.full", urlWithoutQueryValues(url));
  }

  /** A REST response's status (the last attempt's stays). */
  httpStatus(status: number): void {
    this.#set("http.response.status_code", status);
  }

  /** Attempt `attempt` failed with `outcome` and is retried after `delayMs`. */
  retry(attempt: number, outcome: string, delayMs: number): void {
    this.#span?.addEvent("retry", { "rpc.attempt": attempt, "rpc.attempt.outcome": outcome, "rpc.retry.delay_ms": Math.round(delayMs) });
  }

  /** The call ended: OK (`error` undefined) or with the cloud's error. */
  end(error?: unknown): void {
    if (error !== undefined) {
      const type = errorType(error);
      this.#metricAttributes["error.type"] = type;
      if (this.#span) {
        this.#span.setAttribute("error.type", type);
        this.#span.setAttribute("rpc.response.status_code", type);
        const code = (error as { code?: unknown }).code;
        if (this.#dup && typeof code === "number") this.#span.setAttribute("rpc.grpc.status_code", code);
        this.#span.setStatus({ code: statusError });
      }
    } else if (this.#span) {
      this.#span.setAttribute("rpc.response.status_code", "OK");
      if (this.#dup) this.#span.setAttribute("rpc.grpc.status_code", 0);
    }
    this.#span?.end();
    this.#record?.(performance.now() - this.#started, this.#metricAttributes);
  }
}

/** `url` with every query value replaced by `REDACTED` (keys stay: they say which filter was used). */
export function urlWithoutQueryValues(url: URL): string {
  if (url.search === "") return `${url.origin}${url.pathname}`;
  const keys = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=REDACTED`);
  return `${url.origin}${url.pathname}?${keys.join("&")}`;
}

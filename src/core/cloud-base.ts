import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { withTypeChecks } from "../validation/checked-client.js";
import { validateConstraints } from "../validation/validate.js";
import type { Violation } from "../validation/errors.js";
import type { DebugSink } from "./attempt.js";
import { guardUnaryCalls } from "./call-guard.js";
import type { CallState } from "./call-state.js";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import { CloseScope } from "./close-scope.js";
import type { CloudError } from "./cloud-error.js";
import { debugOutput } from "./debug.js";
import type { AttemptDebug, DebugLogger } from "./debug.js";
import { runtimeEnv } from "./env.js";
import { markFailure } from "./failure.js";
import { plaintextHostsFrom } from "./plaintext.js";
import { readMaxBytesOption } from "./read-limit.js";
import { retryInterceptor } from "./retry.js";
import type { RetryDeps, RetryPolicy } from "./retry.js";
import { SecretScrubber } from "./secret-scrubber.js";
import { realSleep } from "./sleep.js";
import type { Sleep } from "./sleep.js";
import { syncInterceptor } from "./sync-interceptor.js";
import type { MeterProviderLike, TracerProviderLike } from "./otel-types.js";
import { checkProviders, createTracing, registerTracing } from "./tracing.js";
import type { Tracing } from "./tracing.js";

/**
 * The options every cloud factory takes, with one meaning and one type on
 * every cloud factory. Each cloud adds its own (credentials, region,
 * transport, …).
 *
 * @example
 * ```ts
 * const common: CloudOptions = { timeoutMs: 30_000, retry: { maxAttempts: 5 }, debug: true };
 * const aws = createAwsCloud({ ...common, region: "eu-west-1" });
 * const huawei = createHuaweiCloud({ ...common, region: "cn-north-4" });
 * ```
 */
export interface CloudOptions {
  /**
   * One base URL for every service (a gateway, a VPC endpoint, the
   * emulator): `https://host[:port][/prefix]`; `http://` only to loopback
   * and `insecurePlaintextHosts`. A value without a scheme is an error.
   * Default: the cloud's public endpoint (or the cloud's own environment variable).
   */
  readonly endpoint?: string;
  /** Deadline of each call unless the call sets `timeoutMs`. Default 60 s; 0 or Infinity for none. */
  readonly timeoutMs?: number;
  /** The retry policy over the cloud's defaults, or `false` to never retry. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Check requests (JS types and the .proto constraints) before sending. Default true. */
  readonly validate?: boolean;
  /** Extra interceptors, run on every attempt, innermost (before signing or auth headers are final). */
  readonly interceptors?: readonly Interceptor[];
  /**
   * One line per attempt (method, endpoint, attempt, outcome, ids, ms;
   * never a secret): `true` prints to stderr, a function receives them, a
   * structured logger (pino's `debug(fields, message)`) receives the same
   * as fields. Default: on when `DATAPROC_CONNECT_DEBUG=1`.
   */
  readonly debug?: boolean | DebugSink | DebugLogger;
  /** Where environment variables are read from. Default `process.env` (an empty record where there is none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time source for tokens, signing, waits and the retry budget; tests pass the emulator's clock. */
  readonly clock?: Clock;
  /** How to wait between polls and retries; tests on a manual clock pass one that advances it. */
  readonly sleep?: Sleep;
  /** The `fetch` REST calls use. Default: the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * The largest answer accepted, in bytes, after decompression, on every
   * transport. Default 16 MiB (4× the 4 MiB grpc-js accepts under the
   * official SDKs, so every real answer fits, even as JSON). A larger answer
   * fails with RESOURCE_EXHAUSTED naming the limit and is not retried.
   */
  readonly readMaxBytes?: number;
  /**
   * Non-loopback `host[:port]`s allowed over plaintext `http://` (loudly
   * warned about). Default: `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`.
   */
  readonly insecurePlaintextHosts?: readonly string[];
  /**
   * Where spans go: one CLIENT span per logical call (all retries in it),
   * INTERNAL spans for waits and log follows. Default: the provider
   * registered with `@opentelemetry/api`, if any (the package never imports
   * the API; it reads its global registry).
   *
   * @example
   * ```ts
   * createAwsCloud({ tracerProvider: new BasicTracerProvider({ spanProcessors: [processor] }) });
   * ```
   */
  readonly tracerProvider?: TracerProviderLike;
  /** Where `rpc.client.call.duration` (seconds) is recorded. Default: the meter provider registered with `@opentelemetry/api`, if any. */
  readonly meterProvider?: MeterProviderLike;
}

/**
 * What every cloud object offers beside its clients, with one meaning on
 * every cloud: code that only waits, polls or closes takes any of them.
 *
 * @example
 * ```ts
 * async function pause(cloud: CloudLifecycle, ms: number) { await cloud.sleep(ms); } // ends at cloud.close()
 * ```
 */
export interface CloudLifecycle {
  /**
   * Closes the cloud for good: calls, retries, waits and credential lookups
   * in flight end at once with the cloud's error, CANCELED "client closed";
   * later calls reject the same way without sending anything, and no timer
   * or connection is left, so the process can exit.
   */
  close(): void;
  /** Aborts when {@link close} is called; its reason is the "client closed" error. */
  readonly closeSignal: AbortSignal;
  /** The clock of the options (or the system clock): tokens, signing, waits and the retry budget. */
  readonly clock: Clock;
  /** The sleep of the options (or a timer); it also ends, rejecting, when the cloud is closed. */
  readonly sleep: Sleep;
}

/** How a cloud makes its own errors; the skeleton decides when. */
export interface CloudErrors {
  /** Any failure of a call, as the cloud's error (the call guard calls it). */
  wrap(error: unknown, context: { readonly method: DescMethod; readonly endpoint: string | undefined; readonly state: CallState }): CloudError;
  /** A request refused on this side before anything was sent (types or constraints). */
  invalid(method: DescMethod, violations: readonly Violation[], endpoint: string | undefined): CloudError;
  /** A bad factory option, found at construction: INVALID_ARGUMENT naming it. */
  option(message: string, option: string, cause: unknown): CloudError;
}

/** What every cloud factory shares: state, the common interceptors, the guarded clients and `close()`. */
export interface CloudBase {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  /** The given sleep, ending (rejecting) when the cloud is closed. */
  readonly sleep: Sleep;
  readonly scope: CloseScope;
  readonly closeSignal: AbortSignal;
  /** Every secret this cloud sends is remembered here and scrubbed from what servers answer. */
  readonly scrubber: SecretScrubber;
  /** Spans and metrics of this cloud's calls and waits. */
  readonly tracing: Tracing;
  /** The debug output (lines or a logger), scrubbed, or none. */
  readonly debug: AttemptDebug | undefined;
  readonly readMaxBytes: number;
  /** The default deadline in ms, or none. */
  readonly defaultTimeoutMs: number | undefined;
  readonly plaintextHosts: readonly string[];
  readonly validate: boolean;
  /** Runs `fn`; what it throws becomes INVALID_ARGUMENT naming `option`. */
  setup<T>(option: string, fn: () => T): T;
  /**
   * The interceptors every call starts with, outermost first: the .proto
   * constraints (unless `validate: false`), then `before` (the cloud's own,
   * such as call ids or an idempotency token), then the retry with the
   * cloud's defaults and traits (unless `retry: false`).
   */
  outer(before: readonly Interceptor[], retryDefaults: RetryPolicy, deps: Omit<RetryDeps, "sleep" | "clock">): Interceptor[];
  /** A client for `service` over `transport`: the JS-type checks (unless `validate: false`) and the call guard. */
  client<S extends DescService>(service: S, transport: Transport, endpoint: () => string | undefined): Client<S>;
  /** Ends every call, retry, wait and lookup of this cloud with a CANCELED "client closed". */
  close(): void;
}

/**
 * `/package.Service/Method`, the one way every cloud names a method in its
 * errors, debug lines and spans (gRPC's path, also for REST calls).
 *
 * @example
 * ```ts
 * methodPath(EmrServerless.method.getJobRun); // "/aws.emr_serverless.v1.EmrServerlessService/GetJobRun"
 * ```
 */
export function methodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * The skeleton of every cloud factory, written once: options read the same
 * way, a close scope that ends calls, waits and credential lookups, a sleep
 * that ends on close, the retry with its budget, validation, the secret
 * scrubber, the call guard. A cloud passes what differs as data: its errors,
 * its retry defaults and traits, its transport.
 *
 * @example
 * ```ts
 * const base = createCloudBase("createAwsCloud", options, awsErrors);
 * const transport = createRestTransport({ baseUrl, interceptors: base.outer([token], defaultAwsRetryPolicy, { traits }), … });
 * const emr = base.client(EmrServerless, transport, () => baseUrl);
 * ```
 */
export function createCloudBase(factory: string, options: CloudOptions, errors: CloudErrors): CloudBase {
  const setup = <T>(option: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw errors.option(`${factory}: ${error instanceof Error ? error.message : String(error)}`, option, error);
    }
  };
  const env = options.env ?? runtimeEnv();
  const clock = options.clock ?? systemClock;
  const scope = new CloseScope();
  const givenSleep = options.sleep ?? realSleep;
  // Every wait, poll and backoff ends when the cloud is closed.
  const sleep: Sleep = (ms, signal) => {
    const linked = scope.link(signal);
    return givenSleep(ms, linked.signal).finally(linked.dispose);
  };
  const scrubber = new SecretScrubber();
  const requested = options.timeoutMs ?? 60_000;
  const validate = options.validate !== false;
  setup("tracerProvider", () => checkProviders({ tracerProvider: options.tracerProvider }));
  setup("meterProvider", () => checkProviders({ meterProvider: options.meterProvider }));
  const tracing = createTracing({ tracerProvider: options.tracerProvider, meterProvider: options.meterProvider, env, scrubber });
  registerTracing(sleep, tracing);

  return {
    env,
    clock,
    sleep,
    scope,
    closeSignal: scope.signal,
    scrubber,
    tracing,
    debug: setup("debug", () => debugOutput(options.debug, env, scrubber)),
    readMaxBytes: setup("readMaxBytes", () => readMaxBytesOption(options.readMaxBytes)),
    // 0 or Infinity: no default deadline (a literal 0 ms deadline would fail every call).
    defaultTimeoutMs: requested > 0 && Number.isFinite(requested) ? requested : undefined,
    plaintextHosts: plaintextHostsFrom(options.insecurePlaintextHosts, env),
    validate,
    setup,
    outer(before, retryDefaults, deps) {
      const chain: Interceptor[] = [];
      if (validate) chain.push(constraintsInterceptor(errors));
      chain.push(...before);
      if (options.retry !== false) chain.push(retryInterceptor({ ...retryDefaults, ...(options.retry || {}) }, { ...deps, sleep, clock }));
      return chain;
    },
    client<S extends DescService>(service: S, transport: Transport, endpoint: () => string | undefined): Client<S> {
      let plain = createClient(service, transport);
      // JS-type checks of the caller's init object, before createClient's create() coerces it.
      if (validate) plain = withTypeChecks(service, plain, (method, violations) => errors.invalid(method, violations, endpoint()));
      return guardUnaryCalls(service, plain, scope, (error, method, state) => errors.wrap(error, { method, endpoint: endpoint(), state }), scrubber, tracing);
    },
    close() {
      if (scope.signal.aborted) return;
      scope.close(markFailure(new ConnectError("client closed: cloud.close() was called", Code.Canceled), { origin: "local" }));
    },
  };
}

/** The .proto constraints of each request, checked before it is sent. */
function constraintsInterceptor(errors: CloudErrors): Interceptor {
  return syncInterceptor((req) => {
    if (req.stream) return;
    const violations = validateConstraints(req.method.input, req.message);
    if (violations.length > 0) throw errors.invalid(req.method, violations, undefined);
  });
}

import { create } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import type { Registry } from "@bufbuild/protobuf";
import { CreateIamTokenRequestSchema, IamTokenService } from "../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { OperationService } from "../../gen/yandex/cloud/operation/operation_service_pb.js";
import { runtimeEnv } from "../core/env.js";
import { debugSink } from "../core/debug.js";
import { SecretScrubber, scrubbedSink } from "../core/secret-scrubber.js";
import { plaintextHostsFrom } from "../core/plaintext.js";
import { markFailure } from "../core/failure.js";
import { CloseScope } from "../core/close-scope.js";
import { realSleep } from "../core/sleep.js";
import type { Sleep } from "../core/sleep.js";
import type { OperationContext } from "./operation/typed-operation.js";
import { createApiRegistry } from "./registry.js";
import { withTypedOperations } from "./client.js";
import type { YandexClient } from "./client.js";
import { fromEnvironment } from "./credentials/environment.js";
import { redacted } from "./credentials/redact.js";
import type { Clock, Credentials, IamTokenExchange } from "./credentials/types.js";
import { systemClock } from "./credentials/types.js";
import { readMaxBytesOption } from "../core/read-limit.js";
import { assertSafeEndpoint, resolveEndpoint } from "./endpoint.js";
import type { EndpointOverrides } from "./endpoint.js";
import { localError } from "./errors.js";
import { guardClient } from "./guard.js";
import { attemptInterceptor } from "../core/attempt.js";
import type { DebugSink } from "../core/attempt.js";
import { authInterceptor } from "./interceptors/auth.js";
import { callIdsInterceptor } from "./interceptors/call-ids.js";
import { grpcFailureInterceptor } from "../grpc/failure.js";
import { retryInterceptor } from "./retry.js";
import type { RetryPolicy } from "./retry.js";
import { validateInterceptor } from "./interceptors/validate.js";
import { withTypeChecks } from "../validation/checked-client.js";
import { validationError } from "./errors.js";
import { transportKindFor, yandexRestTransport } from "./transport.js";
import type { TransportKind, TransportOverrides } from "./transport.js";
import { lazyGrpcTransport } from "../grpc/transport.js";
import type { ClosableSession } from "../grpc/transport.js";

export interface YandexCloudOptions {
  /** Where IAM tokens come from. Default: {@link fromEnvironment}. */
  readonly credentials?: Credentials;
  /**
   * One base URL for every service, e.g. the emulator's
   * `http://127.0.0.1:4000`. Default: the `YC_ENDPOINT` environment variable,
   * so a program can be pointed at the emulator without editing it. Plaintext
   * `http://` is accepted for loopback and `insecurePlaintextHosts` only.
   */
  readonly endpoint?: string;
  /**
   * `host[:port]` entries (no port: every port) that may be reached over
   * plaintext `http://` although they are not loopback, e.g. an emulator on
   * another machine. Bearer tokens to these hosts travel unencrypted, so the
   * client prints a warning naming them. Default: the comma-separated
   * `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS` environment variable.
   */
  readonly insecurePlaintextHosts?: readonly string[];
  /**
   * One line per attempt (method, endpoint, attempt number, outcome, ids,
   * duration; never a secret): `true` prints to stderr, a function receives
   * the lines. Default: on when `DATAPROC_CONNECT_DEBUG=1`.
   */
  readonly debug?: boolean | DebugSink;
  /**
   * Where `YC_ENDPOINT`, `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS` and
   * `DATAPROC_CONNECT_DEBUG` are read from. Default: `process.env` (an empty
   * record on runtimes without one).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Per-service or per-package base URLs, most specific match wins:
   * `{ "yandex.cloud.spark.v1.JobService": "https://…" }` or
   * `{ "yandex.cloud.iam": "https://…" }`. Without a match: `endpoint`, then
   * the public endpoint derived from the service name.
   */
  readonly endpoints?: EndpointOverrides;
  /** Deadline of each call unless the call sets `timeoutMs`. Default 60 s; 0 or Infinity for none. */
  readonly timeoutMs?: number;
  /** Retry policy, or `false` to never retry. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Check requests against the proto constraints before sending. Default true. */
  readonly validate?: boolean;
  /** Extra interceptors, run on every attempt after auth (innermost). */
  readonly interceptors?: readonly Interceptor[];
  /** Time source for token expiry, wait timeouts and the retry time budget; tests pass the emulator's clock. */
  readonly clock?: Clock;
  /**
   * How to wait between polls and retries. Tests on the emulator's manual
   * clock pass one that advances the clock instead of sleeping.
   */
  readonly sleep?: Sleep;
  /**
   * Types used to decode operations and error details. Default: every type
   * this package ships; pass a larger registry when you add services.
   */
  readonly registry?: Registry;
  /**
   * `"grpc"` (default): gRPC over HTTP/2. `"rest"`: REST/JSON over `fetch`
   * through the services' `google.api.http` rules (Data Proc jobs,
   * operations, IAM), on any runtime with `fetch`. A service with no HTTP
   * rules (Managed Spark) asked to go over REST fails at `client()`.
   */
  readonly transport?: TransportKind;
  /**
   * Per-service or per-package transport, most specific wins:
   * `{ "yandex.cloud.dataproc.v1": "rest" }`.
   */
  readonly transports?: TransportOverrides;
  /** The `fetch` the REST transport uses (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * The largest message accepted from a server, in bytes, after
   * decompression, over gRPC and REST alike. Default 16 MiB: 4× the
   * 4 MiB grpc-js (under the official SDK) accepts, so every answer the API
   * gives fits, even as JSON. A larger answer fails with
   * RESOURCE_EXHAUSTED naming the limit and is not retried; inflating a
   * compressed message stops as soon as it passes the limit.
   */
  readonly readMaxBytes?: number;
}

/** Typed clients for Yandex Cloud services sharing credentials and connections. */
export interface YandexCloud {
  /**
   * A typed client for any generated Yandex Cloud service. Clients are cached:
   * the same service gives the same client. Methods that start a long-running
   * operation return a {@link TypedOperation} you can `wait()` for.
   */
  client<S extends DescService>(service: S): YandexClient<S>;
  /**
   * Closes the client for good: calls, retries, waits and log follows in
   * flight end at once with a `YandexCloudError` CANCELED "client closed",
   * later calls reject the same way without connecting, every HTTP/2 session
   * is closed and no timer is left, so the process can exit.
   */
  close(): void;
  /** Aborts when {@link close} is called; its reason is the "client closed" error. */
  readonly closeSignal: AbortSignal;
  /** The base URL calls to `service` go to (after overrides and `YC_ENDPOINT`). */
  endpointOf(service: DescService): string;
  /** The clock given in the options (or the system clock). */
  readonly clock: Clock;
  /**
   * The sleep given in the options (or a real timer), for helpers that poll.
   * It also ends, rejecting, when the client is closed.
   */
  readonly sleep: Sleep;
  /** The registry used to decode operations and error details. */
  readonly registry: Registry;
}

/**
 * The entry point: one object that builds typed Connect clients for any
 * Yandex Cloud service, with the endpoint derived from the service name, an
 * IAM token on every call (renewed lazily), request and trace ids, an
 * Idempotency-Key on mutating calls, safe retries, a default deadline,
 * client-side validation and one error type.
 *
 * Every piece reads the service descriptors, so a service added later as a
 * .proto works the same with no code here. One HTTP/2 session is shared per
 * endpoint; call `close()` when done.
 *
 * @example
 * ```ts
 * import { createYandexCloud, serviceAccountKey } from "dataproc-connect";
 * import { JobService } from "dataproc-connect/dataproc/v1";
 *
 * const cloud = createYandexCloud({ credentials: serviceAccountKey("key.json") });
 * const jobs = cloud.client(JobService);
 * const job = await jobs.get({ clusterId: "c9q…", jobId: "c9q…" });
 * cloud.close();
 * ```
 */
export function createYandexCloud(options: YandexCloudOptions = {}): YandexCloud {
  const env = options.env ?? runtimeEnv();
  const credentials = options.credentials ?? fromEnvironment(env);
  const clock = options.clock ?? systemClock;
  const registry = options.registry ?? createApiRegistry();
  const endpoint = options.endpoint ?? (env.YC_ENDPOINT?.trim() || undefined);
  const plaintextHosts = options.insecurePlaintextHosts ?? plaintextHostsFrom(undefined, env);
  // Every secret this client sends (IAM tokens, the OAuth token or JWT it
  // exchanges) is scrubbed from what servers answer: errors and debug lines.
  const scrubber = new SecretScrubber();
  const debug = scrubbedSink(debugSink(options.debug, env), scrubber);
  // 0 or Infinity: no default deadline (a literal 0 ms deadline would fail every call).
  const requested = options.timeoutMs ?? 60_000;
  const defaultTimeout = requested > 0 && Number.isFinite(requested) ? requested : undefined;
  let readMaxBytes: number;
  try {
    readMaxBytes = readMaxBytesOption(options.readMaxBytes);
  } catch (error) {
    throw localError(Code.InvalidArgument, (error as Error).message, { method: "createYandexCloud", attempts: 0, registry });
  }
  const sessions = new Map<string, ClosableSession>();
  const transports = new Map<string, Transport>();
  const clients = new Map<DescService, unknown>();
  const scope = new CloseScope();
  const closeSignal = scope.signal;

  const givenSleep = options.sleep ?? realSleep;
  // Every wait, poll and backoff ends when the client is closed.
  const sleep: Sleep = (ms, signal) => {
    const linked = scope.link(signal);
    return givenSleep(ms, linked.signal).finally(linked.dispose);
  };

  const common: Interceptor[] = [];
  if (options.validate !== false) common.push(validateInterceptor);
  common.push(callIdsInterceptor);
  // Without user interceptors inside the retry, every inner one overwrites its
  // headers on each attempt: no copy of the headers is kept per call.
  const restoreHeaders = (options.interceptors?.length ?? 0) > 0;
  if (options.retry !== false) common.push(retryInterceptor(options.retry || {}, sleep, clock, restoreHeaders));

  const urlFor = (service: DescService): string => {
    const url = resolveEndpoint(service, options.endpoints, endpoint);
    assertSafeEndpoint(url, plaintextHosts);
    return url;
  };

  const transportFor = (service: DescService, url: string, authenticated: boolean): Transport => {
    const kind = transportKindFor(service, options.transports, options.transport);
    const key = `${kind} ${authenticated ? "auth" : "anon"} ${url}`;
    let transport = transports.get(key);
    if (!transport) {
      const interceptors = [
        ...common,
        attemptInterceptor(url, debug),
        ...(authenticated ? [authInterceptor(credentials, exchange, clock, scrubber, closeSignal)] : []),
        ...(options.interceptors ?? []),
        // REST marks its own failures where they happen; gRPC's are read from
        // what arrived (and a refused oversized message is made final).
        ...(kind === "grpc" ? [grpcFailureInterceptor] : []),
      ];
      const config = { baseUrl: url, interceptors, defaultTimeoutMs: defaultTimeout, registry, fetch: options.fetch, readMaxBytes };
      transport = kind === "rest" ? yandexRestTransport(config) : lazyGrpcTransport(config, sessions, () => closeSignal.aborted);
      transports.set(key, transport);
    }
    return transport;
  };

  const guarded = <S extends DescService>(service: S, authenticated: boolean): Client<S> => {
    let url: string;
    let transport: Transport;
    try {
      url = urlFor(service);
      transport = transportFor(service, url, authenticated);
    } catch (error) {
      let where: string | undefined;
      try {
        where = resolveEndpoint(service, options.endpoints, endpoint);
      } catch {
        where = undefined; // the endpoint itself is what is wrong
      }
      throw localError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), {
        method: `/${service.typeName}`,
        endpoint: where,
        attempts: 0,
        registry,
      });
    }
    let plain = createClient(service, transport);
    // JS-type checks of the caller's init object, before createClient's create() coerces it.
    if (options.validate !== false) {
      plain = withTypeChecks(service, plain, (method, violations) =>
        validationError(method.input.typeName, violations, { method: `/${service.typeName}/${method.name}`, endpoint: url, registry }),
      );
    }
    return guardClient(service, plain, { endpoint: url, registry, scope, scrubber });
  };

  // IamTokenService.Create carries the long-lived secret itself, so it goes
  // out without a bearer token (and through the same plaintext rule).
  let iam: Client<typeof IamTokenService> | undefined;
  const exchange: IamTokenExchange = async (identity, signal) => {
    iam ??= guarded(IamTokenService, false);
    scrubber.remember(identity.value);
    const response = await iam.create(create(CreateIamTokenRequestSchema, { identity }), { signal });
    return {
      token: response.iamToken,
      expiresAt: response.expiresAt ? timestampMs(response.expiresAt) : Number.POSITIVE_INFINITY,
    };
  };

  const operations = (): YandexClient<typeof OperationService> => cloud.client(OperationService);
  const operationContext: OperationContext = {
    registry,
    clock,
    sleep,
    endpoint: () => resolveEndpoint(OperationService, options.endpoints, endpoint),
    get: (operationId, signal, onHeader) => operations().get({ operationId }, { signal, onHeader }),
    cancel: (operationId, signal) => operations().cancel({ operationId }, { signal }),
    scrub: (error) => scrubber.error(error),
  };

  const cloud: YandexCloud = {
    clock,
    sleep,
    registry,
    closeSignal,
    endpointOf: (service) => resolveEndpoint(service, options.endpoints, endpoint),
    client<S extends DescService>(service: S): YandexClient<S> {
      let client = clients.get(service) as YandexClient<S> | undefined;
      if (!client) {
        client = withTypedOperations(service, guarded(service, true), registry, operationContext);
        clients.set(service, client);
      }
      return client;
    },
    close(): void {
      if (closeSignal.aborted) return;
      scope.close(markFailure(new ConnectError("client closed: cloud.close() was called", Code.Canceled), { origin: "local" }));
      for (const session of sessions.values()) session.abort();
      sessions.clear();
      transports.clear();
    },
  };
  return redacted(cloud, { credentials: credentials.kind });
}


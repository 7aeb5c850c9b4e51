import { create } from "@bufbuild/protobuf";
import type { DescService, Registry } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import type { Client, Transport } from "@connectrpc/connect";
import { CreateIamTokenRequestSchema, IamTokenService } from "../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { OperationService } from "../../gen/yandex/cloud/operation/operation_service_pb.js";
import { attemptInterceptor } from "../core/attempt.js";
import { createCloudBase, methodPath } from "../core/cloud-base.js";
import type { CloudErrors, CloudLifecycle, CloudOptions } from "../core/cloud-base.js";
import { headerIdempotencyKey } from "../core/headers.js";
import { grpcFailure, grpcFailureInterceptor } from "../grpc/failure.js";
import { lazyGrpcTransport } from "../grpc/transport.js";
import type { ClosableSession, KeepAlive } from "../grpc/transport.js";
import type { YandexClient } from "./client.js";
import { withTypedOperations } from "./client.js";
import { fromEnvironment } from "./credentials/environment.js";
import { redacted } from "../core/redact.js";
import type { Credentials, IamTokenExchange } from "./credentials/types.js";
import { assertSafeEndpoint, resolveEndpoint } from "./endpoint.js";
import type { EndpointOverrides } from "./endpoint.js";
import { YandexCloudError, localError, validationError } from "./errors.js";
import { rememberEnv } from "./cloud-env.js";
import { authInterceptor } from "./interceptors/auth.js";
import { callIdsInterceptor } from "./interceptors/call-ids.js";
import { isReadOnly } from "./method-kind.js";
import type { OperationContext } from "./operation/typed-operation.js";
import { createApiRegistry } from "./registry.js";
import { defaultRetryPolicy } from "./retry.js";
import type { RetryPolicy } from "./retry.js";
import { transportKindFor, yandexRestTransport } from "./transport.js";
import type { TransportKind, TransportOverrides } from "./transport.js";

/** Options of {@link createYandexCloud}: the shared {@link CloudOptions} and Yandex's own. */
export interface YandexCloudOptions extends CloudOptions {
  /** Where IAM tokens come from. Default: {@link fromEnvironment}. */
  readonly credentials?: Credentials;
  /**
   * Per-service or per-package base URLs, most specific match wins:
   * `{ "yandex.cloud.spark.v1.JobService": "https://…" }` or
   * `{ "yandex.cloud.iam": "https://…" }`. Without a match: `endpoint`, then
   * `YC_ENDPOINT`, then the public endpoint derived from the service name.
   */
  readonly endpoints?: EndpointOverrides;
  /** Retry policy over {@link defaultRetryPolicy}, or `false` to never retry. */
  readonly retry?: Partial<RetryPolicy> | false;
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
  /**
   * HTTP/2 keep-alive pings on gRPC sessions: default a PING after 30 s of
   * silence during a call, 15 s to answer ({@link defaultKeepAlive});
   * `false` for none.
   */
  readonly keepAlive?: KeepAlive | false;
}

/** Typed clients for Yandex Cloud services sharing credentials and connections. */
export interface YandexCloud extends CloudLifecycle {
  /**
   * A typed client for any generated Yandex Cloud service. Clients are cached:
   * the same service gives the same client. Methods that start a long-running
   * operation return a {@link TypedOperation} you can `wait()` for.
   */
  client<S extends DescService>(service: S): YandexClient<S>;
  /** The base URL calls to `service` go to (after overrides and `YC_ENDPOINT`). */
  endpointOf(service: DescService): string;
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
  const registry = options.registry ?? createApiRegistry();
  const errors: CloudErrors = {
    wrap: (error, { method, endpoint, state }) => {
      const wrapped = YandexCloudError.wrap(error, {
        method: methodPath(method),
        endpoint,
        attempts: state.attempts,
        clientRequestId: state.clientRequestId,
        clientTraceId: state.clientTraceId,
        registry,
      });
      // Errors made inside the chain (validation) do not know the endpoint yet.
      if (wrapped.endpoint === undefined) (wrapped as { endpoint: string | undefined }).endpoint = endpoint;
      return wrapped;
    },
    invalid: (method, violations, endpoint) => validationError(method.input.typeName, violations, { method: methodPath(method), endpoint, registry }),
    option: (message, option, cause) => localError(Code.InvalidArgument, message, { method: `createYandexCloud(${option})`, attempts: 0, registry }, cause),
  };
  const base = createCloudBase("createYandexCloud", options, errors);
  const { env, clock, sleep, scope, closeSignal, scrubber } = base;
  const credentials = options.credentials ?? fromEnvironment(env);
  const endpoint = options.endpoint ?? (env.YC_ENDPOINT?.trim() || undefined);
  const sessions = new Map<string, ClosableSession>();
  const transports = new Map<string, Transport>();
  const clients = new Map<DescService, unknown>();

  // Without user interceptors inside the retry, every inner one overwrites its
  // headers on each attempt: no copy of the headers is kept per call.
  const outer = base.outer([callIdsInterceptor], defaultRetryPolicy, {
    classify: grpcFailure,
    traits: (req) => ({ readOnly: isReadOnly(req.method), idempotent: req.header.has(headerIdempotencyKey) }),
    restoreHeaders: (options.interceptors?.length ?? 0) > 0,
  });

  const urlFor = (service: DescService): string => {
    const url = resolveEndpoint(service, options.endpoints, endpoint);
    assertSafeEndpoint(url, base.plaintextHosts);
    return url;
  };

  const transportFor = (service: DescService, url: string, authenticated: boolean): Transport => {
    const kind = transportKindFor(service, options.transports, options.transport);
    const key = `${kind} ${authenticated ? "auth" : "anon"} ${url}`;
    let transport = transports.get(key);
    if (!transport) {
      const interceptors = [
        ...outer,
        attemptInterceptor(url, base.debug, { system: kind === "rest" ? "http" : "grpc" }),
        ...(authenticated ? [authInterceptor(credentials, exchange, clock, scrubber, closeSignal)] : []),
        ...(options.interceptors ?? []),
        // REST marks its own failures where they happen; gRPC's are read from
        // what arrived (and a refused oversized message is made final).
        ...(kind === "grpc" ? [grpcFailureInterceptor] : []),
      ];
      const config = { baseUrl: url, interceptors, defaultTimeoutMs: base.defaultTimeoutMs, registry, fetch: options.fetch, readMaxBytes: base.readMaxBytes, keepAlive: options.keepAlive };
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
    return base.client(service, transport, () => url);
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
      base.close();
      for (const session of sessions.values()) session.abort();
      sessions.clear();
      transports.clear();
    },
  };
  rememberEnv(cloud, env);
  return redacted(cloud, { credentials: credentials.kind });
}

import { create } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import type { Registry } from "@bufbuild/protobuf";
import { CreateIamTokenRequestSchema, IamTokenService } from "../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js";
import { OperationService } from "../../gen/yandex/cloud/operation/operation_service_pb.js";
import { realSleep } from "../operations/sleep.js";
import type { Sleep } from "../operations/sleep.js";
import type { OperationContext } from "../operations/typed-operation.js";
import { createApiRegistry } from "../registry.js";
import { withTypedOperations } from "./yandex-client.js";
import type { YandexClient } from "./yandex-client.js";
import { fromEnvironment } from "../credentials/environment.js";
import { redacted } from "../credentials/redact.js";
import type { Clock, Credentials, IamTokenExchange } from "../credentials/types.js";
import { systemClock } from "../credentials/types.js";
import { assertSafeEndpoint, resolveEndpoint } from "./endpoint.js";
import type { EndpointOverrides } from "./endpoint.js";
import { authInterceptor } from "./interceptors/auth.js";
import { callIdsInterceptor } from "./interceptors/call-ids.js";
import { errorInterceptor } from "./interceptors/errors.js";
import { requestIdInterceptor } from "./interceptors/request-id.js";
import { retryInterceptor } from "./interceptors/retry.js";
import type { RetryPolicy } from "./interceptors/retry.js";
import { validateInterceptor } from "./interceptors/validate.js";
import { lazyGrpcTransport, transportKindFor, yandexRestTransport } from "./transport-select.js";
import type { ClosableSession, TransportKind, TransportOverrides } from "./transport-select.js";

export interface YandexCloudOptions {
  /** Where IAM tokens come from. Default: {@link fromEnvironment}. */
  readonly credentials?: Credentials;
  /**
   * One base URL for every service, e.g. the emulator's
   * `http://127.0.0.1:4000`. Plaintext `http://` is accepted for loopback only.
   */
  readonly endpoint?: string;
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
  /** Time source for token expiry and wait timeouts; tests pass the emulator's clock. */
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
}

/** Typed clients for Yandex Cloud services sharing credentials and connections. */
export interface YandexCloud {
  /**
   * A typed client for any generated Yandex Cloud service. Clients are cached:
   * the same service gives the same client. Methods that start a long-running
   * operation return a {@link TypedOperation} you can `wait()` for.
   */
  client<S extends DescService>(service: S): YandexClient<S>;
  /** Closes every HTTP/2 session so the process can exit. */
  close(): void;
  /** The clock given in the options (or the system clock). */
  readonly clock: Clock;
  /** The sleep given in the options (or a real timer), for helpers that poll. */
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
  const credentials = options.credentials ?? fromEnvironment();
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const registry = options.registry ?? createApiRegistry();
  // 0 or Infinity: no default deadline (a literal 0 ms deadline would fail every call).
  const requested = options.timeoutMs ?? 60_000;
  const defaultTimeout = requested > 0 && Number.isFinite(requested) ? requested : undefined;
  const sessions = new Map<string, ClosableSession>();
  const transports = new Map<string, Transport>();
  const clients = new Map<DescService, unknown>();
  let closed = false;

  const common: Interceptor[] = [errorInterceptor];
  if (options.validate !== false) common.push(validateInterceptor);
  common.push(callIdsInterceptor);
  if (options.retry !== false) common.push(retryInterceptor(options.retry || {}, sleep));
  common.push(requestIdInterceptor);

  const urlFor = (service: DescService): string => {
    const url = resolveEndpoint(service, options.endpoints, options.endpoint);
    assertSafeEndpoint(url);
    return url;
  };

  const transportFor = (service: DescService, authenticated: boolean): Transport => {
    if (closed) throw new Error("createYandexCloud: used after close()");
    const kind = transportKindFor(service, options.transports, options.transport);
    const url = urlFor(service);
    const key = `${kind} ${authenticated ? "auth" : "anon"} ${url}`;
    let transport = transports.get(key);
    if (!transport) {
      const interceptors = authenticated
        ? [...common, authInterceptor(credentials, exchange, clock), ...(options.interceptors ?? [])]
        : [...common, ...(options.interceptors ?? [])];
      const config = { baseUrl: url, interceptors, defaultTimeoutMs: defaultTimeout, registry, fetch: options.fetch };
      transport = kind === "rest" ? yandexRestTransport(config) : lazyGrpcTransport(config, sessions, () => closed);
      transports.set(key, transport);
    }
    return transport;
  };

  // IamTokenService.Create carries the long-lived secret itself, so it goes
  // out without a bearer token (and through the same plaintext rule).
  let iam: Client<typeof IamTokenService> | undefined;
  const exchange: IamTokenExchange = async (identity, signal) => {
    iam ??= createClient(IamTokenService, transportFor(IamTokenService, false));
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
    get: (operationId, signal, onHeader) => operations().get({ operationId }, { signal, onHeader }),
    cancel: (operationId, signal) => operations().cancel({ operationId }, { signal }),
  };

  const cloud: YandexCloud = {
    clock,
    sleep,
    registry,
    client<S extends DescService>(service: S): YandexClient<S> {
      let client = clients.get(service) as YandexClient<S> | undefined;
      if (!client) {
        const plain = createClient(service, transportFor(service, true));
        client = withTypedOperations(service, plain, registry, operationContext);
        clients.set(service, client);
      }
      return client;
    },
    close(): void {
      closed = true;
      for (const session of sessions.values()) session.abort();
      sessions.clear();
      transports.clear();
      clients.clear();
    },
  };
  return redacted(cloud, { credentials: credentials.kind });
}

import { createRegistry } from "@bufbuild/protobuf";
import type { DescService, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { attemptInterceptor } from "../core/attempt.js";
import type { DebugSink } from "../core/attempt.js";
import { methodTraits } from "../core/method-traits.js";
import { guardUnaryCalls } from "../core/call-guard.js";
import { CloseScope } from "../core/close-scope.js";
import { debugSink } from "../core/debug.js";
import { SecretScrubber, scrubbedSink } from "../core/secret-scrubber.js";
import { runtimeEnv } from "../core/env.js";
import { markFailure } from "../core/failure.js";
import { assertSafeEndpoint, plaintextHostsFrom } from "../core/plaintext.js";
import { retryInterceptor } from "../core/retry.js";
import type { RetryPolicy } from "../core/retry.js";
import { realSleep } from "../core/sleep.js";
import type { Sleep } from "../core/sleep.js";
import { createRestTransport } from "../rest/transport.js";
import { withTypeChecks } from "../validation/checked-client.js";
import { defaultAwsCredentials } from "./credentials/chain.js";
import { checkRegion, regionFromEnvironment, resolveAwsRegion } from "./credentials/region.js";
import { summarised } from "./credentials/static.js";
import type { AwsCredentialProvider } from "./credentials/types.js";
import { defaultAwsEndpoint, normaliseAwsEndpoint, signingNameOf } from "./endpoint.js";
import { AwsError, awsErrorDecoder, localAwsError } from "./errors.js";
import { idempotencyTokenInterceptor, isIdempotentMethod } from "./idempotency-token.js";
import { restJson1Hook } from "./protocol/rest-json1.js";
import { defaultAwsRetryPolicy } from "./retry.js";
import type { AwsRetryPolicy } from "./retry.js";
import { sigV4Signer } from "./sigv4/signer.js";
import { awsValidateInterceptor } from "./validate.js";
import { readMaxBytesOption } from "../core/read-limit.js";

const expiredCredentialErrors = new Set(["ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "UnrecognizedClientException"]);

/** Options of {@link createAwsCloud}. */
export interface AwsCloudOptions {
  /**
   * E.g. `us-east-1`. Default, in the AWS SDK's order: `AWS_REGION`, else
   * `AWS_DEFAULT_REGION`, else `region` of the profile in `~/.aws/config`
   * (`profile`, else `AWS_PROFILE`, else `default`), read at the first call.
   * With none anywhere, calls fail with INVALID_ARGUMENT saying where to set one.
   */
  readonly region?: string;
  /** The shared-config profile to read the region from. Default `AWS_PROFILE`, else `default`. */
  readonly profile?: string;
  /**
   * One base URL for every service (a VPC endpoint, a proxy, or the
   * emulator's `restUrl`). Default `https://<signing name>.<region>.amazonaws.com`.
   */
  readonly endpoint?: string;
  /** Default: {@link defaultAwsCredentials} (env, shared files, container, instance metadata). */
  readonly credentials?: AwsCredentialProvider;
  /** Retry policy (defaults: {@link defaultAwsRetryPolicy}, the AWS SDK's standard mode), or `false` to never retry. */
  readonly retry?: Partial<AwsRetryPolicy> | false;
  /** Deadline of each call unless the call sets `timeoutMs`. Default 60 s; 0 or Infinity for none. */
  readonly timeoutMs?: number;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * The largest response body accepted, in bytes, after decompression.
   * Default 16 MiB: 4× the 4 MiB grpc-js
   * (under the official SDKs) accepts, so every real answer fits, even as JSON. A larger
   * answer fails with RESOURCE_EXHAUSTED naming the limit and is not retried.
   */
  readonly readMaxBytes?: number;
  /** Check requests against the .proto constraints before sending. Default true. */
  readonly validate?: boolean;
  /**
   * Non-loopback `host[:port]`s allowed over plaintext `http://` (loudly
   * warned about). Default: `DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS`.
   */
  readonly insecurePlaintextHosts?: readonly string[];
  /**
   * One line per attempt (method, endpoint, attempt, outcome, `x-amzn-requestid`,
   * ms; never a secret): `true` prints to stderr, a function receives them.
   * Default: on when `DATAPROC_CONNECT_DEBUG=1`.
   */
  readonly debug?: boolean | DebugSink;
  /** Where the `AWS_*` and `DATAPROC_CONNECT_*` variables are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Extra interceptors, innermost (per attempt, before signing). */
  readonly interceptors?: readonly Interceptor[];
  /** Time source in ms for signing, waits and the retry budget (tests pin it). Default `Date.now`. */
  readonly now?: () => number;
  /** How to wait between retries and polls (tests on a manual clock pass their own). */
  readonly sleep?: Sleep;
}

/** Typed clients for AWS services sharing credentials, region and options. */
export interface AwsCloud {
  /** A Connect client for an AWS service descriptor (e.g. `EmrServerless`); cached per service. */
  client<S extends DescService>(service: S): Client<S>;
  /**
   * Closes the cloud for good: calls, retries and waits in flight end at
   * once with an `AwsError` CANCELED "client closed"; later calls reject the
   * same way without sending anything.
   */
  close(): void;
  /** Aborts when {@link close} is called. */
  readonly closeSignal: AbortSignal;
  /** The region, once known: at once from the option or environment, after the first call when read from the profile. */
  readonly region: string | undefined;
  /** The region, reading the shared config file if needed; rejects with an `AwsError` when none is set. */
  resolveRegion(): Promise<string>;
  /** The sleep of the options (or a timer); it also ends, rejecting, when the cloud is closed. */
  readonly sleep: Sleep;
  readonly now: () => number;
}

/**
 * The AWS entry point: SigV4-signed REST/JSON (restJson1) clients over
 * `fetch`, built from the service descriptors — endpoint and signing name
 * from the service's options, JSON rules from the file's, the idempotency
 * token from the field's. Every call: client-side validation, an idempotency
 * token filled once per call, the shared retry layer with AWS-standard
 * defaults (3 attempts, full jitter, base 100 ms / 500 ms after throttling,
 * max 20 s) for what is safe to repeat, a fresh signature per attempt, and
 * every failure as an {@link AwsError} naming method, endpoint, attempts and
 * `x-amzn-RequestId`.
 *
 * Runs on Node, Deno, Bun and edge runtimes (no `node:` import; shared
 * files are read only where `node:fs` exists).
 *
 * @example
 * ```ts
 * import { createAwsCloud, awsCredentials } from "dataproc-connect/aws";
 * import { EmrServerless } from "dataproc-connect/aws/emr-serverless";
 *
 * const aws = createAwsCloud({ region: "us-east-1" });
 * const emr = aws.client(EmrServerless);
 * const { jobRun } = await emr.getJobRun({ applicationId: "00f…", jobRunId: "00f…" });
 * aws.close();
 * ```
 */
export function createAwsCloud(options: AwsCloudOptions = {}): AwsCloud {
  const env = options.env ?? runtimeEnv();
  const setup = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      throw localAwsError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), { method: `createAwsCloud(${what})`, attempts: 0 });
    }
  };
  const given = options.region ?? regionFromEnvironment(env);
  let region: string | undefined = given === undefined ? undefined : setup("region", () => checkRegion(given));
  const plaintextHosts = plaintextHostsFrom(options.insecurePlaintextHosts, env);
  const safe = (url: string): string => {
    assertSafeEndpoint(url, plaintextHosts, "SigV4-signed requests (and any session token)");
    return url;
  };
  const endpoint = options.endpoint === undefined ? undefined : setup("endpoint", () => safe(normaliseAwsEndpoint(options.endpoint!)));
  const readMaxBytes = setup("readMaxBytes", () => readMaxBytesOption(options.readMaxBytes));
  const credentials = options.credentials ?? defaultAwsCredentials({ env });
  const now = options.now ?? Date.now;
  const clock = { now };
  // The secret key and session token each attempt was signed with are
  // scrubbed from what servers answer (an InvalidSignatureException quotes
  // the canonical string, x-amz-security-token included): errors and debug lines.
  const scrubber = new SecretScrubber();
  const rememberSecrets = (secrets: readonly string[]): void => {
    for (const secret of secrets) scrubber.remember(secret);
  };
  const debug = scrubbedSink(debugSink(options.debug, env), scrubber);
  const requested = options.timeoutMs ?? 60_000;
  const defaultTimeoutMs = requested > 0 && Number.isFinite(requested) ? requested : undefined;
  const registry: Registry = createRegistry();
  const clients = new Map<DescService, Client<DescService>>();
  const scope = new CloseScope();
  const givenSleep = options.sleep ?? realSleep;
  // Every wait, poll and backoff ends when the cloud is closed.
  const sleep: Sleep = (ms, signal) => {
    const linked = scope.link(signal);
    return givenSleep(ms, linked.signal).finally(linked.dispose);
  };

  let regionLookup: Promise<string> | undefined;
  const resolveRegion = (): Promise<string> => {
    if (region !== undefined) return Promise.resolve(region);
    regionLookup ??= resolveAwsRegion({ env, ...(options.profile === undefined ? {} : { profile: options.profile }) }).then(
      (found) => (region = found),
      (error: unknown) => {
        regionLookup = undefined; // a profile fixed later is read on the next call
        throw localAwsError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), { method: "createAwsCloud(region)", cause: error });
      },
    );
    return regionLookup;
  };

  // Credentials the service calls expired are dropped, so the next call
  // resolves fresh ones (rotated container or instance-role keys).
  const forgetExpired: Interceptor = (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      if (error instanceof AwsError && expiredCredentialErrors.has(error.awsErrorType)) credentials.invalidate?.();
      throw error;
    }
  };
  const common: Interceptor[] = [];
  if (options.validate !== false) common.push(awsValidateInterceptor);
  common.push(idempotencyTokenInterceptor, forgetExpired);
  if (options.retry !== false) {
    common.push(
      retryInterceptor(
        { ...defaultAwsRetryPolicy, ...(options.retry || {}) } satisfies RetryPolicy,
        { sleep, clock, traits: (req) => ({ readOnly: methodTraits(req.method).readOnly, idempotent: isIdempotentMethod(req.method) }) },
      ),
    );
  }

  const transportFor = async (service: DescService): Promise<Transport> => {
    const signingRegion = await resolveRegion();
    let url: string;
    try {
      url = endpoint ?? safe(defaultAwsEndpoint(service, signingRegion));
    } catch (error) {
      throw localAwsError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), { method: service.name });
    }
    return createRestTransport({
      baseUrl: url,
      registry,
      fetch: options.fetch,
      readMaxBytes,
      interceptors: [
        ...common,
        attemptInterceptor(url, debug, { stamp: false, responseIds: ["x-amzn-requestid"] }),
        ...(options.interceptors ?? []),
      ],
      defaultTimeoutMs,
      errorDecoder: awsErrorDecoder,
      signer: sigV4Signer({ credentials, region: signingRegion, service: signingNameOf(service), now, onSecrets: rememberSecrets, closeSignal: scope.signal }),
      jsonHooks: [restJson1Hook],
    });
  };

  /** The transport, made at the first call (the region may come from the profile). */
  const lazyTransport = (service: DescService): Transport => {
    let made: Promise<Transport> | undefined;
    const get = (): Promise<Transport> => {
      made ??= transportFor(service).catch((error: unknown) => {
        made = undefined;
        throw error;
      });
      return made;
    };
    return {
      async unary(...args) {
        return (await get()).unary(...args);
      },
      async stream(...args) {
        return (await get()).stream(...args);
      },
    };
  };

  const cloud: AwsCloud = {
    get region() {
      return region;
    },
    resolveRegion,
    sleep,
    now,
    closeSignal: scope.signal,
    client<S extends DescService>(service: S): Client<S> {
      let client = clients.get(service) as Client<S> | undefined;
      if (!client) {
        signingNameOf(service); // not an AWS service: say so now
        let plain = createClient(service, lazyTransport(service));
        const where = (): string | undefined => endpoint ?? (region === undefined ? undefined : defaultAwsEndpoint(service, region));
        if (options.validate !== false) {
          plain = withTypeChecks(service, plain, (method, violations) =>
            localAwsError(Code.InvalidArgument, `invalid ${method.input.typeName}: ${violations.map((v) => v.message).join("; ")}`, {
              method: `${service.name}.${method.name}`,
              endpoint: where(),
              attempts: 0,
              violations,
            }),
          );
        }
        client = guardUnaryCalls(
          service,
          plain,
          scope,
          (error, method, state) => AwsError.wrap(error, { method: `${service.name}.${method.name}`, endpoint: where(), attempts: state.attempts }),
          scrubber,
        );
        clients.set(service, client as Client<DescService>);
      }
      return client;
    },
    close(): void {
      scope.close(markFailure(new ConnectError("client closed: aws.close() was called", Code.Canceled), { origin: "local" }));
    },
  };
  return summarised(cloud, { region: region ?? "(from profile)", credentials: credentials.kind, endpoint: endpoint ?? "default" });
}

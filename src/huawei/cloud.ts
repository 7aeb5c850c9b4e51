import { createRegistry } from "@bufbuild/protobuf";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { attemptInterceptor } from "../core/attempt.js";
import { guardUnaryCalls } from "../core/call-guard.js";
import { lazyRegistry } from "../core/lazy-registry.js";
import { CloseScope } from "../core/close-scope.js";
import { debugSink } from "../core/debug.js";
import { markFailure } from "../core/failure.js";
import { assertSafeEndpoint, plaintextHostsFrom } from "../core/plaintext.js";
import { retryInterceptor } from "../core/retry.js";
import { realSleep } from "../core/sleep.js";
import { withTypeChecks } from "../validation/checked-client.js";
import { HuaweiCloudError, localHuaweiError } from "./errors/huawei-cloud-error.js";
import { SecretScrubber, scrubbedSink } from "../core/secret-scrubber.js";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { file_huawei_mrs_v1_job_execution } from "../../gen/huawei/mrs/v1/job_execution_pb.js";
import { file_huawei_mrs_v2_job_execution } from "../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { Sleep } from "../core/sleep.js";
import { createRestTransport } from "../rest/transport.js";
import { huaweiEnvironmentCredentials, processEnv } from "./credentials/environment.js";
import type { HuaweiAccessKey, HuaweiCredentials } from "./credentials/types.js";
import { redacted } from "./credentials/redact.js";
import { huaweiErrorDecoder } from "./errors/decoder.js";
import { huaweiSigner } from "./signing/signer.js";
import { SigningLog } from "./signing/signing-log.js";
import { mrsEndpoint, normaliseHuaweiEndpoint } from "./endpoint.js";
import { huaweiJsonNumbers } from "./json-hooks.js";
import { projectIdInterceptor } from "./project-id.js";
import { callTraits, defaultHuaweiRetryPolicy } from "./retry.js";
import type { HuaweiRetryPolicy } from "./retry.js";
import { readMaxBytesOption } from "../core/read-limit.js";

/** Options of {@link createHuaweiCloud}. */
export interface HuaweiCloudOptions {
  /** Region id, e.g. `"cn-north-4"`; gives the endpoint `https://mrs.{region}.myhuaweicloud.com`. */
  readonly region: string;
  /**
   * Project id for `{project_id}` path fields and `X-Project-Id`. Default:
   * the credentials' (`HUAWEICLOUD_SDK_PROJECT_ID` for environment credentials).
   */
  readonly projectId?: string;
  /** Base URL instead of the regional one, e.g. the emulator's `restUrl`. */
  readonly endpoint?: string;
  /** AK/SK source. Default: {@link huaweiEnvironmentCredentials} (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, …). */
  readonly credentials?: HuaweiCredentials;
  /** Retry policy, or `false` for none. Submits are never retried (MRS has no idempotency token). */
  readonly retry?: Partial<HuaweiRetryPolicy> | false;
  /** Deadline of each call unless the call sets `timeoutMs`. Default 60 s; 0 for none. */
  readonly timeoutMs?: number;
  /** `fetch` to use. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * The largest response body accepted, in bytes, after decompression.
   * Default 16 MiB: 4× the 4 MiB grpc-js
   * (under the official SDKs) accepts, so every real answer fits, even as JSON. A larger
   * answer fails with RESOURCE_EXHAUSTED naming the limit and is not retried.
   */
  readonly readMaxBytes?: number;
  /** Time source for `X-Sdk-Date`; tests pass the emulator's clock. */
  readonly clock?: { now(): number };
  /** How to wait between retries; tests pass `ManualClock.sleep`. */
  readonly sleep?: Sleep;
  /** `host[:port]`s allowed over plaintext HTTP besides loopback (with a loud warning). */
  readonly insecurePlaintextHosts?: readonly string[];
  /** One line per attempt (`true`: to stderr), or a function to receive them; also `DATAPROC_CONNECT_DEBUG=1`. */
  readonly debug?: boolean | ((line: string) => void);
  /** Extra Connect interceptors, run on every attempt (innermost). */
  readonly interceptors?: readonly Interceptor[];
}

/** Typed clients for Huawei Cloud services sharing credentials and signing. */
export interface HuaweiCloud {
  /**
   * A typed client for a Huawei service (e.g. `JobExecutionService` from
   * `dataproc-connect/huawei/mrs/v1` or `/v2`); the same service gives the
   * same client.
   */
  client<S extends DescService>(service: S): Client<S>;
  /**
   * Closes the cloud for good: calls, retries and waits in flight end at
   * once with a `HuaweiCloudError` CANCELED "client closed"; later calls
   * reject the same way without sending anything.
   */
  close(): void;
  /** Aborts when {@link close} is called. */
  readonly closeSignal: AbortSignal;
  /** The clock of the options (or the system clock): signing time and wait timeouts. */
  readonly clock: { now(): number };
  /** The sleep of the options (or a timer); it also ends, rejecting, when the cloud is closed. */
  readonly sleep: Sleep;
  readonly region: string;
  readonly projectId: string | undefined;
  /** The base URL calls go to. */
  readonly endpoint: string;
}

/**
 * Clients for Huawei Cloud MRS over REST/JSON (snake_case), signed with
 * SDK-HMAC-SHA256 on every attempt, `{project_id}` filled from the
 * configured project, Huawei error bodies decoded into `HuaweiCloudError`.
 * Runs on fetch only, no `node:` module (Node, Deno, Bun, workers).
 *
 * @example
 * ```ts
 * import { createHuaweiCloud, huaweiCredentials } from "dataproc-connect/huawei";
 * import { JobExecutionService } from "dataproc-connect/huawei/mrs/v1";
 *
 * const cloud = createHuaweiCloud({ region: "cn-north-4", projectId, credentials: huaweiCredentials({ accessKey, secretKey }) });
 * const { jobExecution } = await cloud.client(JobExecutionService).cancelJobExecution({ jobExecutionId });
 * ```
 */
export function createHuaweiCloud(options: HuaweiCloudOptions): HuaweiCloud {
  const setup = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof HuaweiCloudError) throw error;
      throw localHuaweiError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), { method: "createHuaweiCloud", cause: error });
    }
  };
  if (typeof options?.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)) {
    throw localHuaweiError(Code.InvalidArgument, `createHuaweiCloud: region must be a region id such as "cn-north-4" (got ${JSON.stringify(options?.region)})`, { method: "createHuaweiCloud" });
  }
  const env = processEnv();
  const plaintextHosts = plaintextHostsFrom(options.insecurePlaintextHosts, env);
  const endpoint = setup(() => {
    const url = normaliseHuaweiEndpoint(options.endpoint ?? mrsEndpoint(options.region));
    assertSafeEndpoint(url, plaintextHosts, "AK/SK-signed requests (and any security token)");
    return url;
  });
  const credentials = setup(() => options.credentials ?? huaweiEnvironmentCredentials(env));
  const readMaxBytes = setup(() => readMaxBytesOption(options.readMaxBytes));
  const projectId = options.projectId ?? credentials.projectId;
  const clock = options.clock ?? { now: () => Date.now() };
  const signingLog = new SigningLog();
  // The secret key and security token each attempt was signed with are
  // scrubbed from what servers answer (APIGW.0301 quotes the canonical
  // request, x-security-token included): errors and debug lines.
  const scrubber = new SecretScrubber();
  const rememberSecrets = (secrets: readonly string[]): void => {
    for (const secret of secrets) scrubber.remember(secret);
  };
  const debug = scrubbedSink(debugSink(options.debug, env), scrubber);
  const scope = new CloseScope();
  const givenSleep = options.sleep ?? realSleep;
  // Every wait, poll and backoff ends when the cloud is closed.
  const sleep: Sleep = (ms, signal) => {
    const linked = scope.link(signal);
    return givenSleep(ms, linked.signal).finally(linked.dispose);
  };

  const interceptors: Interceptor[] = [forgetRejectedKeys(credentials, scope.signal)];
  if (options.retry !== false) {
    interceptors.push(
      retryInterceptor({ ...defaultHuaweiRetryPolicy, ...(options.retry || {}) }, { sleep, clock, traits: (req) => callTraits(req.method) }),
    );
  }
  interceptors.push(projectIdInterceptor(projectId));
  interceptors.push(attemptInterceptor(endpoint, debug, { stamp: false, responseIds: ["x-request-id"] }));
  interceptors.push(...(options.interceptors ?? []));

  const timeoutMs = options.timeoutMs ?? 60_000;
  const transport: Transport = createRestTransport({
    baseUrl: endpoint,
    registry: lazyRegistry(() => createRegistry(file_huawei_mrs_v1_job_execution, file_huawei_mrs_v2_job_execution)),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    readMaxBytes,
    interceptors,
    ...(timeoutMs > 0 && Number.isFinite(timeoutMs) ? { defaultTimeoutMs: timeoutMs } : {}),
    errorDecoder: huaweiErrorDecoder({ signingLog }),
    signer: huaweiSigner({ credentials, ...(projectId ? { projectId } : {}), clock, onSigned: signingLog.record, onSecrets: rememberSecrets, closeSignal: scope.signal }),
    jsonHooks: [huaweiJsonNumbers],
  });

  const clients = new Map<DescService, Client<DescService>>();
  return redacted(
    {
      region: options.region,
      projectId,
      endpoint,
      clock,
      sleep,
      closeSignal: scope.signal,
      client<S extends DescService>(service: S): Client<S> {
        let client = clients.get(service);
        if (!client) {
          const name = (method: DescMethod): string => `${method.parent.typeName}/${method.name}`;
          const plain = withTypeChecks(service, createClient(service, transport), (method, violations) =>
            localHuaweiError(Code.InvalidArgument, `invalid ${method.input.typeName}: ${violations.map((v) => v.message).join("; ")}`, {
              method: name(method),
              endpoint,
              attempts: 0,
            }),
          );
          client = guardUnaryCalls(service, plain, scope, (error, method, state) =>
            HuaweiCloudError.wrap(error, { method: name(method), endpoint, attempts: state.attempts }),
            scrubber,
          ) as Client<DescService>;
          clients.set(service, client);
        }
        return client as Client<S>;
      },
      close(): void {
        scope.close(markFailure(new ConnectError("client closed: cloud.close() was called", Code.Canceled), { origin: "local" }));
      },
    },
    { region: options.region, endpoint, credentials: credentials.kind },
  );
}

/**
 * APIG codes that mean "these keys are not (or no longer) good": the
 * credentials are told to forget the keys the attempt was signed with, so
 * the next call fetches fresh ones (metadata-service keys rotate), as AWS
 * does after `ExpiredTokenException`. Static keys have nothing to forget.
 */
const rejectedKeyCodes = new Set(["APIGW.0301", "APIGW.0303", "APIGW.0305", "APIGW.0307"]);

function forgetRejectedKeys(credentials: HuaweiCredentials, closeSignal: AbortSignal): Interceptor {
  if (!credentials.invalidate) return (next) => next;
  return (next) => async (req) => {
    // The signer asks again for every attempt and gets this same cached key.
    let key: HuaweiAccessKey;
    try {
      key = await credentials.accessKey(req.signal, closeSignal);
    } catch (error) {
      if (req.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw markFailure(new ConnectError(`no Huawei keys from ${credentials.kind}: ${reason}`, Code.Unauthenticated, undefined, undefined, error), { origin: "local" });
    }
    try {
      return await next(req);
    } catch (error) {
      if (error instanceof HuaweiCloudError && rejectedKeyCodes.has(error.errorCode)) credentials.invalidate?.(key);
      throw error;
    }
  };
}

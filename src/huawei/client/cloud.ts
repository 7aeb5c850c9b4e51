import { createRegistry } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { file_huawei_mrs_v1_job_execution } from "../../../gen/huawei/mrs/v1/job_execution_pb.js";
import { file_huawei_mrs_v2_job_execution } from "../../../gen/huawei/mrs/v2/job_execution_pb.js";
import type { Sleep } from "../../operation/sleep.js";
import { createRestTransport } from "../../rest/transport.js";
import { huaweiEnvironmentCredentials, processEnv } from "../credentials/environment.js";
import type { HuaweiCredentials } from "../credentials/types.js";
import { redacted } from "../credentials/redact.js";
import { huaweiErrorDecoder } from "../errors/decoder.js";
import { huaweiSigner } from "../signing/signer.js";
import { SigningLog } from "../signing/signing-log.js";
import { debugInterceptor } from "./debug.js";
import { checkEndpoint, mrsEndpoint } from "./endpoint.js";
import { huaweiJsonNumbers } from "./json-hooks.js";
import { projectIdInterceptor } from "./project-id.js";
import { huaweiRetryInterceptor } from "./retry.js";
import type { HuaweiRetryPolicy } from "./retry.js";

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
  /** Drops the cached clients; fetch keeps no connections of its own to close. */
  close(): void;
  readonly region: string;
  readonly projectId: string | undefined;
  /** The base URL calls go to. */
  readonly endpoint: string;
}

/**
 * Clients for Huawei Cloud MRS over REST/JSON (snake_case), signed with
 * SDK-HMAC-SHA256 on every attempt, `{project_id}` filled from the
 * configured project, Huawei error bodies decoded into `HuaweiCloudError`.
 * Runs on fetch and Web Crypto only (Node, Deno, Bun, workers).
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
  if (typeof options?.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)) {
    throw new Error(`createHuaweiCloud: region must be a region id such as "cn-north-4" (got ${JSON.stringify(options?.region)})`);
  }
  const env = processEnv();
  const warn = (line: string): void => console.warn(line);
  const plaintextHosts = [
    ...(options.insecurePlaintextHosts ?? []),
    ...(env.DATAPROC_CONNECT_INSECURE_PLAINTEXT_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean),
  ];
  const endpoint = checkEndpoint(options.endpoint ?? mrsEndpoint(options.region), plaintextHosts, warn);
  const credentials = options.credentials ?? huaweiEnvironmentCredentials(env);
  const projectId = options.projectId ?? credentials.projectId;
  const clock = options.clock ?? { now: () => Date.now() };
  const signingLog = new SigningLog();
  const debug =
    typeof options.debug === "function" ? options.debug : options.debug === true || env.DATAPROC_CONNECT_DEBUG === "1" ? (line: string) => console.error(line) : undefined;

  const interceptors: Interceptor[] = [];
  if (options.retry !== false) interceptors.push(huaweiRetryInterceptor(options.retry ?? {}, options.sleep));
  interceptors.push(projectIdInterceptor(projectId));
  if (debug) interceptors.push(debugInterceptor(endpoint, debug, () => clock.now()));
  interceptors.push(...(options.interceptors ?? []));

  const timeoutMs = options.timeoutMs ?? 60_000;
  const transport: Transport = createRestTransport({
    baseUrl: endpoint,
    registry: createRegistry(file_huawei_mrs_v1_job_execution, file_huawei_mrs_v2_job_execution),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    interceptors,
    ...(timeoutMs > 0 && Number.isFinite(timeoutMs) ? { defaultTimeoutMs: timeoutMs } : {}),
    errorDecoder: huaweiErrorDecoder({ signingLog }),
    signer: huaweiSigner({ credentials, ...(projectId ? { projectId } : {}), clock, onSigned: signingLog.record }),
    jsonHooks: [huaweiJsonNumbers],
  });

  const clients = new Map<DescService, Client<DescService>>();
  return redacted(
    {
      region: options.region,
      projectId,
      endpoint,
      client<S extends DescService>(service: S): Client<S> {
        let client = clients.get(service);
        if (!client) clients.set(service, (client = createClient(service, transport) as Client<DescService>));
        return client as Client<S>;
      },
      close(): void {
        clients.clear();
      },
    },
    { region: options.region, endpoint, credentials: credentials.kind },
  );
}

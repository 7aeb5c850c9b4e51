import { createRegistry } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { file_huawei_mrs_v1_job_execution } from "../../gen/huawei/mrs/v1/job_execution_pb.js";
import { file_huawei_mrs_v2_job_execution } from "../../gen/huawei/mrs/v2/job_execution_pb.js";
import { attemptInterceptor } from "../core/attempt.js";
import { createCloudBase, methodPath } from "../core/cloud-base.js";
import type { CloudErrors, CloudLifecycle, CloudOptions } from "../core/cloud-base.js";
import { normaliseEndpoint } from "../core/endpoint.js";
import { forgetRejectedCredentials } from "../core/credential-rejection.js";
import { redacted } from "../core/redact.js";
import { lazyRegistry } from "../core/lazy-registry.js";
import { assertSafeEndpoint } from "../core/plaintext.js";
import { createRestTransport } from "../rest/transport.js";
import { defaultHuaweiCredentials } from "./credentials/environment.js";
import { huaweiKeyInUse, huaweiRejectionRule } from "./credentials/rejection.js";
import type { HuaweiCredentials } from "./credentials/types.js";
import { huaweiErrorDecoder } from "./errors/decoder.js";
import { HuaweiCloudError, localHuaweiError } from "./errors/huawei-cloud-error.js";
import { mrsEndpoint } from "./endpoint.js";
import { huaweiJsonNumbers } from "./json-hooks.js";
import { projectIdInterceptor } from "./project-id.js";
import { callTraits, defaultHuaweiRetryPolicy } from "./retry.js";
import type { HuaweiRetryPolicy } from "./retry.js";
import { huaweiSigner } from "./signing/signer.js";
import { SigningLog } from "./signing/signing-log.js";

/** Options of {@link createHuaweiCloud}: the shared {@link CloudOptions} and Huawei's own. */
export interface HuaweiCloudOptions extends CloudOptions {
  /** Region id, e.g. `"cn-north-4"`; gives the endpoint `https://mrs.{region}.myhuaweicloud.com`. */
  readonly region: string;
  /**
   * Project id for `{project_id}` path fields and `X-Project-Id`. Default:
   * the credentials' (`HUAWEICLOUD_SDK_PROJECT_ID` for environment credentials).
   */
  readonly projectId?: string;
  /**
   * AK/SK source. Default: `huaweiEnvironmentCredentials` (`HUAWEICLOUD_SDK_AK`,
   * `HUAWEICLOUD_SDK_SK`, …); when they are not set the cloud is still made
   * and its first call rejects with UNAUTHENTICATED naming them, before
   * sending (as on the other clouds).
   */
  readonly credentials?: HuaweiCredentials;
  /** Retry policy over {@link defaultHuaweiRetryPolicy}, or `false` for none. Submits are never retried (MRS has no idempotency token). */
  readonly retry?: Partial<HuaweiRetryPolicy> | false;
}

/** Typed clients for Huawei Cloud services sharing credentials and signing. */
export interface HuaweiCloud extends CloudLifecycle {
  /**
   * A typed client for a Huawei service (e.g. `JobExecutionService` from
   * `dataproc-connect/huawei/mrs/v1` or `/v2`); the same service gives the
   * same client.
   */
  client<S extends DescService>(service: S): Client<S>;
  readonly region: string;
  readonly projectId: string | undefined;
  /** The base URL calls go to. */
  readonly endpoint: string;
}

/** How Huawei errors are made, for the shared skeleton. */
const huaweiErrors: CloudErrors = {
  wrap: (error, { method, endpoint, state }) => HuaweiCloudError.wrap(error, { method: methodPath(method), ...(endpoint === undefined ? {} : { endpoint }), attempts: state.attempts }),
  invalid: (method, violations, endpoint) =>
    localHuaweiError(Code.InvalidArgument, `invalid ${method.input.typeName}: ${violations.map((v) => v.message).join("; ")}`, {
      method: methodPath(method),
      ...(endpoint === undefined ? {} : { endpoint }),
      attempts: 0,
    }),
  option: (message, option, cause) => localHuaweiError(Code.InvalidArgument, message, { method: `createHuaweiCloud(${option})`, cause }),
};

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
  if (typeof options?.region !== "string" || !/^[a-z0-9-]+$/.test(options.region)) {
    throw localHuaweiError(Code.InvalidArgument, `createHuaweiCloud: region must be a region id such as "cn-north-4" (got ${JSON.stringify(options?.region)})`, {
      method: "createHuaweiCloud(region)",
    });
  }
  const base = createCloudBase("createHuaweiCloud", options, huaweiErrors);
  const { env, clock } = base;
  const endpoint = base.setup("endpoint", () => {
    const url = normaliseEndpoint(options.endpoint ?? mrsEndpoint(options.region));
    assertSafeEndpoint(url, base.plaintextHosts, "AK/SK-signed requests (and any security token)");
    return url;
  });
  const credentials = base.setup("credentials", () => options.credentials ?? defaultHuaweiCredentials(env));
  const projectId = options.projectId ?? credentials.projectId;
  const signingLog = new SigningLog();
  // The secret key and security token each attempt was signed with are
  // scrubbed from what servers answer (APIGW.0301 quotes the canonical
  // request, x-security-token included): errors and debug lines.
  const rememberSecrets = (secrets: readonly string[]): void => {
    for (const secret of secrets) base.scrubber.remember(secret);
  };

  const interceptors: Interceptor[] = [
    ...base.outer(
      // Static keys have nothing to forget; the default source may have no
      // keys at all, which its first call reports as UNAUTHENTICATED.
      credentials.invalidate || options.credentials === undefined
        ? [forgetRejectedCredentials(huaweiRejectionRule(credentials), huaweiKeyInUse(credentials, base.closeSignal))]
        : [],
      defaultHuaweiRetryPolicy,
      { traits: (req) => callTraits(req.method) },
    ),
    projectIdInterceptor(projectId),
    attemptInterceptor(endpoint, base.debug, { stamp: false, responseIds: ["x-request-id"], system: "http" }),
    ...(options.interceptors ?? []),
  ];
  const transport: Transport = createRestTransport({
    baseUrl: endpoint,
    registry: lazyRegistry(() => createRegistry(file_huawei_mrs_v1_job_execution, file_huawei_mrs_v2_job_execution)),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    readMaxBytes: base.readMaxBytes,
    interceptors,
    ...(base.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: base.defaultTimeoutMs }),
    errorDecoder: huaweiErrorDecoder({ signingLog }),
    signer: huaweiSigner({ credentials, ...(projectId ? { projectId } : {}), clock, onSigned: signingLog.record, onSecrets: rememberSecrets, closeSignal: base.closeSignal }),
    jsonHooks: [huaweiJsonNumbers],
  });

  const clients = new Map<DescService, Client<DescService>>();
  return redacted(
    {
      region: options.region,
      projectId,
      endpoint,
      clock,
      sleep: base.sleep,
      closeSignal: base.closeSignal,
      client<S extends DescService>(service: S): Client<S> {
        let client = clients.get(service);
        if (!client) {
          client = base.client(service, transport, () => endpoint) as Client<DescService>;
          clients.set(service, client);
        }
        return client as Client<S>;
      },
      close: base.close,
    },
    { region: options.region, endpoint, credentials: credentials.kind },
  );
}

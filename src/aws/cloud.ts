import { createRegistry } from "@bufbuild/protobuf";
import type { DescService, Registry } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { realSleep } from "../operation/sleep.js";
import type { Sleep } from "../operation/sleep.js";
import { createRestTransport } from "../rest/transport.js";
import { defaultAwsCredentials } from "./credentials/chain.js";
import { regionFromEnvironment, checkRegion } from "./credentials/region.js";
import { summarised } from "./credentials/static.js";
import type { AwsCredentialProvider } from "./credentials/types.js";
import { checkAwsEndpoint, defaultAwsEndpoint, signingNameOf } from "./endpoint.js";
import { AwsError, awsErrorDecoder } from "./errors.js";

const expiredCredentialErrors = new Set(["ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "UnrecognizedClientException"]);
import { idempotencyTokenInterceptor } from "./idempotency-token.js";
import { restJson1Hook } from "./protocol/rest-json1.js";
import { awsRetryInterceptor } from "./retry.js";
import type { AwsRetryPolicy } from "./retry.js";
import { sigV4Signer } from "./sigv4/signer.js";
import { awsValidateInterceptor } from "./validate.js";

/** Options of {@link createAwsCloud}. */
export interface AwsCloudOptions {
  /** E.g. `us-east-1`. Default: `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
  readonly region?: string;
  /**
   * One base URL for every service (a VPC endpoint, a proxy, or the
   * emulator's `restUrl`). Default `https://<signing name>.<region>.amazonaws.com`.
   */
  readonly endpoint?: string;
  /** Default: {@link defaultAwsCredentials} (env, shared files, container, instance metadata). */
  readonly credentials?: AwsCredentialProvider;
  /** Retry policy, or `false` to never retry. */
  readonly retry?: Partial<AwsRetryPolicy> | false;
  /** Deadline of each call unless the call sets `timeoutMs`. Default 60 s; 0 or Infinity for none. */
  readonly timeoutMs?: number;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Check requests against the .proto constraints before sending. Default true. */
  readonly validate?: boolean;
  /** Non-loopback hosts allowed over plaintext `http://` (loudly warned about). */
  readonly insecurePlaintextHosts?: readonly string[];
  /** Extra interceptors, innermost (per attempt, before signing). */
  readonly interceptors?: readonly Interceptor[];
  /** Signing time source in ms (tests pin it). Default `Date.now`. */
  readonly now?: () => number;
  /** How to wait between retries and polls (tests on a manual clock pass their own). */
  readonly sleep?: Sleep;
}

/** Typed clients for AWS services sharing credentials, region and options. */
export interface AwsCloud {
  /** A Connect client for an AWS service descriptor (e.g. `EmrServerless`); cached per service. */
  client<S extends DescService>(service: S): Client<S>;
  /** Drops every client; further `client()` calls throw. (fetch keeps no sessions of ours.) */
  close(): void;
  readonly region: string;
  readonly sleep: Sleep;
  readonly now: () => number;
}

/**
 * The AWS entry point: SigV4-signed REST/JSON (restJson1) clients over
 * `fetch`, built from the service descriptors — endpoint and signing name
 * from the service's options, JSON rules from the file's, the idempotency
 * token from the field's. Every call: client-side validation, an idempotency
 * token filled once per call, AWS-standard retries (3 attempts, full jitter)
 * for what is safe to repeat, a fresh signature per attempt, errors as
 * {@link AwsError} with the AWS error name and request id.
 *
 * Runs on Node, Deno, Bun and edge runtimes (no `node:` import; shared
 * credential files are read only where `node:fs` exists).
 *
 * @example
 * ```ts
 * import { createAwsCloud, awsCredentials } from "dataproc-connect/aws";
 * import { EmrServerless } from "dataproc-connect/aws/emr-serverless";
 *
 * const aws = createAwsCloud({ region: "us-east-1" });
 * const emr = aws.client(EmrServerless);
 * const { jobRun } = await emr.getJobRun({ applicationId: "00f…", jobRunId: "00f…" });
 * ```
 */
export function createAwsCloud(options: AwsCloudOptions = {}): AwsCloud {
  const region = checkRegion(options.region ?? regionFromEnvironment());
  const credentials = options.credentials ?? defaultAwsCredentials();
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const requested = options.timeoutMs ?? 60_000;
  const defaultTimeoutMs = requested > 0 && Number.isFinite(requested) ? requested : undefined;
  const endpoint = options.endpoint === undefined ? undefined : checkAwsEndpoint(options.endpoint, options.insecurePlaintextHosts);
  const registry: Registry = createRegistry();
  const clients = new Map<DescService, Client<DescService>>();
  let closed = false;

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
  const interceptors: Interceptor[] = [forgetExpired, idempotencyTokenInterceptor];
  if (options.validate !== false) interceptors.push(awsValidateInterceptor);
  if (options.retry !== false) interceptors.push(awsRetryInterceptor(options.retry || {}, sleep));
  interceptors.push(...(options.interceptors ?? []));

  const transportFor = (service: DescService): Transport =>
    createRestTransport({
      baseUrl: endpoint ?? checkAwsEndpoint(defaultAwsEndpoint(service, region)),
      registry,
      fetch: options.fetch,
      interceptors,
      defaultTimeoutMs,
      errorDecoder: awsErrorDecoder,
      signer: sigV4Signer({ credentials, region, service: signingNameOf(service), now }),
      jsonHooks: [restJson1Hook],
    });

  const cloud: AwsCloud = {
    region,
    sleep,
    now,
    client<S extends DescService>(service: S): Client<S> {
      if (closed) throw new Error("createAwsCloud: used after close()");
      let client = clients.get(service) as Client<S> | undefined;
      if (!client) {
        client = createClient(service, transportFor(service));
        clients.set(service, client as Client<DescService>);
      }
      return client;
    },
    close(): void {
      closed = true;
      clients.clear();
    },
  };
  return summarised(cloud, { region, credentials: credentials.kind, endpoint: endpoint ?? "default" });
}

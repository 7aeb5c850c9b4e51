import type { DescService, Registry } from "@bufbuild/protobuf";
import { createRegistry } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type { Client, Interceptor, Transport } from "@connectrpc/connect";
import { attemptInterceptor } from "../core/attempt.js";
import { createCloudBase, methodPath } from "../core/cloud-base.js";
import { forgetRejectedCredentials } from "../core/credential-rejection.js";
import type { CloudErrors, CloudLifecycle, CloudOptions } from "../core/cloud-base.js";
import { normaliseEndpoint } from "../core/endpoint.js";
import { methodTraits } from "../core/method-traits.js";
import { assertSafeEndpoint } from "../core/plaintext.js";
import { createRestTransport } from "../rest/transport.js";
import { defaultAwsCredentials } from "./credentials/chain.js";
import { checkRegion, regionFromEnvironment, resolveAwsRegion } from "./credentials/region.js";
import { summarised } from "./credentials/static.js";
import { awsRejectionRule } from "./credentials/rejection.js";
import type { AwsCredentialProvider } from "./credentials/types.js";
import { defaultAwsEndpoint, signingNameOf } from "./endpoint.js";
import { AwsError, awsErrorDecoder, localAwsError } from "./errors.js";
import { idempotencyTokenInterceptor, isIdempotentMethod } from "./idempotency-token.js";
import { restJson1Hook } from "./protocol/rest-json1.js";
import { defaultAwsRetryPolicy } from "./retry.js";
import type { AwsRetryPolicy } from "./retry.js";
import { sigV4Signer } from "./sigv4/signer.js";

/** Options of {@link createAwsCloud}: the shared {@link CloudOptions} and AWS's own. */
export interface AwsCloudOptions extends CloudOptions {
  /**
   * E.g. `us-east-1`. Default, in the AWS SDK's order: `AWS_REGION`, else
   * `AWS_DEFAULT_REGION`, else `region` of the profile in `~/.aws/config`
   * (`profile`, else `AWS_PROFILE`, else `default`), read at the first call.
   * With none anywhere, calls fail with INVALID_ARGUMENT saying where to set one.
   */
  readonly region?: string;
  /** The shared-config profile to read the region from. Default `AWS_PROFILE`, else `default`. */
  readonly profile?: string;
  /** Default: {@link defaultAwsCredentials} (env, shared files, container, instance metadata). */
  readonly credentials?: AwsCredentialProvider;
  /** Retry policy over {@link defaultAwsRetryPolicy} (the AWS SDK's standard mode), or `false` to never retry. */
  readonly retry?: Partial<AwsRetryPolicy> | false;
}

/** Typed clients for AWS services sharing credentials, region and options. */
export interface AwsCloud extends CloudLifecycle {
  /** A Connect client for an AWS service descriptor (e.g. `EmrServerless`); cached per service. */
  client<S extends DescService>(service: S): Client<S>;
  /** The region, once known: at once from the option or environment, after the first call when read from the profile. */
  readonly region: string | undefined;
  /** The region, reading the shared config file if needed; rejects with an `AwsError` when none is set. */
  resolveRegion(): Promise<string>;
}

/** How AWS errors are made, for the shared skeleton. */
const awsErrors: CloudErrors = {
  wrap: (error, { method, endpoint, state }) => AwsError.wrap(error, { method: methodPath(method), endpoint, attempts: state.attempts }),
  invalid: (method, violations, endpoint) =>
    localAwsError(Code.InvalidArgument, `invalid ${method.input.typeName}: ${violations.map((v) => v.message).join("; ")}`, {
      method: methodPath(method),
      ...(endpoint === undefined ? {} : { endpoint }),
      attempts: 0,
      violations,
    }),
  option: (message, option, cause) => localAwsError(Code.InvalidArgument, message, { method: `createAwsCloud(${option})`, attempts: 0, cause }),
};

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
  const base = createCloudBase("createAwsCloud", options, awsErrors);
  const { env, clock } = base;
  const given = options.region ?? regionFromEnvironment(env);
  let region: string | undefined = given === undefined ? undefined : base.setup("region", () => checkRegion(given));
  const safe = (url: string): string => {
    assertSafeEndpoint(url, base.plaintextHosts, "SigV4-signed requests (and any session token)");
    return url;
  };
  const endpoint = options.endpoint === undefined ? undefined : base.setup("endpoint", () => safe(normaliseEndpoint(options.endpoint!)));
  const credentials = options.credentials ?? defaultAwsCredentials({ env });
  const registry: Registry = createRegistry();
  const clients = new Map<DescService, Client<DescService>>();
  // The secret key and session token each attempt is signed with are
  // scrubbed from what servers answer (InvalidSignatureException quotes the
  // canonical request, x-amz-security-token included): errors and debug lines.
  const rememberSecrets = (secrets: readonly string[]): void => {
    for (const secret of secrets) base.scrubber.remember(secret);
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

  const outer = base.outer([idempotencyTokenInterceptor, forgetRejectedCredentials(awsRejectionRule(credentials))], defaultAwsRetryPolicy, {
    traits: (req) => ({ readOnly: methodTraits(req.method).readOnly, idempotent: isIdempotentMethod(req.method) }),
  });

  const transportFor = async (service: DescService): Promise<Transport> => {
    const signingRegion = await resolveRegion();
    let url: string;
    try {
      url = endpoint ?? safe(defaultAwsEndpoint(service, signingRegion));
    } catch (error) {
      throw localAwsError(Code.InvalidArgument, error instanceof Error ? error.message : String(error), { method: `/${service.typeName}` });
    }
    return createRestTransport({
      baseUrl: url,
      registry,
      fetch: options.fetch,
      readMaxBytes: base.readMaxBytes,
      interceptors: [...outer, attemptInterceptor(url, base.debug, { stamp: false, responseIds: ["x-amzn-requestid"], system: "aws-api" }), ...(options.interceptors ?? [])],
      defaultTimeoutMs: base.defaultTimeoutMs,
      errorDecoder: awsErrorDecoder,
      signer: sigV4Signer({
        credentials,
        region: signingRegion,
        service: signingNameOf(service),
        now: () => clock.now(),
        onSecrets: rememberSecrets,
        closeSignal: base.closeSignal,
      }),
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
    sleep: base.sleep,
    clock,
    closeSignal: base.closeSignal,
    client<S extends DescService>(service: S): Client<S> {
      let client = clients.get(service) as Client<S> | undefined;
      if (!client) {
        signingNameOf(service); // not an AWS service: say so now
        const where = (): string | undefined => endpoint ?? (region === undefined ? undefined : defaultAwsEndpoint(service, region));
        client = base.client(service, lazyTransport(service), where);
        clients.set(service, client as Client<DescService>);
      }
      return client;
    },
    close: base.close,
  };
  return summarised(cloud, { region: region ?? "(from profile)", credentials: credentials.kind, endpoint: endpoint ?? "default" });
}

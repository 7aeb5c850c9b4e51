import { firstAvailable } from "../../core/credential-chain.js";
import { cachedProvider } from "./cache.js";
import { fromAwsContainer } from "./container.js";
import { fromAwsEnvironment } from "./env.js";
import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { AwsCredentialsError } from "./errors.js";
import { fromAwsInstanceMetadata } from "./instance-metadata.js";
import type { FetchLike } from "./remote.js";
import { fromAwsSharedFiles } from "./shared-files.js";
import { summarised } from "./static.js";
import type { AwsCredentialProvider } from "./types.js";

/**
 * Tries each provider in order and uses the first that has credentials. A
 * provider that is not configured here (`tryNext`) hands on to the next; one
 * that is configured but broken stops the chain with its own error (the
 * shared {@link firstAvailable}).
 */
export function chainAwsCredentials(...providers: AwsCredentialProvider[]): AwsCredentialProvider {
  const kind = `chain(${providers.map((p) => p.kind).join(", ")})`;
  const cached = cachedProvider(kind, (context) =>
    firstAvailable(providers, (p) => p.resolve(context), context.signal, (tried) =>
      new AwsCredentialsError(`no AWS credentials found; tried:\n  ${tried.join("\n  ")}`, { tryNext: false }),
    ),
  );
  const provider: AwsCredentialProvider = {
    kind,
    resolve: (context) => cached.resolve(context),
    invalidate() {
      cached.invalidate?.();
      for (const p of providers) p.invalidate?.();
    },
  };
  return summarised(provider, { kind });
}

export interface DefaultChainOptions {
  /** A profile of the shared files; also turns the environment source off, as in the AWS SDK. */
  readonly profile?: string;
  readonly env?: Environment;
  readonly fetch?: FetchLike;
  /** EC2 instance metadata base URL (tests). */
  readonly imdsEndpoint?: string;
  readonly now?: () => number;
}

/**
 * The AWS SDK's default order: environment (skipped when a profile is chosen,
 * by option or `AWS_PROFILE`), shared files, the ECS/EKS container endpoint,
 * then EC2 instance metadata (IMDSv2). Resolved lazily on the first signed
 * call, cached until 5 minutes before expiry, one lookup at a time.
 *
 * @example
 * ```ts
 * const cloud = createAwsCloud({ region: "us-east-1" }); // uses defaultAwsCredentials()
 * ```
 */
export function defaultAwsCredentials(options: DefaultChainOptions = {}): AwsCredentialProvider {
  const env = options.env ?? runtimeEnv();
  const { fetch, now } = options;
  const profileChosen = options.profile !== undefined || envValue(env, "AWS_PROFILE") !== undefined;
  const providers = [
    ...(profileChosen ? [] : [fromAwsEnvironment({ env, now })]),
    fromAwsSharedFiles({ profile: options.profile, env }),
    fromAwsContainer({ env, fetch, now }),
    fromAwsInstanceMetadata({ env, fetch, now, endpoint: options.imdsEndpoint }),
  ];
  return chainAwsCredentials(...providers);
}

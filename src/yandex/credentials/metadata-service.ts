import { CredentialFetchError, fetchCredentialEndpoint } from "../../core/credential-fetch.js";
import { headerValueProblem } from "../../core/header-value.js";
import { CredentialsError } from "./errors.js";
import { cachedCredentials } from "./cached-credentials.js";
import type { RefreshPolicy } from "./token-cache.js";
import type { CredentialContext, Credentials } from "./types.js";

export interface MetadataServiceOptions {
  /**
   * host[:port] of the metadata service. Default: `YC_METADATA_ADDR` from the
   * environment, else 169.254.169.254.
   */
  readonly address?: string;
  /** How long one token request may take. Default 5 s. */
  readonly timeoutMs?: number;
  readonly refresh?: Partial<RefreshPolicy>;
}

/** The token of the service account attached to this VM, with its remaining lifetime. */
interface MetadataToken {
  access_token?: unknown;
  expires_in?: unknown;
  token_type?: unknown;
}

/**
 * The service account attached to the VM (or serverless function) this code
 * runs on, through the compute metadata service. The token it returns is
 * already an IAM token; it is renewed like the others. The service is read
 * without following redirects, and a token that could not be sent as a
 * header is refused as a bad answer (see `fetchCredentialEndpoint`).
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: metadataService() });
 * ```
 */
export function metadataService(options: MetadataServiceOptions = {}): Credentials {
  const address = options.address ?? process.env.YC_METADATA_ADDR ?? "169.254.169.254";
  const url = `http://${address}/computeMetadata/v1/instance/service-accounts/default/token`;
  const timeoutMs = options.timeoutMs ?? 5_000;

  const fetchToken = async (context: CredentialContext, signal: AbortSignal) => {
    let body: MetadataToken;
    try {
      const answer = await fetchCredentialEndpoint(url, { headers: { "Metadata-Flavor": "Google" }, timeoutMs, signal });
      if (answer.status < 200 || answer.status > 299) throw new Error(`HTTP ${answer.status}`);
      body = JSON.parse(answer.text) as MetadataToken;
    } catch (error) {
      throw new CredentialsError(`metadataService: no token from ${address} (${failureReason(error)})`);
    }
    if (typeof body.access_token !== "string" || body.access_token === "" || typeof body.expires_in !== "number") {
      throw new CredentialsError(`metadataService: ${address} answered without access_token and expires_in`);
    }
    const problem = headerValueProblem(body.access_token, "its access_token");
    if (problem) throw new CredentialsError(`metadataService: ${address} answered a bad token: ${problem}`);
    return { token: body.access_token, expiresAt: context.clock.now() + body.expires_in * 1000 };
  };

  return cachedCredentials("metadata service", { kind: "metadata service", address }, options.refresh, fetchToken);
}

/** Why the metadata service gave no token, in a few words that never quote the answer. */
function failureReason(error: unknown): string {
  // JSON.parse quotes the text around a syntax error: the token.
  if (error instanceof SyntaxError) return "the answer is not JSON";
  // A connection failure reads as fetch's own words ("fetch failed"), as before.
  if (error instanceof CredentialFetchError && error.failure === "unreachable" && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : "request failed";
}

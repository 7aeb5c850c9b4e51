import { AwsCredentialsError } from "./errors.js";
import type { AwsCredentialIdentity } from "./types.js";
import { redactedIdentity } from "./types.js";

/** A `fetch` (the global one by default; tests and proxies pass their own). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How long a metadata endpoint may take before the source counts as absent (AWS SDK: 1 s). */
export const defaultMetadataTimeoutMs = 1_000;

/**
 * One HTTP exchange with a metadata endpoint, with a deadline. Errors name
 * the source and the status, never the response body (it holds keys).
 */
export async function metadataRequest(
  source: string,
  fetchFn: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<string> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new AwsCredentialsError(`${source}: ${url} did not answer`, { tryNext: true, cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // Headers came, then the body stalled (the deadline aborted it) or broke.
    // The source is there but broken: its own error, naming it, ends the
    // chain (the deadline's bare abort would surface as CANCELED).
    throw new AwsCredentialsError(`${source}: ${url} answered HTTP ${response.status} but its body did not arrive`, { tryNext: false, cause: error });
  }
  if (!response.ok) {
    throw new AwsCredentialsError(`${source}: ${url} answered HTTP ${response.status}`, {
      tryNext: response.status === 404,
    });
  }
  return text;
}

/**
 * The JSON both the container endpoint and EC2 instance metadata answer:
 * `{AccessKeyId, SecretAccessKey, Token, Expiration}` (IMDS adds `Code`).
 */
export function parseRemoteCredentials(source: string, text: string): AwsCredentialIdentity {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new AwsCredentialsError(`${source}: the answer is not JSON`, { tryNext: false });
  }
  if (json.Code !== undefined && json.Code !== "Success") {
    throw new AwsCredentialsError(`${source}: the answer has Code ${JSON.stringify(json.Code)}`, { tryNext: false });
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = json;
  if (typeof AccessKeyId !== "string" || typeof SecretAccessKey !== "string" || !AccessKeyId || !SecretAccessKey) {
    throw new AwsCredentialsError(`${source}: the answer has no AccessKeyId and SecretAccessKey`, { tryNext: false });
  }
  const expiresAt = typeof Expiration === "string" ? Date.parse(Expiration) : undefined;
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) {
    throw new AwsCredentialsError(`${source}: Expiration is not a date`, { tryNext: false });
  }
  return redactedIdentity({
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: typeof Token === "string" && Token ? Token : undefined,
    expiresAt,
  });
}

import { CredentialFetchError, fetchCredentialEndpoint } from "../../core/credential-fetch.js";
import type { CredentialRequest } from "../../core/credential-fetch.js";
import { headerValueProblem } from "../../core/header-value.js";
import { AwsCredentialsError } from "./errors.js";
import type { AwsCredentialIdentity } from "./types.js";
import { redactedIdentity } from "./types.js";

/** A `fetch` (the global one by default; tests and proxies pass their own). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** How long a metadata endpoint may take before the source counts as absent (AWS SDK: 1 s). */
export const defaultMetadataTimeoutMs = 1_000;

/**
 * One HTTP exchange with a metadata endpoint through `fetchCredentialEndpoint`
 * (deadline, no redirects, header-safe values). Errors name the source and
 * the status, never a header value or the response body (it holds keys).
 * Only "nobody is there" (no answer, a 404) lets a chain go on to its next
 * source; a redirect or an unsendable value is a configured source that is
 * broken, and a lookup stopped because its clients closed goes nowhere.
 */
export async function metadataRequest(source: string, url: string, request: CredentialRequest): Promise<string> {
  let answer: { status: number; text: string };
  try {
    answer = await fetchCredentialEndpoint(url, request);
  } catch (error) {
    if (!(error instanceof CredentialFetchError)) throw error;
    const tryNext = error.failure === "timeout" || error.failure === "unreachable";
    throw new AwsCredentialsError(`${source}: ${url} ${error.message}`, { tryNext, cause: error });
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new AwsCredentialsError(`${source}: ${url} answered HTTP ${answer.status}`, {
      tryNext: answer.status === 404,
    });
  }
  return answer.text;
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
  // Both go into headers (the Authorization credential scope, x-amz-security-token): refuse them here, not on every call.
  for (const [field, value] of [["AccessKeyId", AccessKeyId], ["Token", Token]] as const) {
    const problem = typeof value === "string" && value !== "" ? headerValueProblem(value, `its ${field}`) : undefined;
    if (problem) throw new AwsCredentialsError(`${source}: the answer is unusable: ${problem}`, { tryNext: false });
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

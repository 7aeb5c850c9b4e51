import { abortText } from "./abort.js";
import { headerValueProblem } from "./header-value.js";

/** A `fetch` (the global one by default; tests and proxies pass their own). */
export type CredentialFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** What went wrong, so each cloud can decide (e.g. whether an AWS chain goes on to its next source). */
export type CredentialFetchFailure =
  /** A header value was not header-safe; nothing was sent. */
  | "unsafe-header"
  /** The endpoint answered with a redirect, which is never followed. */
  | "redirect"
  /** No answer within the request's own time limit. */
  | "timeout"
  /** The lookup was stopped: every client that asked for it was closed (`close()`). */
  | "aborted"
  /** Connection refused, reset, DNS, … */
  | "unreachable"
  /** The body passed {@link credentialBodyMaxBytes}: a source that is there, but broken or hostile. */
  | "too-large";

/**
 * The largest body read from a credential endpoint: 64 KiB. Every answer
 * these endpoints give (a token, a JSON key set, a session token) is a few
 * KiB at most; without a cap a broken or hostile metadata service could
 * stream into memory for the whole time limit. Checked on `content-length`
 * and again as the body arrives.
 */
export const credentialBodyMaxBytes = 64 * 1024;

/**
 * A credential endpoint could not be read. The message says what happened
 * in words that read after the URL ("did not answer in 1000 ms"); it never
 * holds a header value or the body.
 */
export class CredentialFetchError extends Error {
  override readonly name = "CredentialFetchError";
  readonly failure: CredentialFetchFailure;

  constructor(message: string, failure: CredentialFetchFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.failure = failure;
  }
}

/** One request to a credential endpoint. */
export interface CredentialRequest {
  readonly method?: string;
  /** Checked with {@link headerValueProblem} before anything is sent. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long the whole exchange (headers and body) may take. */
  readonly timeoutMs: number;
  /** Ends the exchange early, e.g. once nobody waits for the credentials any more. */
  readonly signal?: AbortSignal;
  readonly fetch?: CredentialFetch;
}

/** The status and the body (which holds secrets: never put it in a message). */
export interface CredentialAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * The one way every cloud reads a credential endpoint (the clouds' VM
 * metadata services, AWS IMDSv2 and the ECS/EKS container endpoint):
 *
 * - it never follows a redirect (`redirect: "manual"`; a 3xx is a failure):
 *   a metadata service that redirects would otherwise have `fetch` resend
 *   its session token to another origin and take credentials from there.
 *   The AWS SDK reads these endpoints with `node:http`, which never follows.
 * - each header value must be header-safe, or nothing is sent (undici's
 *   own refusal would quote the secret);
 * - it has a time limit of its own, and `signal` ends it early;
 * - it reads at most {@link credentialBodyMaxBytes} of the body.
 *
 * @example
 * ```ts
 * const { status, text } = await fetchCredentialEndpoint("http://169.254.169.254/latest/api/token", {
 *   method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21600" }, timeoutMs: 1000, signal,
 * });
 * ```
 */
export async function fetchCredentialEndpoint(url: string, request: CredentialRequest): Promise<CredentialAnswer> {
  const headers = request.headers ?? {};
  for (const name of Object.keys(headers)) {
    const problem = headerValueProblem(headers[name]!, `the ${name} value`);
    if (problem) throw new CredentialFetchError(`was not asked: ${problem}`, "unsafe-header");
  }
  const given = request.signal;
  if (given?.aborted) throw abandoned(given);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = given ? AbortSignal.any([given, timeout]) : timeout;
  const fetchFn = request.fetch ?? globalThis.fetch;
  // Set once the headers are in: a body that then stalls or breaks is told
  // apart from an endpoint that never answered (the source is there, but broken).
  let answered: number | undefined;
  try {
    const response = await fetchFn(url, { method: request.method ?? "GET", headers, signal, redirect: "manual" });
    // Node answers the 3xx itself; browsers and workers an opaque redirect with status 0.
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      const status = response.status === 0 ? "a redirect" : `HTTP ${response.status}, a redirect`;
      throw new CredentialFetchError(`answered ${status}; credential endpoints are never followed elsewhere`, "redirect");
    }
    answered = response.status;
    return { status: response.status, text: await readCapped(response) };
  } catch (error) {
    if (error instanceof CredentialFetchError) throw error;
    if (given?.aborted) throw abandoned(given);
    const late = answered === undefined ? "did not answer" : `answered HTTP ${answered} but its body did not arrive`;
    if (timeout.aborted) throw new CredentialFetchError(`${late} in ${request.timeoutMs} ms`, "timeout");
    if (answered !== undefined) throw new CredentialFetchError(late, "unreachable", { cause: error });
    const reason = error instanceof Error ? error.message : "request failed";
    throw new CredentialFetchError(`did not answer (${reason})`, "unreachable", { cause: error });
  }
}

/** The body as UTF-8 text, refusing more than {@link credentialBodyMaxBytes}. */
async function readCapped(response: Response): Promise<string> {
  const tooLarge = (): CredentialFetchError =>
    new CredentialFetchError(`answered HTTP ${response.status} with a body over ${credentialBodyMaxBytes} bytes; refused`, "too-large");
  if (Number(response.headers.get("content-length") ?? NaN) > credentialBodyMaxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > credentialBodyMaxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

function abandoned(signal: AbortSignal): CredentialFetchError {
  return new CredentialFetchError(`was abandoned: ${abortText(signal.reason)}`, "aborted", { cause: signal.reason });
}

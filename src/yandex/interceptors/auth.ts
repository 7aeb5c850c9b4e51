import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { markFailure } from "../../core/failure.js";
import { codeName } from "../../core/code-name.js";
import type { Clock, Credentials, IamTokenExchange } from "../credentials/types.js";
import { headerAuthorization } from "../../core/headers.js";
import type { SecretScrubber } from "../../core/secret-scrubber.js";
import { headerValueProblem } from "../../core/header-value.js";
import { CredentialsError } from "../credentials/errors.js";
import { reactToRejection } from "../../core/credential-rejection.js";
import type { RejectionRule } from "../../core/credential-rejection.js";
import { asConnectError, isConnectError } from "../../core/connect-error.js";

/**
 * Adds `authorization: Bearer <IAM token>`. When the service answers
 * UNAUTHENTICATED (a token revoked or expired early), the token is dropped
 * from the cache and the call is tried once more with a fresh one.
 *
 * A credential that cannot produce a token (none configured, the metadata
 * service silent, IAM refusing the key) fails the call at once with
 * UNAUTHENTICATED, marked as a local failure so it is not retried: asking
 * again would only repeat the same slow failure. So does a token that
 * cannot be sent as a header (CR, LF, NUL, …; see `headerValueProblem`),
 * whatever credential gave it: nothing is sent, and the error names the
 * credential and the rule, never the token.
 *
 * Every token it sends is given to `scrubber`, so that a server quoting it
 * back cannot put it into an error or a debug line.
 */
export function authInterceptor(credentials: Credentials, exchange: IamTokenExchange, clock: Clock, scrubber?: SecretScrubber, closeSignal?: AbortSignal): Interceptor {
  const failed = (signal: AbortSignal, error: unknown): never => {
    if (signal.aborted) throw error;
    throw credentialFailure(credentials.kind, error);
  };
  const token = (signal: AbortSignal): Promise<string> => {
    try {
      return credentials.token({ exchange, clock, signal, closeSignal }).then(undefined, (error: unknown) => failed(signal, error));
    } catch (error) {
      return Promise.reject(error).then(undefined, (e: unknown) => failed(signal, e));
    }
  };
  const send = (next: Parameters<Interceptor>[0], req: Parameters<Parameters<Interceptor>[0]>[0]): ReturnType<Parameters<Interceptor>[0]> => {
    try {
      return next(req);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  // The last token found header-safe: the check runs once per token, not per call.
  let safe: string | undefined;
  const unsafe = (value: string): ConnectError | undefined => {
    if (value === safe) return undefined;
    const problem = headerValueProblem(value, "the token it gave");
    if (problem === undefined) {
      safe = value;
      return undefined;
    }
    return credentialFailure(credentials.kind, new CredentialsError(problem));
  };
  // The one reaction to an authentication failure: UNAUTHENTICATED drops
  // the token it was sent with; then (below) the call goes once more.
  const rejection: RejectionRule<string> = {
    rejected: (error) => asConnectError(error).code === Code.Unauthenticated,
    forget: (used) => credentials.invalidate(used),
  };
  // Promise chains rather than async functions: fewer promises per call on
  // the success path (a unary call through Connect already makes over 100).
  return (next) => (req) => {
    let first: string;
    const renew = (error: unknown): ReturnType<typeof next> => {
      if (req.signal.aborted) return Promise.reject(error);
      return reactToRejection(rejection, first, error, async () => {
        const fresh = await token(req.signal);
        if (fresh === first) throw error; // a fixed token cannot be renewed
        const refused = unsafe(fresh);
        if (refused) throw refused;
        scrubber?.remember(fresh);
        req.header.set(headerAuthorization, `Bearer ${fresh}`);
        return await next(req);
      });
    };
    const attempt = (value: string): ReturnType<typeof next> => {
      const refused = unsafe(value);
      if (refused) return Promise.reject(refused);
      first = value;
      scrubber?.remember(value);
      req.header.set(headerAuthorization, `Bearer ${value}`);
      return send(next, req).catch(renew);
    };
    // A cached token that needs no refresh goes out at once, with no promise of its own.
    let issued: string | Promise<string>;
    try {
      issued = credentials.cachedToken?.(clock) ?? credentials.token({ exchange, clock, signal: req.signal, closeSignal });
    } catch (error) {
      issued = Promise.reject(error);
    }
    return typeof issued === "string" ? attempt(issued) : issued.then(attempt, (error: unknown) => failed(req.signal, error));
  };
}

/**
 * The failure of a call whose credential gave no token, naming the
 * credential and why; the credential's own message lists what was tried and
 * never holds a secret. The code is UNAUTHENTICATED — except when IAM itself
 * was out of reach or overloaded (UNAVAILABLE, DEADLINE_EXCEEDED,
 * RESOURCE_EXHAUSTED after the IAM call's own retries): then that code is
 * kept, so that callers can tell an outage from a bad credential. Either way
 * it is local: the token exchange already retried what could be retried.
 */
function credentialFailure(kind: string, error: unknown): ConnectError {
  let reason: string;
  let code = Code.Unauthenticated;
  if (isConnectError(error)) {
    reason = `IAM answered ${codeName(error.code)}: ${error.rawMessage}`;
    if (transientIam.has(error.code)) code = error.code;
  } else {
    reason = error instanceof Error ? error.message : String(error);
  }
  const failure = new ConnectError(`no IAM token from ${kind}: ${reason}`, code, undefined, undefined, error);
  return markFailure(failure, { origin: "local" });
}

const transientIam: ReadonlySet<Code> = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted]);

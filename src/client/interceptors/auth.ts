import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { markFailure } from "../../core/failure.js";
import { codeName } from "../../core/code-name.js";
import type { Clock, Credentials, IamTokenExchange } from "../../credentials/types.js";
import { headerAuthorization } from "./headers.js";

/**
 * Adds `authorization: Bearer <IAM token>`. When the service answers
 * UNAUTHENTICATED (a token revoked or expired early), the token is dropped
 * from the cache and the call is tried once more with a fresh one.
 *
 * A credential that cannot produce a token (none configured, the metadata
 * service silent, IAM refusing the key) fails the call at once with
 * UNAUTHENTICATED, marked as a local failure so it is not retried: asking
 * again would only repeat the same slow failure.
 */
export function authInterceptor(credentials: Credentials, exchange: IamTokenExchange, clock: Clock): Interceptor {
  const token = async (signal: AbortSignal): Promise<string> => {
    try {
      return await credentials.token({ exchange, clock, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw credentialFailure(credentials.kind, error);
    }
  };
  // Promise chains rather than an async function: one promise fewer per call
  // on the success path.
  return (next) => (req) =>
    token(req.signal).then((first) => {
      req.header.set(headerAuthorization, `Bearer ${first}`);
      let sent: ReturnType<typeof next>;
      try {
        sent = next(req);
      } catch (error) {
        sent = Promise.reject(error);
      }
      return sent.catch(async (error: unknown) => {
        if (ConnectError.from(error).code !== Code.Unauthenticated || req.signal.aborted) throw error;
        credentials.invalidate(first);
        const fresh = await token(req.signal);
        if (fresh === first) throw error; // a fixed token cannot be renewed
        req.header.set(headerAuthorization, `Bearer ${fresh}`);
        return await next(req);
      });
    });
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
  if (error instanceof ConnectError) {
    reason = `IAM answered ${codeName(error.code)}: ${error.rawMessage}`;
    if (transientIam.has(error.code)) code = error.code;
  } else {
    reason = error instanceof Error ? error.message : String(error);
  }
  const failure = new ConnectError(`no IAM token from ${kind}: ${reason}`, code, undefined, undefined, error);
  return markFailure(failure, { origin: "local" });
}

const transientIam: ReadonlySet<Code> = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted]);

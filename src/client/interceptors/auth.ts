import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import type { Clock, Credentials, IamTokenExchange } from "../../credentials/types.js";
import { AUTHORIZATION } from "./headers.js";

/**
 * Adds `authorization: Bearer <IAM token>`. When the service answers
 * UNAUTHENTICATED (a token revoked or expired early), the token is dropped
 * from the cache and the call is tried once more with a fresh one.
 */
export function authInterceptor(credentials: Credentials, exchange: IamTokenExchange, clock: Clock): Interceptor {
  return (next) => async (req) => {
    const token = await credentials.token({ exchange, clock, signal: req.signal });
    req.header.set(AUTHORIZATION, `Bearer ${token}`);
    try {
      return await next(req);
    } catch (error) {
      if (ConnectError.from(error).code !== Code.Unauthenticated || req.signal.aborted) throw error;
      credentials.invalidate(token);
      const fresh = await credentials.token({ exchange, clock, signal: req.signal });
      if (fresh === token) throw error; // a fixed token cannot be renewed
      req.header.set(AUTHORIZATION, `Bearer ${fresh}`);
      return await next(req);
    }
  };
}

import type { Client } from "@connectrpc/connect";
import type { DescService, Registry } from "@bufbuild/protobuf";
import { guardUnaryCalls } from "../core/call-guard.js";
import type { CloseScope } from "../core/close-scope.js";
import type { SecretScrubber } from "../core/secret-scrubber.js";
import { YandexCloudError } from "./errors.js";

/** What the guard needs from the cloud that owns the client. @internal */
export interface GuardContext {
  readonly endpoint: string;
  readonly registry: Registry;
  /** Ends every call in flight, with the "client closed" error, when `close()` is called. */
  readonly scope: CloseScope;
  /** Cleans every error of the secrets the client sent. */
  readonly scrubber?: SecretScrubber;
}

/**
 * Wraps every unary method of a Connect client so that:
 *
 * - each call gets its own {@link CallState} (attempts, ids), which the
 *   interceptors fill in;
 * - every failure leaves as a {@link YandexCloudError} naming the method,
 *   endpoint, attempts and ids — including the deadline errors Connect
 *   raises outside the interceptor chain, and aborts;
 * - a call made after `close()`, or with an already-aborted signal, fails at
 *   once without being sent; `close()` ends calls in flight at once.
 *
 * @internal
 */
export function guardClient<S extends DescService>(service: S, client: Client<S>, context: GuardContext): Client<S> {
  return guardUnaryCalls(service, client, context.scope, (cause, method, state) => {
    const wrapped = YandexCloudError.wrap(cause, {
      method: `/${method.parent.typeName}/${method.name}`,
      endpoint: context.endpoint,
      attempts: state.attempts,
      clientRequestId: state.clientRequestId,
      clientTraceId: state.clientTraceId,
      registry: context.registry,
    });
    fillEndpoint(wrapped, context.endpoint);
    return wrapped;
  }, context.scrubber);
}

/** Errors made inside the chain (validation) do not know the endpoint yet. */
function fillEndpoint(error: YandexCloudError, endpoint: string): void {
  if (error.endpoint === undefined) (error as { endpoint: string | undefined }).endpoint = endpoint;
}

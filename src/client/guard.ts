import { ConnectError, createContextValues } from "@connectrpc/connect";
import type { CallOptions, Client } from "@connectrpc/connect";
import type { DescMethod, DescService, Registry } from "@bufbuild/protobuf";
import { abortCode, abortText } from "../core/abort.js";
import type { CloseScope } from "../core/close-scope.js";
import type { CallState } from "./call-state.js";
import { callStateKey } from "./call-state.js";
import { YandexCloudError } from "./errors.js";

/** What the guard needs from the cloud that owns the client. @internal */
export interface GuardContext {
  readonly endpoint: string;
  readonly registry: Registry;
  /** Ends every call in flight, with the "client closed" error, when `close()` is called. */
  readonly scope: CloseScope;
}

type UnaryFn = (request: unknown, options?: CallOptions) => Promise<unknown>;

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
  const guarded: Record<string, unknown> = { ...(client as Record<string, unknown>) };
  for (const method of service.methods as readonly DescMethod[]) {
    if (method.methodKind !== "unary") continue;
    const call = (client as unknown as Record<string, UnaryFn>)[method.localName]!;
    guarded[method.localName] = guardCall(method, call, context);
  }
  return guarded as Client<S>;
}

function guardCall(method: DescMethod, call: UnaryFn, context: GuardContext): UnaryFn {
  const path = `/${method.parent.typeName}/${method.name}`;
  return async (request, options = {}) => {
    const state: CallState = { attempts: 0, clientRequestId: undefined, clientTraceId: undefined };
    const contextValues = options.contextValues ?? createContextValues();
    contextValues.set(callStateKey, state);
    const linked = context.scope.link(options.signal);
    const fail = (error: unknown): YandexCloudError => {
      // After close() the cause of whatever broke is the close itself.
      let cause = error;
      if (linked.signal.aborted) {
        const reason: unknown = linked.signal.reason;
        cause = new ConnectError(abortText(reason), abortCode(reason), undefined, undefined, reason);
      }
      const wrapped = YandexCloudError.wrap(cause, {
        method: path,
        endpoint: context.endpoint,
        attempts: state.attempts,
        clientRequestId: state.clientRequestId,
        clientTraceId: state.clientTraceId,
        registry: context.registry,
      });
      fillEndpoint(wrapped, context.endpoint);
      return wrapped;
    };
    try {
      // A call whose signal already fired must not reach the wire at all
      // (its headers would carry the bearer token for nothing).
      if (linked.signal.aborted) throw linked.signal.reason;
      return await call(request, { ...options, signal: linked.signal, contextValues });
    } catch (error) {
      throw fail(error);
    } finally {
      linked.dispose();
    }
  };
}

/** Errors made inside the chain (validation) do not know the endpoint yet. */
function fillEndpoint(error: YandexCloudError, endpoint: string): void {
  if (error.endpoint === undefined) (error as { endpoint: string | undefined }).endpoint = endpoint;
}

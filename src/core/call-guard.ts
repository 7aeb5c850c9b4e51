import { ConnectError, createContextValues } from "@connectrpc/connect";
import type { CallOptions, Client } from "@connectrpc/connect";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { CallState } from "../client/call-state.js";
import { callStateKey } from "../client/call-state.js";
import { abortCode, abortText } from "./abort.js";
import type { CloseScope } from "./close-scope.js";

/** How a provider turns whatever ended a call into its own error type. @internal */
export type WrapCallError = (error: unknown, method: DescMethod, state: CallState) => Error;

type UnaryFn = (request: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * The provider-neutral call guard: wraps every unary method of a Connect
 * client so that each call gets its own {@link CallState} (attempts, ids,
 * filled in by the interceptors), every failure leaves through the
 * provider's `wrap` (Yandex: `YandexCloudError`, AWS: `AwsError`, Huawei:
 * `HuaweiCloudError`) — including the deadline errors Connect raises
 * outside the interceptor chain, and aborts — and a call made after
 * `close()` or with an already-aborted signal fails at once, unsent, while
 * `close()` ends calls in flight at once (the scope aborts their signals).
 *
 * @example
 * ```ts
 * const client = guardUnaryCalls(EmrServerless, createClient(EmrServerless, transport), scope, (e, m, s) => AwsError.wrap(e, …));
 * ```
 * @internal
 */
export function guardUnaryCalls<S extends DescService>(service: S, client: Client<S>, scope: CloseScope, wrap: WrapCallError): Client<S> {
  const guarded: Record<string, unknown> = { ...(client as Record<string, unknown>) };
  for (const method of service.methods as readonly DescMethod[]) {
    if (method.methodKind !== "unary") continue;
    const call = (client as unknown as Record<string, UnaryFn>)[method.localName]!;
    guarded[method.localName] = guardCall(method, call, scope, wrap);
  }
  return guarded as Client<S>;
}

function guardCall(method: DescMethod, call: UnaryFn, scope: CloseScope, wrap: WrapCallError): UnaryFn {
  return async (request, options = {}) => {
    const state: CallState = { attempts: 0, clientRequestId: undefined, clientTraceId: undefined };
    const contextValues = options.contextValues ?? createContextValues();
    contextValues.set(callStateKey, state);
    // Leased, not linked: after a success its controller serves the next call.
    const linked = scope.lease(options.signal);
    try {
      // A call whose signal already fired must not reach the wire at all
      // (it would carry a token or a signature for nothing).
      if (linked.signal.aborted) throw linked.signal.reason;
      const response = await call(request, { ...options, signal: linked.signal, contextValues });
      linked.release();
      return response;
    } catch (error) {
      // After an abort (close(), the caller's signal) the cause of whatever broke is the abort itself.
      let cause = error;
      if (linked.signal.aborted) {
        const reason: unknown = linked.signal.reason;
        cause = new ConnectError(abortText(reason), abortCode(reason), undefined, undefined, reason);
      }
      throw wrap(cause, method, state);
    } finally {
      linked.dispose();
    }
  };
}

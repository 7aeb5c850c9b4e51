import { ConnectError, createContextValues } from "@connectrpc/connect";
import type { CallOptions, Client } from "@connectrpc/connect";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { CallState } from "./call-state.js";
import { callStateKey } from "./call-state.js";
import { abortCode, abortText } from "./abort.js";
import { failureOf } from "./failure.js";
import type { CloseScope, Lease } from "./close-scope.js";
import type { SecretScrubber } from "./secret-scrubber.js";
import { isConnectError, unwrapConnect } from "./connect-error.js";
import type { Tracing } from "./tracing.js";

/** How a provider turns whatever ended a call into its own error type. @internal */
export type WrapCallError = (error: unknown, method: DescMethod, state: CallState) => Error;

type UnaryFn = (request: unknown, options?: CallOptions) => Promise<unknown>;

/**
 * The provider-neutral call guard: wraps every unary method of a Connect
 * client so that each call gets its own {@link CallState} (attempts, ids,
 * filled in by the interceptors), every failure leaves through the
 * provider's `wrap` (each cloud's `CloudError` subclass: AWS's `AwsError`,
 * Huawei's `HuaweiCloudError`, …) — including the deadline errors Connect raises
 * outside the interceptor chain, and aborts — and a call made after
 * `close()` or with an already-aborted signal fails at once, unsent, while
 * `close()` ends calls in flight at once (the scope aborts their signals).
 * With a `scrubber`, every error leaves cleaned of the secrets the client
 * sent (a server, gateway or proxy may quote them back; see
 * {@link SecretScrubber}).
 *
 * @example
 * ```ts
 * const client = guardUnaryCalls(EmrServerless, createClient(EmrServerless, transport), scope, (e, m, s) => AwsError.wrap(e, …));
 * ```
 * @internal
 */
export function guardUnaryCalls<S extends DescService>(
  service: S,
  client: Client<S>,
  scope: CloseScope,
  wrap: WrapCallError,
  scrubber?: SecretScrubber,
  tracing?: Tracing,
): Client<S> {
  const guarded: Record<string, unknown> = { ...(client as Record<string, unknown>) };
  for (const method of service.methods as readonly DescMethod[]) {
    if (method.methodKind !== "unary") continue;
    const call = (client as unknown as Record<string, UnaryFn>)[method.localName]!;
    guarded[method.localName] = guardCall(method, call, scope, scrubber ? (error, m, state) => scrubber.error(wrap(error, m, state)) : wrap, tracing);
  }
  return guarded as Client<S>;
}

function guardCall(method: DescMethod, call: UnaryFn, scope: CloseScope, wrap: WrapCallError, tracing: Tracing | undefined): UnaryFn {
  const fail = (raised: unknown, lease: Lease, state: CallState): never => {
    // Connect's call runner wraps our own errors (from the interceptors) as UNKNOWN: take them back.
    const error = unwrapConnect(raised);
    // After an abort (close(), the caller's signal) the cause of whatever broke is the abort itself.
    let cause = error;
    if (lease.signal.aborted) {
      const reason: unknown = lease.signal.reason;
      cause = new ConnectError(abortText(reason), abortCode(reason), undefined, undefined, reason);
    }
    lease.dispose();
    // The last attempt was refused before it was sent (an unsent failure is
    // local, so it is never retried: it is always the last one).
    if (isConnectError(error) && failureOf(error)?.unsent && state.attempts > 0) state.attempts--;
    const wrapped = wrap(cause, method, state);
    state.span?.end(wrapped);
    throw wrapped;
  };
  // Not an async function: on success the call's own promise is handed on
  // through one `then`, with no async frame and no extra microtask turns.
  return (request, options) => {
    const state: CallState = { attempts: 0, clientRequestId: undefined, clientTraceId: undefined };
    const contextValues = options?.contextValues ?? createContextValues();
    // One span per logical call, around every attempt and backoff.
    const span = tracing?.startCall(method);
    if (span) state.span = span;
    contextValues.set(callStateKey, state);
    // Leased, not linked: after a success its controller serves the next call.
    const lease = scope.lease(options?.signal);
    let response: Promise<unknown>;
    try {
      // A call whose signal already fired must not reach the wire at all
      // (it would carry a token or a signature for nothing).
      if (lease.signal.aborted) throw lease.signal.reason;
      const signal = lease.signal;
      response = call(request, options === undefined ? { signal, contextValues } : { ...options, signal, contextValues });
    } catch (error) {
      return Promise.reject(error).then(undefined, (e: unknown) => fail(e, lease, state));
    }
    return response.then(
      (message) => {
        lease.release();
        state.span?.end();
        return message;
      },
      (error: unknown) => fail(error, lease, state),
    );
  };
}

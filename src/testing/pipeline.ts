import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey } from "@connectrpc/connect";
import type { HandlerContext } from "@connectrpc/connect";
import { validateMessage } from "../validation/index.js";
import type { Authority, Principal } from "./yandex/auth.js";
import type { CallLog, CallOutcome } from "./call-log.js";
import { redactHeaders } from "./call-log.js";
import { realSleep } from "../core/sleep.js";
import type { Clock } from "./clock.js";
import { rpcError, statusCode, statusName, withRequestInfo } from "./errors.js";
import type { Faults } from "./faults.js";
import { requestId as newRequestId, traceId as newTraceId } from "./ids.js";
import { asConnectError, isConnectError } from "../core/connect-error.js";

/**
 * Per-request state shared between the HTTP/2 layer and the call pipeline.
 * The HTTP layer creates it (so that protocol errors raised before any
 * handler runs still get an `x-request-id`); the in-memory transport has no
 * HTTP layer and the pipeline creates it on the fly.
 */
export interface RequestState {
  readonly requestId: string;
  readonly traceId: string;
  /**
   * Set when the call pipeline takes the call: from then on the pipeline
   * alone records it (once), whatever the HTTP layer sees afterwards.
   */
  dispatched: boolean;
  /** Set once the call is recorded in the call log. */
  logged: boolean;
  /** A framing error the HTTP layer found in the body (e.g. undefined envelope flags). */
  protocolError?: string;
  /** Resets the HTTP/2 stream or connection; absent without HTTP/2. */
  readonly reset?: (scope: "stream" | "connection") => void;
}

/** Creates the state of one request. */
export function newRequestState(reset?: RequestState["reset"]): RequestState {
  return { requestId: newRequestId(), traceId: newTraceId(), dispatched: false, logged: false, reset };
}

/** Context key under which the HTTP layer passes the {@link RequestState}. */
export const requestStateKey = createContextKey<RequestState | undefined>(undefined, {
  description: "dataproc-connect emulator request state",
});

/** What a handler gets besides its request. */
export interface CallContext {
  /** Full gRPC path of the method. */
  readonly method: string;
  /** The authenticated caller (absent for `IamTokenService.Create`). */
  readonly principal: Principal;
  /** The `idempotency-key` header, if sent. */
  readonly idempotencyKey: string | undefined;
  /** Response headers still to be sent. */
  readonly responseHeader: Headers;
  /** Emulator-clock time of the call. */
  readonly now: number;
  /** Set by a handler that applied a fault itself (e.g. a NOT_FOUND poll). */
  fault?: string;
}

/** Everything the pipeline needs. */
export interface PipelineDeps {
  readonly clock: Clock;
  readonly authority: Authority;
  readonly faults: Faults;
  readonly callLog: CallLog;
  /** Reports errors that are emulator bugs (not ConnectErrors). */
  readonly onInternalError: (error: unknown, method: string) => void;
}

/** A unary handler of the emulator. */
export type Handler<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  call: CallContext,
) => Promise<MessageInitShape<O>> | MessageInitShape<O>;

/** The shape Connect expects of a unary implementation (its own type is not exported). */
export type UnaryImplementation<I extends DescMessage, O extends DescMessage> = (
  request: MessageShape<I>,
  context: HandlerContext,
) => Promise<MessageInitShape<O>>;

const anonymous: Principal = { subject: "" };

/**
 * Wraps a handler in what every real Yandex Cloud call goes through, in the
 * order the real front-end applies it:
 *
 * 1. `x-request-id` / `x-server-trace-id` response headers;
 * 2. injected faults, decided before anything else runs, so a faulted call
 *    has no side effects (except the documented `reset-after-handling`);
 *    a held call waits here until its hold is released or the client leaves;
 * 3. authentication (`authorization: Bearer <IAM token>`), unless `public`;
 * 4. validation against the constraints declared in the .proto files;
 * 5. the handler;
 * 6. every error gets `google.rpc.RequestInfo` details and the call is
 *    recorded in the call log.
 *
 * @example
 * ```ts
 * router.rpc(JobService.method.get, unary(deps, JobService.method.get, { public: false }, (req, call) => …));
 * ```
 */
export function unary<I extends DescMessage, O extends DescMessage>(
  deps: PipelineDeps,
  method: DescMethodUnary<I, O>,
  options: { readonly public: boolean },
  handler: Handler<I, O>,
): UnaryImplementation<I, O> {
  const path = `/${method.parent.typeName}/${method.name}`;
  return async (request: MessageShape<I>, ctx: HandlerContext): Promise<MessageInitShape<O>> => {
    let state = ctx.values.get(requestStateKey);
    // In memory there is no HTTP layer: the pipeline counts the call itself.
    const inMemory = state === undefined;
    state ??= newRequestState();
    if (inMemory) deps.callLog.arrive();
    state.dispatched = true;
    ctx.responseHeader.set("x-request-id", state.requestId);
    ctx.responseHeader.set("x-server-trace-id", state.traceId);
    const time = deps.clock.now();
    const idempotencyKey = ctx.requestHeader.get("idempotency-key") ?? undefined;
    const faults: string[] = [];
    let outcome: CallOutcome = "ok";
    try {
      const decision = deps.faults.decide(path);
      if (decision.latencyMs > 0) {
        faults.push(`latency ${decision.latencyMs}ms`);
        // Injected latency models the network: wall-clock time even under a ManualClock.
        await realSleep(decision.latencyMs, ctx.signal);
      }
      const hold = deps.faults.holdFor(path);
      if (hold !== undefined) {
        faults.push("held");
        try {
          await untilReleased(hold.gate, ctx.signal);
        } finally {
          hold.done();
        }
      }
      const step = decision.step;
      if (step === "reset-stream" || step === "reset-connection") {
        faults.push(step);
        throw reset(state, step === "reset-stream" ? "stream" : "connection");
      }
      if (step !== "ok" && step !== "reset-after-handling") {
        faults.push(step);
        throw rpcError(statusCode(step), `emulated fault: ${step}`);
      }
      if (state.protocolError !== undefined) throw rpcError(Code.Internal, state.protocolError);
      const principal = options.public
        ? anonymous
        : deps.authority.authenticate(ctx.requestHeader.get("authorization"));
      const violations = validateMessage(method.input, request);
      if (violations.length > 0) {
        throw rpcError(Code.InvalidArgument, violations.map((v) => v.message).join("; "));
      }
      const call: CallContext = {
        method: path,
        principal,
        idempotencyKey,
        responseHeader: ctx.responseHeader,
        now: deps.clock.now(),
      };
      try {
        const response = await handler(request, call);
        if (step === "reset-after-handling") {
          faults.push(step);
          throw reset(state, "stream");
        }
        return response;
      } finally {
        if (call.fault !== undefined) faults.push(call.fault);
      }
    } catch (e) {
      let error: ConnectError;
      if (e instanceof ResetSignal) {
        outcome = e.outcome;
        error = e.error;
      } else if (isConnectError(e)) {
        error = e;
        outcome = statusName(error.code);
      } else if (ctx.signal.aborted) {
        // The client went away or its deadline passed while we waited.
        error = asConnectError(ctx.signal.reason, Code.Canceled);
        outcome = statusName(error.code);
      } else {
        deps.onInternalError(e, path);
        error = new ConnectError("internal error", Code.Internal, undefined, undefined, e);
        outcome = "INTERNAL";
      }
      throw withRequestInfo(error, state.requestId, state.traceId);
    } finally {
      // Logged already only when the HTTP layer saw the client go away
      // before this handler started.
      if (!state.logged) {
        state.logged = true;
        deps.callLog.record({
          method: path,
          time,
          headers: redactHeaders(ctx.requestHeader),
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
          requestId: state.requestId,
          outcome,
          ...(faults.length === 0 ? {} : { fault: faults.join(", ") }),
        });
      }
      if (inMemory) deps.callLog.depart();
    }
  };
}

/** Waits for a hold's gate, or rejects when the client goes away. */
function untilReleased(gate: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void gate.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/** Carries the error a reset produces and how it is logged. */
class ResetSignal {
  constructor(
    readonly error: ConnectError,
    readonly outcome: CallOutcome,
  ) {}
}

function reset(state: RequestState, scope: "stream" | "connection"): ResetSignal {
  if (state.reset === undefined) {
    // No HTTP/2 stream to reset (in-memory transport): the closest a client
    // can observe is a transient failure.
    return new ResetSignal(rpcError(Code.Unavailable, `emulated fault: reset-${scope}`), "UNAVAILABLE");
  }
  state.reset(scope);
  // The client never sees this error: its stream is gone. Aborted keeps the
  // Node adapter from logging the failed write as a server error.
  return new ResetSignal(rpcError(Code.Aborted, `emulated fault: reset-${scope}`), "RESET");
}

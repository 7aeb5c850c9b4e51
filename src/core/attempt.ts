import { ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { codeName } from "./code-name.js";
import { randomUUID } from "./uuid.js";
import { callStateOf } from "./call-state.js";
import { headerClientRequestId, headerClientTraceId, headerIdempotencyKey, headerUserAgent } from "./headers.js";
import { userAgent } from "../version.js";
import { asConnectError } from "./connect-error.js";
import type { CallSpan, RpcSystem } from "./tracing.js";
import type { AttemptDebug } from "./debug.js";

/** Where debug lines go: one line per attempt. */
export type DebugSink = (line: string) => void;

/** How {@link attemptInterceptor} treats a provider's requests. */
export interface AttemptOptions {
  /**
   * Set `x-client-request-id` and the package's `user-agent` (the stamps a
   * bearer-token cloud asks for).
   * Default true; AWS and Huawei send exactly the headers their SDKs sign.
   */
  readonly stamp?: boolean;
  /** Response headers whose values the debug line shows. Default `x-request-id`, `x-server-trace-id`. */
  readonly responseIds?: readonly string[];
  /** The `rpc.system.name` of the call's span: `grpc` (default), `http` (REST) or `aws-api`. */
  readonly system?: RpcSystem;
}

/**
 * Runs once per attempt (inside the retry loop): a fresh
 * `x-client-request-id`, the package's `user-agent`, the attempt count for
 * the call's error, and — with a debug sink — one line per attempt:
 *
 *     dataproc-connect: /example.v1.JobService/Get https://… attempt 1 NOT_FOUND 3.1ms x-client-request-id=… x-request-id=…
 *
 * The line holds the method, endpoint, attempt number, outcome, ids and
 * duration; never a header value that could be a secret.
 */
export function attemptInterceptor(endpoint: string, debug: AttemptDebug | undefined, options: AttemptOptions = {}): Interceptor {
  const stamp = options.stamp ?? true;
  const responseIds = options.responseIds ?? ["x-request-id", "x-server-trace-id"];
  const system = options.system ?? "grpc";
  // The user-agent Connect sends is the same on every call: build ours from it once.
  let seenAgent: string | null | undefined;
  let ourAgent = userAgent;
  return (next) => (req) => {
    let requestId: string | undefined;
    let attempt: number;
    let state: ReturnType<typeof callStateOf>;
    try {
      if (stamp) {
        requestId = randomUUID();
        req.header.set(headerClientRequestId, requestId);
        const agent = req.header.get(headerUserAgent);
        if (agent !== seenAgent) {
          seenAgent = agent;
          ourAgent = agent?.includes(userAgent) ? agent : agent ? `${userAgent} ${agent}` : userAgent;
        }
        if (ourAgent !== agent) req.header.set(headerUserAgent, ourAgent);
      }
      state = callStateOf(req.contextValues);
      attempt = state ? ++state.attempts : 1;
      if (state && requestId !== undefined) state.clientRequestId = requestId;
      // The trace context goes into the headers here, before any signer runs
      // (signers run in the transport, after every interceptor).
      state?.span?.attempt(req.header, endpoint, system);
      // Without a debug sink or a span the attempt is only stamped: `next`'s
      // promise is returned as it is, with no async wrapper of its own.
      if (!debug) return state?.span ? traced(next, req, state.span, responseIds) : next(req);
    } catch (error) {
      return Promise.reject(error);
    }
    if (state?.span) return traced((r) => logged(next, r, debug, { endpoint, attempt, requestId, responseIds }), req, state.span, responseIds);
    return logged(next, req, debug, { endpoint, attempt, requestId, responseIds });
  };
}

/** Runs one attempt and puts the response ids the server sent on the call's span. */
async function traced(
  next: Parameters<Interceptor>[0],
  req: Parameters<Parameters<Interceptor>[0]>[0],
  span: CallSpan,
  responseIds: readonly string[],
): ReturnType<Parameters<Interceptor>[0]> {
  try {
    const res = await next(req);
    for (const name of responseIds) span.responseId(name, res.header.get(name));
    return res;
  } catch (error) {
    const metadata = asConnectError(error).metadata;
    for (const name of responseIds) span.responseId(name, metadata.get(name));
    throw error;
  }
}

/** Runs one attempt and reports it to the debug output, OK or not. */
async function logged(
  next: Parameters<Interceptor>[0],
  req: Parameters<Parameters<Interceptor>[0]>[0],
  debug: AttemptDebug,
  at: { readonly endpoint: string; readonly attempt: number; readonly requestId: string | undefined; readonly responseIds: readonly string[] },
): ReturnType<Parameters<Interceptor>[0]> {
  const started = performance.now();
  const report = (outcome: string, headers: Headers): void => {
    const ids: Record<string, string> = {};
    const pairs: [string, string | null | undefined][] = [
      [headerClientRequestId, at.requestId],
      [headerClientTraceId, req.header.get(headerClientTraceId)],
      [headerIdempotencyKey, req.header.get(headerIdempotencyKey)],
      ...at.responseIds.map((name): [string, string | null] => [name, headers.get(name)]),
    ];
    for (const [k, v] of pairs) if (v) ids[k] = v;
    debug({ method: `/${req.service.typeName}/${req.method.name}`, endpoint: at.endpoint, attempt: at.attempt, outcome, durationMs: performance.now() - started, ids });
  };
  try {
    const res = await next(req);
    report("OK", res.header);
    return res;
  } catch (error) {
    const connect = asConnectError(error);
    report(codeName(connect.code), connect.metadata);
    throw error;
  }
}

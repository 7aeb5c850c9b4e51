import { ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { codeName } from "../../core/code-name.js";
import { randomUUID } from "../../core/uuid.js";
import { callStateOf } from "../call-state.js";
import { headerClientRequestId, headerClientTraceId, headerIdempotencyKey, headerUserAgent } from "./headers.js";
import { userAgent } from "../../version.js";

/** Where debug lines go: one line per attempt. */
export type DebugSink = (line: string) => void;

/**
 * Runs once per attempt (inside the retry loop): a fresh
 * `x-client-request-id`, the package's `user-agent`, the attempt count for
 * the call's error, and — with a debug sink — one line per attempt:
 *
 *     dataproc-connect: /yandex.cloud.dataproc.v1.JobService/Get https://… attempt 1 NOT_FOUND 3.1ms x-client-request-id=… x-request-id=…
 *
 * The line holds the method, endpoint, attempt number, outcome, ids and
 * duration; never a header value that could be a secret.
 */
export function attemptInterceptor(endpoint: string, debug: DebugSink | undefined): Interceptor {
  return (next) => async (req) => {
    const requestId = randomUUID();
    req.header.set(headerClientRequestId, requestId);
    const agent = req.header.get(headerUserAgent);
    if (!agent?.includes(userAgent)) req.header.set(headerUserAgent, agent ? `${userAgent} ${agent}` : userAgent);
    const state = callStateOf(req.contextValues);
    const attempt = state ? ++state.attempts : 1;
    if (state) state.clientRequestId = requestId;
    if (!debug) return next(req);
    const started = performance.now();
    const line = (outcome: string, headers: Headers): string => {
      const ids = [
        [headerClientRequestId, requestId],
        [headerClientTraceId, req.header.get(headerClientTraceId)],
        [headerIdempotencyKey, req.header.get(headerIdempotencyKey)],
        ["x-request-id", headers.get("x-request-id")],
        ["x-server-trace-id", headers.get("x-server-trace-id")],
      ]
        .filter(([, v]) => v)
        .map(([k, v]) => `${k}=${v}`);
      const ms = (performance.now() - started).toFixed(1);
      return `dataproc-connect: /${req.service.typeName}/${req.method.name} ${endpoint} attempt ${attempt} ${outcome} ${ms}ms ${ids.join(" ")}`.trimEnd();
    };
    try {
      const res = await next(req);
      debug(line("OK", res.header));
      return res;
    } catch (error) {
      const connect = ConnectError.from(error);
      debug(line(codeName(connect.code), connect.metadata));
      throw error;
    }
  };
}

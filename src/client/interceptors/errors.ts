import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { YandexCloudError } from "../errors.js";
import { CLIENT_REQUEST_ID, CLIENT_TRACE_ID } from "./headers.js";

/**
 * Outermost interceptor: every failure of a unary call leaves the client as a
 * {@link YandexCloudError} naming the method and the request ids, and a call
 * made with an already-aborted signal fails without being sent.
 */
export const errorInterceptor: Interceptor = (next) => async (req) => {
  try {
    // A call whose signal already fired must not reach the wire at all (its
    // headers would carry the bearer token for nothing).
    if (req.signal.aborted) throw ConnectError.from(req.signal.reason, Code.Canceled);
    return await next(req);
  } catch (error) {
    throw YandexCloudError.wrap(error, {
      method: `/${req.service.typeName}/${req.method.name}`,
      clientRequestId: req.header.get(CLIENT_REQUEST_ID) ?? undefined,
      clientTraceId: req.header.get(CLIENT_TRACE_ID) ?? undefined,
    });
  }
};

import { constants as h2 } from "node:http2";
import type { ClientHttp2Stream, IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import { Code, ConnectError, decodeBinaryHeader } from "@connectrpc/connect";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import { Http2SessionManager } from "@connectrpc/connect-node";
import { markFailure } from "../core/failure.js";

/**
 * An `Http2SessionManager` that never lets a call hang on a broken stream
 * and never keeps a wedged connection.
 *
 * - A stream the server closes with `NO_ERROR` before any response headers
 *   leaves connect-node 2.1.1's unary call pending forever (only the
 *   deadline ends it; connectrpc/connect-es#1678). Here such a stream fails
 *   at once with UNAVAILABLE, marked as a `"connection"` failure: the server
 *   gave no verdict, so a safe call is retried.
 * - A response that ends while the request body is still being sent (the
 *   server refused an oversized message) ends the stream, so the unsent
 *   rest is dropped instead of filling the session.
 * - A stream closed with `ENHANCE_YOUR_CALM` means the session itself is in
 *   trouble (e.g. Node's `maxSessionMemory` was exceeded by the unsent rest
 *   of an oversized request): every later stream on it would fail the same
 *   way, and the manager would never replace it. The session is dropped, so
 *   the next call opens a new connection. (GOAWAY is handled by the manager.)
 * - A session that fails (a server that answers HTTP/1.1 to the HTTP/2
 *   preface: "Protocol error") emits its `'error'` event when its socket has
 *   closed. If `abort()` (our `close()`) runs in between, connect-node 2.1.1
 *   has already removed its listener, and Node throws the unhandled event,
 *   killing the process. Every session this manager hands out keeps a
 *   listener of its own, so a late error is dropped (the call it ended has
 *   already failed with it).
 * - A `grpc-status-details-bin` that is not a `google.rpc.Status` makes
 *   Connect replace the server's status (say NOT_FOUND) with DATA_LOSS
 *   "invalid base64 string". The server's code is what the caller acts on:
 *   the unreadable details are dropped and the message says so (see
 *   {@link dropUnreadableDetails}).
 *
 * @example
 * ```ts
 * const sessionManager = new SettlingSessionManager("https://dataproc.api.cloud.yandex.net");
 * const transport = createGrpcTransport({ baseUrl, sessionManager });
 * ```
 */
export class SettlingSessionManager extends Http2SessionManager {
  override request(
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    options: Parameters<Http2SessionManager["request"]>[3],
  ): Promise<ClientHttp2Stream> {
    return super.request(method, path, headers, options).then((stream) => {
      keepErrorsHandled(stream.session);
      return settle(stream, path, this);
    });
  }
}

/** Sessions that already carry the listener of {@link keepErrorsHandled}. */
const guardedSessions = new WeakSet<object>();

/**
 * Gives `session` an `'error'` listener that outlives connect-node's own, so
 * an error emitted after the manager let go of the session (see
 * {@link SettlingSessionManager}) cannot crash the process. Once per session.
 */
function keepErrorsHandled(session: ClientHttp2Stream["session"]): void {
  if (!session || guardedSessions.has(session)) return;
  guardedSessions.add(session);
  session.on("error", ignoreLateError);
}

/** The error already failed the streams it concerned; nothing is left to tell. */
function ignoreLateError(): void {}

/**
 * Watches one stream for the cases {@link SettlingSessionManager} settles.
 * Plain `on` listeners: each event fires at most once per stream, and the
 * stream (one per call) goes away with them.
 */
function settle(stream: ClientHttp2Stream, path: string, manager: Http2SessionManager): ClientHttp2Stream {
  let responded = false;
  stream.on("response", (headers) => {
    responded = true;
    // Registered before connect-node's listeners, so they run first: a
    // trailers-only answer carries its status in these headers, any other
    // in the trailers.
    dropUnreadableDetails(headers);
    stream.on("trailers", dropUnreadableDetails);
    // The server has answered while the request body is still being sent,
    // e.g. it refused an oversized message: once its answer has ended the
    // call is over, so stop sending. Otherwise the unsent rest stays queued
    // in the session, blocked by flow control, until it passes
    // maxSessionMemory. (Only then is an "end" listener added: a listener
    // per stream is allocation on every call.)
    if (!stream.writableFinished) {
      stream.on("end", () => {
        if (!stream.writableFinished && !stream.closed) stream.close(h2.NGHTTP2_CANCEL);
      });
    }
  });
  stream.on("close", () => {
    if (stream.rstCode === h2.NGHTTP2_ENHANCE_YOUR_CALM) {
      manager.abort(markFailure(new ConnectError("http/2 session reset after ENHANCE_YOUR_CALM", Code.Unavailable), { origin: "connection" }));
      return;
    }
    if (responded || stream.rstCode !== h2.NGHTTP2_NO_ERROR) return;
    // Only connect-node's own listener may receive this; without one an
    // "error" event would be thrown.
    if (stream.listenerCount("error") === 0) return;
    stream.emit(
      "error",
      markFailure(new ConnectError(`${path}: the server closed the stream before answering (NO_ERROR)`, Code.Unavailable), {
        origin: "connection",
      }),
    );
  });
  return stream;
}

const detailsHeader = "grpc-status-details-bin";

/**
 * Removes a `grpc-status-details-bin` that is not a `google.rpc.Status` from
 * a response's headers or trailers (in place, before Connect reads them) and
 * appends to `grpc-message` that the details were dropped, so the server's
 * own `grpc-status` stands.
 *
 * @example
 * ```ts
 * const trailers = { "grpc-status": "5", "grpc-message": "no%20job", "grpc-status-details-bin": "!!" };
 * dropUnreadableDetails(trailers);
 * // { "grpc-status": "5", "grpc-message": "no%20job%20(the%20server's%20grpc-status-details-bin%20…%20dropped)" }
 * ```
 */
export function dropUnreadableDetails(headers: IncomingHttpHeaders): void {
  const details = headers[detailsHeader];
  if (details === undefined) return;
  try {
    if (typeof details === "string") {
      decodeBinaryHeader(details, StatusSchema);
      return;
    }
  } catch {
    // unreadable: dropped below
  }
  delete headers[detailsHeader];
  const raw = headers["grpc-message"];
  let message = typeof raw === "string" ? raw : "";
  try {
    message = decodeURIComponent(message);
  } catch {
    // kept as sent
  }
  const note = "(the server's grpc-status-details-bin was not a google.rpc.Status; its details were dropped)";
  headers["grpc-message"] = encodeURIComponent(message === "" ? note : `${message} ${note}`);
}

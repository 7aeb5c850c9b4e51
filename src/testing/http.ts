import { constants as h2 } from "node:http2";
import type { Http2ServerRequest, Http2ServerResponse, OutgoingHttpHeaders, Http2Session } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Code, createContextValues, encodeBinaryHeader } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { RequestInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";
import type { CallLog, CallOutcome } from "./call-log.js";
import { redactHeaders } from "./call-log.js";
import type { Clock } from "./clock.js";
import type { EmulatorCore } from "./core.js";
import { statusName } from "./errors.js";
import { newRequestState, requestStateKey } from "./pipeline.js";
import type { RequestState } from "./pipeline.js";

/** A Node HTTP/2 compatibility-API request listener. */
export type Http2Listener = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

const grpcContentType = /^application\/grpc(?:\+[-.\w]+)?\s*(?:;.*)?$/i;

/**
 * The HTTP/2 side of the emulator: a gRPC-only Connect adapter wrapped in
 * what a real gRPC front-end does before any handler runs.
 *
 * - Every response, including protocol errors, carries `x-request-id` and
 *   `x-server-trace-id`.
 * - A non-gRPC content type gets HTTP 415 with `grpc-status: 3`, a non-POST
 *   HTTP 405, an unknown method `UNIMPLEMENTED` (as grpc-go answers them).
 * - Malformed envelopes, undecodable messages and messages over
 *   `readMaxBytes` are rejected by Connect with a gRPC status; the trailer
 *   hook below adds `google.rpc.RequestInfo` to those too, so *every* error
 *   the emulator sends has it.
 * - Errors go out as trailers-only responses (see
 *   {@link deferHeadersForTrailersOnly}).
 * - Calls that fail before reaching a handler are still recorded in the call log.
 * - With `compressResponses: false` no response message is compressed:
 *   the client's `grpc-accept-encoding` is dropped (so no `grpc-encoding`
 *   is answered), and a compressed request, which Connect answers in its
 *   own encoding, gets `grpc-encoding: gzip` with every message flagged
 *   uncompressed (which gRPC allows). Compressed requests are still read.
 */
export function createHttp2Listener(
  core: EmulatorCore<Clock>,
  options: {
    readMaxBytes: number;
    /** Gzip responses to clients that accept it (Connect's default); false: never compress a response. */
    compressResponses?: boolean;
    /** Tears down the TCP connection under a session (see server.ts). */
    resetConnection?: (session: Http2Session) => void;
  },
): Http2Listener {
  const states = new WeakMap<object, RequestState>();
  const adapter = connectNodeAdapter({
    routes: core.routes,
    grpc: true,
    // Real Yandex Cloud endpoints speak gRPC only; a client that works here
    // over Connect or gRPC-web would fail in production.
    connect: false,
    grpcWeb: false,
    readMaxBytes: options.readMaxBytes,
    // No response message is ever big enough to compress (see below).
    ...(options.compressResponses === false ? { compressMinBytes: Number.MAX_SAFE_INTEGER } : {}),
    contextValues: (req) => createContextValues().set(requestStateKey, states.get(req)),
    fallback: (req, res) => {
      const path = req.url ?? "";
      writeGrpcError(res as Http2ServerResponse, 200, Code.Unimplemented, `unknown method ${path.slice(0, 200)}`);
    },
  });

  return (req, res) => {
    const time = core.clock.now();
    const stream = req.stream;
    const state = newRequestState((scope) => {
      if (scope === "stream") stream.close(h2.NGHTTP2_INTERNAL_ERROR);
      else if (stream.session) (options.resetConnection ?? ((session) => session.destroy()))(stream.session);
    });
    states.set(req, state);
    core.callLog.arrive();
    watchEnvelopeFlags(req, state);
    res.setHeader("x-request-id", state.requestId);
    res.setHeader("x-server-trace-id", state.traceId);

    let sentStatus: string | undefined;
    deferHeadersForTrailersOnly(res, (trailers) => {
      sentStatus = headerValue(trailers["grpc-status"]);
      return withDetails(trailers, state);
    });

    // A complete answer to a request whose body has not all arrived (e.g.
    // one over readMaxBytes): ask the client to stop sending, with
    // RST_STREAM(NO_ERROR) as RFC 9113 §8.1 allows, instead of leaving its
    // stream open until flow control blocks it.
    res.once("finish", () => {
      if (!req.complete && !stream.closed) stream.close(h2.NGHTTP2_NO_ERROR);
    });
    res.once("close", () => {
      // A call the pipeline took is recorded by the pipeline, once, even
      // when the client cancels it while it is being handled.
      if (!state.logged && !state.dispatched) {
        state.logged = true;
        const cancelled = stream.rstCode === h2.NGHTTP2_CANCEL && !res.writableFinished;
        recordUnhandled(core.callLog, req, time, state, cancelled ? "CANCELLED" : outcomeOf(sentStatus, res.writableFinished));
      }
      // Deferred: the adapter finishes its own cleanup (deadline timer,
      // stream listeners) after the response closes.
      setImmediate(() => core.callLog.depart());
    });

    if (req.method !== "POST") {
      req.resume();
      writeGrpcError(res, 405, Code.InvalidArgument, `invalid gRPC request method ${req.method}`);
      return;
    }
    const contentType = req.headers["content-type"] ?? "";
    if (!grpcContentType.test(contentType)) {
      req.resume();
      writeGrpcError(res, 415, Code.InvalidArgument, `invalid gRPC request content-type ${JSON.stringify(contentType.slice(0, 100))}`);
      return;
    }
    // Connect picks the response encoding from grpc-accept-encoding (or the
    // request's own grpc-encoding); without it the answer is uncompressed.
    if (options.compressResponses === false) delete req.headers["grpc-accept-encoding"];
    adapter(req, res);
  };
}

/**
 * Reads the gRPC envelope headers of a request body as it arrives and
 * records a flags byte other than 0 (uncompressed) or 1 (compressed) on the
 * request state; the call pipeline then refuses the call with INTERNAL, as
 * grpc-go does ("grpc: received unexpected payload format 128"). The Connect
 * adapter alone would read 0x80 as Connect's end-of-stream flag and accept
 * the message. The data itself passes through untouched.
 */
function watchEnvelopeFlags(req: Http2ServerRequest, state: RequestState): void {
  let headerAt = 0; // offset of the next envelope header within the body
  let seen = 0; // body bytes seen so far
  let pending: number[] = []; // bytes of a header cut across chunks
  const push = req.push.bind(req) as (chunk: unknown, encoding?: BufferEncoding) => boolean;
  req.push = ((chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (state.protocolError === undefined && chunk instanceof Uint8Array) {
      for (let i = Math.max(0, headerAt - seen); i < chunk.length && seen + i >= headerAt; ) {
        pending.push(chunk[i]!);
        i++;
        if (pending.length < 5) continue;
        const flags = pending[0]!;
        if ((flags & ~0x01) !== 0) {
          state.protocolError = `grpc: received unexpected payload format ${flags} (message flags 0x${flags.toString(16)})`;
          break;
        }
        const length = ((pending[1]! << 24) | (pending[2]! << 16) | (pending[3]! << 8) | pending[4]!) >>> 0;
        headerAt = seen + i + length;
        pending = [];
        i = headerAt - seen;
      }
      seen += chunk.length;
    }
    return push(chunk, encoding);
  }) as typeof req.push;
}

/**
 * Writes a trailers-only gRPC error (one HEADERS frame that ends the stream).
 * The details header is added by the trailer hook.
 */
function writeGrpcError(res: Http2ServerResponse, httpStatus: number, code: Code, message: string): void {
  res.statusCode = httpStatus;
  res.setHeader("content-type", "application/grpc");
  res.addTrailers({ "grpc-status": String(code), "grpc-message": encodeURIComponent(message) });
  res.end();
}

/**
 * Makes a response whose body is empty a gRPC "trailers-only" response, as
 * grpc-go and the real API send for errors: status, headers and trailers in
 * ONE HEADERS frame with END_STREAM. Without this, Node sends the headers,
 * then the trailers, and clients see `x-request-id` only in the first frame:
 * grpc-js then drops it from the error's metadata, and Connect repeats it.
 *
 * How: Node's compatibility response sends its headers on the first `write`
 * or at `end()`, and only at `end()` with END_STREAM. So `writeHead` merely
 * records the headers; trailers added before any body becomes headers; the
 * first `write` sends the headers normally.
 */
function deferHeadersForTrailersOnly(
  res: Http2ServerResponse,
  transformTrailers: (trailers: OutgoingHttpHeaders) => OutgoingHttpHeaders,
): void {
  const writeHead = res.writeHead.bind(res) as (status: number) => Http2ServerResponse;
  const addTrailers = res.addTrailers.bind(res);
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.writeHead = ((status: number, headers?: OutgoingHttpHeaders) => {
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value !== undefined) res.setHeader(name, value);
    }
    // Called from end(): send now, which Node does with END_STREAM.
    if (res.writableEnded) writeHead(status);
    return res;
  }) as typeof res.writeHead;
  res.write = ((...args: unknown[]) => {
    if (!res.headersSent) writeHead(res.statusCode);
    return write(...args);
  }) as typeof res.write;
  res.addTrailers = (trailers: OutgoingHttpHeaders): void => {
    const transformed = transformTrailers(trailers);
    if (res.headersSent) {
      addTrailers(transformed);
      return;
    }
    for (const [name, value] of Object.entries(transformed)) {
      if (value !== undefined) res.setHeader(name, value);
    }
  };
}

/** Adds `grpc-status-details-bin` with RequestInfo to an error status that lacks details. */
function withDetails(headers: OutgoingHttpHeaders, state: RequestState): OutgoingHttpHeaders {
  const status = headerValue(headers["grpc-status"]);
  if (status === undefined || status === "0" || headers["grpc-status-details-bin"] !== undefined) return headers;
  const message = safeDecode(headerValue(headers["grpc-message"]) ?? "");
  const details = create(StatusSchema, {
    code: Number(status),
    message,
    details: [anyPack(RequestInfoSchema, create(RequestInfoSchema, { requestId: state.requestId, servingData: state.traceId }))],
  });
  return { ...headers, "grpc-status-details-bin": encodeBinaryHeader(details, StatusSchema) };
}

function recordUnhandled(log: CallLog, req: Http2ServerRequest, time: number, state: RequestState, outcome: CallOutcome): void {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const idempotencyKey = headers.get("idempotency-key") ?? undefined;
  log.record({
    method: (req.url ?? "").split("?")[0]!.slice(0, 200),
    time,
    headers: redactHeaders(headers),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    requestId: state.requestId,
    outcome,
  });
}

function outcomeOf(grpcStatus: string | undefined, finished: boolean): CallOutcome {
  if (grpcStatus === undefined) return finished ? "ok" : "RESET";
  return grpcStatus === "0" ? "ok" : statusName(Number(grpcStatus));
}

function headerValue(value: OutgoingHttpHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : String(value);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

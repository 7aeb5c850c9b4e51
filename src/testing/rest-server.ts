import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import type { DescMethodUnary, JsonValue, Registry } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createConnectRouter, createContextValues } from "@connectrpc/connect";
import type { UniversalHandler } from "@connectrpc/connect/protocol";
import { JsonNaming } from "../../gen/dataproc_connect/v1/rest_pb.js";
import { createJsonCodec, jsonNamingOf } from "../rest/json-codec.js";
import { redactHeaders } from "./call-log.js";
import type { Clock } from "./clock.js";
import type { EmulatorCore } from "./core.js";
import { statusName, withRequestInfo } from "./errors.js";
import { newRequestState, requestStateKey } from "./pipeline.js";
import type { RequestState } from "./pipeline.js";
import type { EmulatorHttpRequest, EmulatorHttpResponse, RestFace } from "./rest-face.js";
import { RestRoutes, decodeRestRequest } from "./rest-routes.js";
import { asConnectError, isConnectError } from "../core/connect-error.js";

/** Options of {@link startRestServer}. */
export interface RestServerOptions {
  readonly host: string;
  readonly port: number;
  /** Largest request body accepted, in bytes. */
  readonly readMaxBytes: number;
  /** Provider faces, tried in order for every request. */
  readonly faces: readonly RestFace[];
  /** Types for `Any` in responses (operations) and bodies. */
  readonly registry: Registry;
}

/**
 * The emulator's REST side: an HTTP/1.1 server (plain `fetch` reaches it)
 * that serves the faces' services from the same state as the gRPC side.
 * A request is matched against the `google.api.http` rules of each face's
 * services, decoded into the request message (see `decodeRestRequest`),
 * checked by the face, then run through the SAME Connect handlers the gRPC
 * side uses (faults, auth, validation, idempotency, call log), in process.
 * The answer is protobuf JSON in the service's naming, or the face's
 * error body.
 *
 * Reset faults destroy the TCP socket: the client sees the connection drop.
 */
export async function startRestServer(core: EmulatorCore<Clock>, options: RestServerOptions): Promise<Server> {
  const router = createConnectRouter({ readMaxBytes: options.readMaxBytes });
  core.routes(router);
  const handlers = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));
  const faces = options.faces.map((face) => ({ face, routes: new RestRoutes(face.services) }));
  const server = createServer({ keepAlive: true }, (req, res) => {
    serve(core, options, handlers, faces, req, res).catch((e: unknown) => {
      // Never expected: serve() answers every failure itself.
      console.error("dataproc-connect emulator: REST request failed unexpectedly", e);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

async function serve(
  core: EmulatorCore<Clock>,
  options: RestServerOptions,
  handlers: Map<string, UniversalHandler>,
  faces: readonly { face: RestFace; routes: RestRoutes }[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const time = core.clock.now();
  const state = newRequestState(() => req.socket.destroy());
  const abort = new AbortController();
  res.once("close", () => abort.abort(new ConnectError("client went away", Code.Canceled)));
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const verb = (req.method ?? "GET").toUpperCase();
  const fallbackFace = faces[0]?.face;
  const fail = (face: RestFace | undefined, error: ConnectError, method: string): void => {
    withRequestInfo(error, state.requestId, state.traceId);
    error.metadata.set("x-server-trace-id", state.traceId);
    if (!state.logged) {
      state.logged = true;
      const idempotencyKey = headers.get("idempotency-key") ?? undefined;
      core.callLog.record({
        method,
        time,
        headers: redactHeaders(headers),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
        requestId: state.requestId,
        outcome: statusName(error.code),
      });
    }
    write(res, face ? face.errorResponse(error, state.requestId) : { status: httpFallback(error.code), body: error.rawMessage }, state);
  };

  let body: Uint8Array;
  try {
    body = await readBody(req, options.readMaxBytes);
  } catch (e) {
    fail(fallbackFace, isConnectError(e) ? e : new ConnectError("request body broken", Code.Canceled), `${verb} ${url.pathname}`);
    return;
  }

  let found: { face: RestFace; match: NonNullable<ReturnType<RestRoutes["match"]>> } | undefined;
  for (const { face, routes } of faces) {
    const match = routes.match(verb, url.pathname);
    if (match) {
      found = { face, match };
      break;
    }
  }
  if (!found) {
    const face = faces.find((f) => f.routes.hasPath(url.pathname))?.face;
    const error = face
      ? new ConnectError(`method ${verb} is not allowed for ${url.pathname.slice(0, 200)}`, Code.Unimplemented)
      : new ConnectError(`no route for ${verb} ${url.pathname.slice(0, 200)}`, Code.NotFound);
    // An unknown route is answered in the shape of the provider whose request it looks like.
    const owner = face ?? faces.find((f) => f.face.owns?.({ method: verb, url, headers, body }))?.face;
    fail(owner ?? fallbackFace, error, `${verb} ${url.pathname.slice(0, 200)}`);
    return;
  }
  const { face, match } = found;
  const method = match.method;
  const path = `/${method.parent.typeName}/${method.name}`;
  const request: EmulatorHttpRequest = { method: verb, url, headers, body };
  const denied = await face.authenticate(request);
  if (denied) {
    state.logged = true;
    core.callLog.record({ method: path, time, headers: redactHeaders(headers), requestId: state.requestId, outcome: outcomeOfStatus(denied.status) });
    write(res, denied, state);
    return;
  }
  let message;
  try {
    message = decodeRestRequest(match, url.search.slice(1), body, options.registry, face.jsonHooks);
  } catch (e) {
    fail(face, asConnectError(e, Code.InvalidArgument), path);
    return;
  }
  const handler = handlers.get(path);
  if (!handler) {
    fail(face, new ConnectError(`${path} is not served`, Code.Unimplemented), path);
    return;
  }
  const inner = new Headers(headers);
  for (const name of ["content-type", "content-length", "host", "connection", "transfer-encoding", "accept", "accept-encoding"]) inner.delete(name);
  inner.set("content-type", "application/proto");
  inner.set("connect-protocol-version", "1");
  const answer = await handler({
    httpVersion: "1.1",
    url: `http://emulator.invalid${path}`,
    method: "POST",
    header: inner,
    body: (async function* () {
      yield toBinary(method.input, message);
    })(),
    signal: abort.signal,
    contextValues: createContextValues().set(requestStateKey, state),
  });
  const answerBody = await collect(answer.body);
  if (req.socket.destroyed || res.destroyed) return; // a reset fault tore the connection down
  const protoNames = jsonNamingOf(method.parent) === JsonNaming.PROTO_NAME;
  if (answer.status !== 200) {
    fail(face, connectErrorFrom(answer.status, answer.header ?? new Headers(), answerBody), path);
    return;
  }
  const output = fromBinary(method.output, answerBody);
  const custom = face.successResponse?.(method as DescMethodUnary, output);
  if (custom) {
    const extra: Record<string, string> = {};
    answer.header?.forEach((value, name) => {
      if (!/^(content-|connect-|accept-encoding)/.test(name)) extra[name] = value;
    });
    write(res, { ...custom, headers: { ...extra, ...custom.headers } }, state);
    return;
  }
  const codec = face.jsonHooks?.length ? createJsonCodec(method.parent, { registry: options.registry, hooks: face.jsonHooks }) : undefined;
  let json: JsonValue = codec
    ? codec.writeBody(method.output, codec.encode(method.output, output))
    : toJson(method.output, output, { registry: options.registry, useProtoFieldName: protoNames });
  const responseBody = match.binding.responseBody;
  if (responseBody && typeof json === "object" && json !== null && !Array.isArray(json)) {
    json = json[protoNames ? responseBody.name : responseBody.jsonName] ?? null;
  }
  const out: Record<string, string> = { "content-type": "application/json" };
  answer.header?.forEach((value, name) => {
    if (!/^(content-|connect-|accept-encoding)/.test(name)) out[name] = value;
  });
  write(res, { status: 200, headers: out, body: JSON.stringify(json) }, state);
}

function write(res: ServerResponse, response: EmulatorHttpResponse, state: RequestState): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string> = { "x-request-id": state.requestId, "x-server-trace-id": state.traceId, ...response.headers };
  const body = response.body === undefined ? undefined : typeof response.body === "string" ? Buffer.from(response.body, "utf8") : response.body;
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new ConnectError(`request body larger than ${limit} bytes`, Code.ResourceExhausted));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.once("error", reject);
  });
}

async function collect(body: AsyncIterable<Uint8Array> | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The Connect protocol's unary error (`{code: "not_found", message, details}`) back as a ConnectError. */
function connectErrorFrom(status: number, header: Headers, body: Uint8Array): ConnectError {
  let parsed: { code?: string; message?: string; details?: { type?: string; value?: string }[] } = {};
  try {
    parsed = JSON.parse(new TextDecoder().decode(body)) as typeof parsed;
  } catch {
    // handled below
  }
  const code = connectCodes[parsed.code ?? ""] ?? (status === 429 ? Code.ResourceExhausted : Code.Unknown);
  const error = new ConnectError(parsed.message ?? `HTTP ${status}`, code, header);
  for (const detail of parsed.details ?? []) {
    if (typeof detail.type === "string" && typeof detail.value === "string") {
      error.details.push({ type: detail.type, value: base64Decode(detail.value) });
    }
  }
  return error;
}

const connectCodes: Record<string, Code> = Object.fromEntries(
  Object.entries(Code)
    .filter((entry): entry is [string, Code] => typeof entry[1] === "number")
    .map(([name, code]) => [name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c.toLowerCase() : `_${c.toLowerCase()}`)), code]),
);

function httpFallback(code: Code): number {
  return code === Code.NotFound ? 404 : code === Code.ResourceExhausted ? 413 : 400;
}

function outcomeOfStatus(status: number): ReturnType<typeof statusName> {
  return status === 401 ? "UNAUTHENTICATED" : status === 403 ? "PERMISSION_DENIED" : statusName(Code.Unknown);
}

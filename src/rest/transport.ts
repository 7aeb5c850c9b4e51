import { create } from "@bufbuild/protobuf";
import type { DescMessage, DescMethodStreaming, DescMethodUnary, DescService, JsonValue, MessageInitShape, Registry } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import type { ContextValues, Interceptor, StreamResponse, Transport, UnaryRequest, UnaryResponse } from "@connectrpc/connect";
import { runUnaryCall } from "@connectrpc/connect/protocol";
import { failureOf, markFailure } from "../core/failure.js";
import { callStateOf } from "../core/call-state.js";
import { createJsonCodec } from "./json-codec.js";
import type { JsonCodec, JsonFieldHook } from "./json-codec.js";
import { httpBindings } from "./http-rule.js";
import { retryAfterMs } from "./http-status.js";
import { statusErrorDecoder } from "./error-body.js";
import { transcode } from "./transcode.js";
import type { ErrorBodyDecoder, HttpErrorResponse, HttpRequestParts, RequestSigner } from "./types.js";
import { asConnectError, isConnectError } from "../core/connect-error.js";

/** Options of {@link createRestTransport}. */
export interface RestTransportOptions {
  /** Scheme, host and optional path prefix, e.g. `https://emr-serverless.us-east-1.amazonaws.com`. */
  readonly baseUrl: string;
  /** Types for `Any` in responses and error details (protobuf-es `createRegistry`). */
  readonly registry: Registry;
  /** The `fetch` to use. Default: `globalThis.fetch`, looked up on every call. */
  readonly fetch?: typeof globalThis.fetch;
  /** Connect interceptors, outermost first, as with any Connect transport. */
  readonly interceptors?: readonly Interceptor[];
  /** Deadline of calls that set none. */
  readonly defaultTimeoutMs?: number;
  /** Turns a non-2xx response into a ConnectError. Default: a `google.rpc.Status` JSON body, else the status table. */
  readonly errorDecoder?: ErrorBodyDecoder;
  /** Signs the final request of each attempt (AWS SigV4, Huawei SDK-HMAC-SHA256). */
  readonly signer?: RequestSigner;
  /** Provider tweaks of the protobuf JSON, per field (see {@link JsonFieldHook}). */
  readonly jsonHooks?: readonly JsonFieldHook[];
  /**
   * Largest response body accepted, in bytes, after decompression (default
   * 64 MiB). The cloud factories pass their own `readMaxBytes` option
   * (default 16 MiB, see `defaultReadMaxBytes`).
   */
  readonly readMaxBytes?: number;
}

/**
 * A Connect `Transport` that calls unary methods as REST/JSON through their
 * `google.api.http` rules (see {@link transcode}), with `fetch`: it runs on
 * Node, Deno, Bun and workers, over HTTP/1.1 or whatever `fetch` speaks.
 *
 * - Interceptor headers (authorization, idempotency-key, request ids) become
 *   HTTP headers; the {@link RequestSigner} runs last, once per attempt.
 * - Response headers are the Connect response header (`onHeader` sees them).
 * - Every failure is a `ConnectError` marked for the retry layer
 *   (`markFailure`): an HTTP error response `"server"` (with `Retry-After`),
 *   a rejected `fetch` or a body cut short `"connection"`, a request that
 *   cannot be encoded `"local"`.
 * - The call's deadline and AbortSignal abort the `fetch`.
 * - A 204 or an empty body is an empty response message.
 * - Streaming methods fail with UNIMPLEMENTED: REST has no streams.
 *
 * @example
 * ```ts
 * import { createClient } from "@connectrpc/connect";
 * import { createRestTransport, statusErrorDecoder } from "dataproc-connect/rest";
 *
 * const registry = createRegistry(JobService.file, file_google_rpc_error_details); // for Any in details
 * const transport = createRestTransport({ baseUrl: "https://jobs.example.com", registry,
 *   errorDecoder: statusErrorDecoder(registry) }); // the default: google.rpc.Status bodies
 * const job = await createClient(JobService, transport).get({ clusterId, jobId },
 *   { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export function createRestTransport(options: RestTransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const decodeError = options.errorDecoder ?? statusErrorDecoder(options.registry);
  const readMaxBytes = options.readMaxBytes ?? 64 * 1024 * 1024;
  const codecs = new Map<DescService, JsonCodec>();
  const codecFor = (service: DescService): JsonCodec => {
    let codec = codecs.get(service);
    if (!codec) codecs.set(service, (codec = createJsonCodec(service, { registry: options.registry, hooks: options.jsonHooks ?? [] })));
    return codec;
  };

  async function send<I extends DescMessage, O extends DescMessage>(req: UnaryRequest<I, O>): Promise<UnaryResponse<I, O>> {
    const { method, signal } = req;
    const codec = codecFor(method.parent);
    const http = transcode(method, req.message, codec);
    const url = new URL(`${baseUrl}${http.path}${http.query === "" ? "" : `?${http.query}`}`);
    const headers = new Headers(req.header);
    headers.set("accept", "application/json");
    const body = http.body === undefined ? undefined : new TextEncoder().encode(http.body);
    if (body !== undefined) headers.set("content-type", "application/json");
    const parts: HttpRequestParts = { method: http.verb, url, headers, body };
    const span = callStateOf(req.contextValues)?.span;
    span?.http(http.verb, url);
    if (options.signer) {
      try {
        await options.signer(parts, signal);
      } catch (e) {
        throw markFailure(asConnectError(e, Code.Unauthenticated), failureFor(e, "local"));
      }
    }
    const fetchFn = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: parts.method,
        headers: parts.headers,
        ...(body === undefined ? {} : { body }),
        signal,
        // A redirect would resend the bearer token or signature somewhere
        // else: surface it as an error instead of following it.
        redirect: "manual",
      });
    } catch (e) {
      throw connectionError(e, signal, `${parts.method} ${url.origin}${url.pathname}`);
    }
    span?.httpStatus(response.status);
    let bytes: Uint8Array;
    try {
      bytes = await readBody(response, readMaxBytes);
    } catch (e) {
      if (isConnectError(e)) throw e;
      throw connectionError(e, signal, `reading the response of ${parts.method} ${url.origin}${url.pathname}`);
    }
    if (response.status < 200 || response.status > 299) {
      const errorResponse: HttpErrorResponse = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: bytes,
        json: parseJsonOrUndefined(bytes),
      };
      const error = decodeError(errorResponse, method);
      if (failureOf(error)) throw error;
      const after = retryAfterMs(response.headers);
      throw markFailure(error, after === undefined ? { origin: "server" } : { origin: "server", retryAfterMs: after });
    }
    const message = decodeResponse(method, codec, bytes, response.headers);
    return { stream: false, service: method.parent, method, header: response.headers, trailer: new Headers(), message };
  }

  return {
    unary<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      signal: AbortSignal | undefined,
      timeoutMs: number | undefined,
      header: ConstructorParameters<typeof Headers>[0] | undefined,
      input: MessageInitShape<I>,
      contextValues?: ContextValues,
    ): Promise<UnaryResponse<I, O>> {
      let verb = "POST";
      try {
        verb = httpBindings(method)[0]!.verb;
      } catch (e) {
        return Promise.reject(markFailure(asConnectError(e, Code.Unimplemented), { origin: "local" }));
      }
      return runUnaryCall<I, O>({
        interceptors: [...(options.interceptors ?? [])],
        signal,
        timeoutMs: timeoutMs ?? options.defaultTimeoutMs,
        req: {
          stream: false,
          service: method.parent,
          method,
          requestMethod: verb,
          url: `${baseUrl}/${method.parent.typeName}/${method.name}`,
          header: new Headers(header),
          contextValues: contextValues ?? createContextValues(),
          message: input,
        },
        next: send,
      });
    },
    stream<I extends DescMessage, O extends DescMessage>(method: DescMethodStreaming<I, O>): Promise<StreamResponse<I, O>> {
      return Promise.reject(
        markFailure(
          new ConnectError(`${method.parent.typeName}.${method.name} is a streaming method; the REST transport supports unary methods only`, Code.Unimplemented),
          { origin: "local" },
        ),
      );
    },
  };
}

function decodeResponse<O extends DescMessage>(
  method: DescMethodUnary<DescMessage, O>,
  codec: JsonCodec,
  bytes: Uint8Array,
  headers: Headers,
): UnaryResponse<DescMessage, O>["message"] {
  if (bytes.byteLength === 0) return create(method.output);
  const fail = (why: string, cause?: unknown): never => {
    throw markFailure(new ConnectError(`invalid ${method.output.typeName} response: ${why}`, Code.Internal, headers, undefined, cause), { origin: "server" });
  };
  let json: JsonValue;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as JsonValue;
  } catch (e) {
    return fail("the body is not JSON", e);
  }
  const binding = httpBindings(method)[0]!;
  if (binding.responseBody) json = { [codec.keyOf(binding.responseBody)]: json };
  try {
    return codec.decode(method.output, json);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e), e);
  }
}

/** Reads the whole body, refusing more than `limit` bytes. */
async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(limit);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(limit: number): ConnectError {
  return markFailure(new ConnectError(`response body larger than readMaxBytes (${limit} bytes)`, Code.ResourceExhausted), { origin: "local" });
}

function connectionError(e: unknown, signal: AbortSignal, what: string): ConnectError {
  if (signal.aborted) {
    // Deadline or caller abort: the call is over; runUnaryCall reports the reason.
    return markFailure(asConnectError(signal.reason ?? e, Code.Canceled), { origin: "local" });
  }
  const cause = e instanceof Error && e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e instanceof Error ? e.message : String(e);
  return markFailure(new ConnectError(`${what} failed: ${cause}`, Code.Unavailable, undefined, undefined, e), { origin: "connection" });
}

function failureFor(e: unknown, origin: "local"): { origin: "local" } | NonNullable<ReturnType<typeof failureOf>> {
  return (isConnectError(e) ? failureOf(e) : undefined) ?? { origin };
}

function parseJsonOrUndefined(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

import type { DescMethod } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";

/**
 * The final HTTP request of one REST attempt, after transcoding, JSON
 * encoding and every interceptor. A {@link RequestSigner} may add or change
 * headers (and only headers); the bytes in `body` are exactly the bytes sent.
 */
export interface HttpRequestParts {
  readonly method: string;
  /** Absolute URL with the encoded path and query, exactly as sent. */
  readonly url: URL;
  /** Mutable: signers add `authorization`, `x-amz-date`, `x-sdk-date`, … */
  readonly headers: Headers;
  /** The encoded body, or `undefined` when the request has none. */
  readonly body: Uint8Array | undefined;
}

/**
 * Signs a request in place, after everything else has run and right before
 * `fetch`: a bearer-token cloud needs none (the token is an interceptor), AWS signs
 * SigV4, Huawei SDK-HMAC-SHA256. Called again for every retry attempt, so
 * each attempt carries a fresh date and signature.
 *
 * @example
 * ```ts
 * const signer: RequestSigner = async (request) => {
 *   request.headers.set("x-signed", await hmac(request.method + request.url.pathname));
 * };
 * ```
 */
export type RequestSigner = (request: HttpRequestParts, signal: AbortSignal) => void | Promise<void>;

/** An HTTP response with a status outside 2xx, as the transport received it. */
export interface HttpErrorResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The raw body (may be empty). */
  readonly body: Uint8Array;
  /** The body parsed as JSON when it is JSON, else `undefined`. */
  readonly json: unknown;
}

/**
 * Turns a provider's error response into a `ConnectError` (code, message,
 * details, metadata = response headers). The transport marks the result as
 * a server verdict (`markFailure(…, { origin: "server" })`) unless the
 * decoder already marked it (e.g. with a provider `retryable` verdict).
 */
export type ErrorBodyDecoder = (response: HttpErrorResponse, method: DescMethod) => ConnectError;

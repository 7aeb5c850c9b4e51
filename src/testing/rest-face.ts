import type { DescMethodUnary, DescMessage, DescService, MessageShape } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import type { JsonFieldHook } from "../rest/json-codec.js";

/** One HTTP/1.1 request as the emulator's REST server received it. */
export interface EmulatorHttpRequest {
  readonly method: string;
  /** Absolute URL, path and query exactly as received (still encoded). */
  readonly url: URL;
  readonly headers: Headers;
  /** The raw body (empty when none was sent). */
  readonly body: Uint8Array;
}

/** What the emulator's REST server writes back. */
export interface EmulatorHttpResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** A string is sent as UTF-8; JSON bodies are already serialised. */
  readonly body?: string | Uint8Array;
}

/**
 * One provider's face on the emulator's REST server. The server finds the
 * method from the `google.api.http` rules of `services`, then:
 *
 * 1. `authenticate` checks the raw request (bearer token, SigV4 or
 *    SDK-HMAC-SHA256 signature) and may answer with an error right away;
 * 2. the request is decoded with the face's JSON naming and handed to the
 *    same Connect handlers the gRPC face uses (one state for every face);
 * 3. a failed call is written with `errorResponse` (the provider's error
 *    body and headers); a successful one as JSON.
 */
export interface RestFace {
  /** A name for logs, e.g. `"yandex"`, `"aws"`, `"huawei"`. */
  readonly name: string;
  /** Services this face serves over REST (their methods carry `google.api.http`). */
  readonly services: readonly DescService[];
  /**
   * Provider rewrites of the protobuf JSON (the same hooks the client
   * transport takes), applied when requests are decoded and responses
   * encoded: AWS restJson1 needs epoch-second timestamps and int64 numbers.
   */
  readonly jsonHooks?: readonly JsonFieldHook[];
  /**
   * Optional: whether a request that matched no route still looks like this
   * provider's (its signature scheme), so that it is answered in this
   * provider's error shape rather than the first face's.
   */
  owns?(request: EmulatorHttpRequest): boolean;
  /** Checks the request's credentials; returns a response to send instead, or `undefined` to go on. */
  authenticate(request: EmulatorHttpRequest): EmulatorHttpResponse | undefined | Promise<EmulatorHttpResponse | undefined>;
  /** The provider's error response for a failed call. `requestId` is the emulator's id for the call. */
  errorResponse(error: ConnectError, requestId: string): EmulatorHttpResponse;
  /**
   * Optional: writes a successful answer itself, for providers whose success
   * is not "200 + protobuf JSON" (Huawei answers some calls 202 and writes
   * int64 as JSON numbers). `undefined` keeps the default.
   */
  successResponse?<O extends DescMessage>(method: DescMethodUnary<DescMessage, O>, message: MessageShape<O>): EmulatorHttpResponse | undefined;
}

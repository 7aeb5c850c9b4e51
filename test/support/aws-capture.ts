/**
 * Captures the HTTP requests of the AWS SDK (a custom requestHandler) and of
 * our client (a custom fetch) with no network, and answers both with the
 * same canned response.
 */
import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { HttpResponse } from "@smithy/core/transport";
import type { HttpRequest, SourceData } from "@smithy/types";

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

export interface CapturedRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** Decoded query pairs, sorted. */
  readonly query: [string, string][];
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface CannedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export function sdkCapture(answer: () => CannedResponse) {
  const seen: CapturedRequest[] = [];
  const requestHandler = {
    async handle(request: HttpRequest) {
      const query: [string, string][] = [];
      for (const [k, v] of Object.entries(request.query ?? {})) {
        for (const item of Array.isArray(v) ? v : [v]) query.push([k, String(item)]);
      }
      // TextDecoder reads the bytes; Buffer.from() would call the SDK body's
      // valueOf() first, which its JsonBytesStringAdapter answers with a
      // "string method on a Uint8Array request body" warning on stderr.
      const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body as Uint8Array);
      seen.push({
        method: request.method,
        host: request.hostname + (request.port ? `:${request.port}` : ""),
        path: request.path,
        query: query.sort(),
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
        body,
      });
      const a = answer();
      return {
        response: new HttpResponse({
          statusCode: a.status,
          headers: { "content-type": "application/json", ...(a.headers ?? {}) },
          body: Readable.from([Buffer.from(a.body ?? "")]),
        }),
      };
    },
  };
  return { seen, requestHandler };
}

export function fetchCapture(answer: () => CannedResponse) {
  const seen: CapturedRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const query: [string, string][] = [];
    for (const part of url.search.slice(1).split("&").filter(Boolean)) {
      const eq = part.indexOf("=");
      query.push([decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))]);
    }
    const body = init?.body === undefined ? "" : Buffer.from(init.body as Uint8Array).toString("utf8");
    seen.push({
      method: init?.method ?? "GET",
      host: url.host,
      path: url.pathname,
      query: query.sort(),
      headers: Object.fromEntries(headers.entries()),
      body,
    });
    const a = answer();
    return new Response(a.body ?? "", { status: a.status, headers: { "content-type": "application/json", ...(a.headers ?? {}) } });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

/** SHA-256 for @smithy/signature-v4 (the SDK's own signer, used as an oracle). */
export class NodeSha256 {
  #hash;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/**
 * Stands in for `@connectrpc/connect-node` and the HTTP/2 session manager in
 * the REST-only build (dist/rest-only, the `workerd` / `worker` / `browser`
 * export conditions; see scripts/build.mjs). The gRPC transport is loaded with
 * `import()` on its first call, but a bundler that makes one file (wrangler's
 * esbuild, a browser bundle) still pulls that import in, and with it
 * `node:http2`, `node:http`, `node:zlib`…: the worker would then need
 * `nodejs_compat` or fail to bundle. In the REST-only build that import is
 * this module, so the bundle holds no `node:` import, and a service that is
 * left on gRPC fails its first call with an error that says what to do.
 * It is chosen by an export condition at bundle time, not by a runtime check.
 *
 * @example
 * ```ts
 * // In a worker (REST-only build): every service must go over REST.
 * const cloud = createYandexCloud({ credentials, transport: "rest" });
 * ```
 */
export const grpcUnavailableMessage =
  "gRPC needs Node (node:http2); this is dataproc-connect's REST-only build (export condition workerd, worker or browser): use transport: 'rest'";

/** In place of connect-node's `createGrpcTransport`: always throws. */
export function createGrpcTransport(_options: unknown): never {
  throw new Error(grpcUnavailableMessage);
}

/** In place of the HTTP/2 session manager: cannot be made. */
export class SettlingSessionManager {
  constructor(_baseUrl: string) {
    throw new Error(grpcUnavailableMessage);
  }

  abort(): void {}
}

/** Stands in for the bounded compressions of ./compression.ts (which need `node:zlib`). */
export const boundedCompressions: readonly never[] = [];

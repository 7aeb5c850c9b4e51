import type { Interceptor, StreamRequest, UnaryRequest } from "@connectrpc/connect";

/**
 * An interceptor that only looks at or changes the request before it goes
 * on: `before(req)` runs, then `next(req)`'s own promise is returned — no
 * `async` wrapper, so no extra promise and microtask turns per call, which
 * add up over a stack of interceptors. Whatever `before` (or a non-async
 * `next`) throws becomes a rejection, as in an `async` interceptor:
 * Connect's call runner cleans up the call (its deadline timer, its signal
 * link) only on a settled promise.
 *
 * @example
 * ```ts
 * const stampInterceptor = syncInterceptor((req) => req.header.set("x-stamp", "1"));
 * ```
 * @internal
 */
export function syncInterceptor(before: (req: UnaryRequest | StreamRequest) => void): Interceptor {
  return (next) => (req) => {
    try {
      before(req);
      return next(req);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

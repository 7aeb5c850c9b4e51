import { randomUUID } from "../../util/uuid.js";
import type { Interceptor } from "@connectrpc/connect";
import { isReadOnly } from "../method-kind.js";
import { CLIENT_TRACE_ID, IDEMPOTENCY_KEY } from "./headers.js";

/**
 * Ids that belong to the logical call and so stay the same on every retry:
 *
 * - `x-client-trace-id`, for support to follow one call across attempts;
 * - `Idempotency-Key` on mutating methods: the server answers a repeated key
 *   with the Operation it already started, so a retried Create cannot create
 *   a second job.
 *
 * A value the caller set in `headers` is kept.
 *
 * @example
 * ```ts
 * await jobs.create(request, { headers: { "idempotency-key": myStableKey } });
 * ```
 */
export const callIdsInterceptor: Interceptor = (next) => async (req) => {
  if (!req.header.has(CLIENT_TRACE_ID)) req.header.set(CLIENT_TRACE_ID, randomUUID());
  if (!req.header.has(IDEMPOTENCY_KEY) && !isReadOnly(req.method)) req.header.set(IDEMPOTENCY_KEY, randomUUID());
  return next(req);
};

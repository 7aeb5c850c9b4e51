import { randomUUID } from "../../core/uuid.js";
import type { Interceptor } from "@connectrpc/connect";
import { callStateOf } from "../../core/call-state.js";
import { isReadOnly } from "../method-kind.js";
import { headerClientTraceId, headerIdempotencyKey } from "../../core/headers.js";
import { syncInterceptor } from "../../core/sync-interceptor.js";

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
export const callIdsInterceptor: Interceptor = syncInterceptor((req) => {
  let traceId = req.header.get(headerClientTraceId);
  if (traceId === null) req.header.set(headerClientTraceId, (traceId = randomUUID()));
  if (!isReadOnly(req.method) && !req.header.has(headerIdempotencyKey)) req.header.set(headerIdempotencyKey, randomUUID());
  const state = callStateOf(req.contextValues);
  if (state) state.clientTraceId = traceId;
});

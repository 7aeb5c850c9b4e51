import { createContextKey } from "@connectrpc/connect";
import type { ContextValues } from "@connectrpc/connect";
import type { CallSpan } from "./tracing.js";

/**
 * What the interceptors learn about one logical call, for the error the call
 * may end with: how many attempts were sent and under which ids. The call
 * guard (see guard.ts) creates it per call and reads it when the call fails;
 * this matters because Connect replaces the error of a call whose deadline
 * fired with its own, so the ids cannot travel on the error alone.
 *
 * @internal
 */
export interface CallState {
  attempts: number;
  clientRequestId: string | undefined;
  clientTraceId: string | undefined;
  /** The call's span and duration metric, when tracing or metrics are on. */
  span?: CallSpan | undefined;
}

/** @internal */
export const callStateKey = createContextKey<CallState | undefined>(undefined, { description: "dataproc-connect call state" });

/** The state of the call `values` belong to, if the call guard set one. @internal */
export function callStateOf(values: ContextValues): CallState | undefined {
  return values.get(callStateKey);
}

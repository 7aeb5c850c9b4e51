import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { Violation } from "./errors.js";
import { checkTypes } from "./types.js";

/** Builds the error a call rejects with when its request has the wrong JavaScript types. */
export type RejectRequest = (method: DescMethod, violations: readonly Violation[]) => Error;

/**
 * Wraps a Connect client so that every unary and server-streaming method
 * checks the JavaScript types of its request ({@link checkTypes}) before the
 * client's `create(schema, init)` can coerce them, and fails with the error
 * `reject` builds — nothing is sent. A request that passes goes on unchanged,
 * so the constraint check (the validate interceptor) still runs on the
 * created message.
 *
 * Why a wrapper and not an interceptor: Connect calls `create()` on the init
 * object before any interceptor runs, and `create()` drops unknown keys and
 * keeps wrong types, so an interceptor can no longer see what the caller
 * wrote.
 *
 * @example
 * ```ts
 * const jobs = withTypeChecks(JobService, createClient(JobService, transport), (method, violations) =>
 *   new ConnectError(violations.map((v) => v.message).join("; "), Code.InvalidArgument));
 * await jobs.get({ clusterId: 12345 as never, jobId: "j1" }); // rejects: cluster_id: expected a string, got the number 12345
 * ```
 */
export function withTypeChecks<S extends DescService>(service: S, client: Client<S>, reject: RejectRequest): Client<S> {
  const calls = client as unknown as Record<string, (request: unknown, options?: unknown) => unknown>;
  const wrapped: Record<string, unknown> = { ...calls };
  for (const method of service.methods as readonly DescMethod[]) {
    const call = calls[method.localName];
    if (call === undefined) continue;
    if (method.methodKind === "unary") {
      wrapped[method.localName] = (request: unknown, options?: unknown) => {
        const violations = checkTypes(method.input, request);
        return violations.length > 0 ? Promise.reject(reject(method, violations)) : call(request, options);
      };
    } else if (method.methodKind === "server_streaming") {
      wrapped[method.localName] = (request: unknown, options?: unknown) => {
        const violations = checkTypes(method.input, request);
        return violations.length > 0 ? failingStream(reject(method, violations)) : call(request, options);
      };
    }
  }
  return wrapped as unknown as Client<S>;
}

/** A stream whose first read rejects with `error` (a streaming call returns synchronously). */
function failingStream(error: Error): AsyncIterable<never> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}

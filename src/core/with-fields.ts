import type { Message } from "@bufbuild/protobuf";

/**
 * A copy of a request message with some top-level fields set, for the
 * interceptors that fill a field the caller left empty (AWS's idempotency
 * token, Huawei's project id). The caller's message is never changed.
 *
 * Why not protobuf-es `clone()`: it re-checks every field value on the way,
 * and throws a bare `FieldValueInvalidError` ("expected string: invalid
 * UTF8") for a string holding a lone UTF-16 surrogate anywhere in the
 * request — which the call then reports as UNKNOWN, instead of the
 * transcoder's INVALID_ARGUMENT naming the field (path and query values),
 * or sending it as the JSON escape `\ud800` as every other request does
 * (body values). The fill only sets top-level scalars, so a shallow copy is
 * enough; it keeps the prototype, where messages with explicit-presence
 * defaults hold them.
 *
 * @example
 * ```ts
 * const filled = withFields(req.message, { clientToken: crypto.randomUUID() });
 * return next({ ...req, message: filled });
 * ```
 * @internal
 */
export function withFields<M extends Message>(message: M, values: Readonly<Record<string, unknown>>): M {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(message) as object | null) as M, message);
  return Object.assign(copy, values);
}

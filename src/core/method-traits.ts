import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { DescMethod } from "@bufbuild/protobuf";
import type { CallTraits } from "./failure.js";

/**
 * What a method allows, read from its descriptor's standard
 * `idempotency_level` option: `NO_SIDE_EFFECTS` only reads (and so may also
 * be repeated), `IDEMPOTENT` may be repeated. Everything else is neither: a
 * call whose answer was lost might have taken effect, so it is retried only
 * where the cloud adds a guarantee of its own (an idempotency key or token).
 *
 * The protos set the option from each provider's own statement: the Smithy
 * model's `@readonly` / `@idempotent` traits for AWS, the API reference for
 * Huawei; a provider may add a rule of its own on top (one reads Get and
 * List methods as read-only, by name).
 *
 * @example
 * ```ts
 * methodTraits(EmrServerless.method.getJobRun);   // { readOnly: true, idempotent: true }
 * methodTraits(EmrServerless.method.cancelJobRun); // { readOnly: false, idempotent: true }
 * ```
 */
export function methodTraits(method: DescMethod): CallTraits {
  const readOnly = method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS;
  return { readOnly, idempotent: readOnly || method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT };
}

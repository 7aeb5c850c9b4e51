import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { http } from "../../gen/google/api/annotations_pb.js";
import { operation } from "../../gen/yandex/cloud/api/operation_pb.js";

/**
 * Whether a method only reads, decided from its descriptor so that services
 * added later need no list here. In order:
 *
 * 1. `option idempotency_level = NO_SIDE_EFFECTS` → read-only;
 * 2. a `(yandex.cloud.api.operation)` option → mutating (it starts an operation);
 * 3. the Yandex Cloud naming rule: only `Get…` and `List…` methods read
 *    (`OperationService.Cancel` is bound to HTTP GET, yet it mutates);
 * 4. a `(google.api.http)` rule with a verb other than GET → mutating.
 *
 * Read-only methods may be retried on more errors (INTERNAL,
 * DEADLINE_EXCEEDED) and never get an Idempotency-Key.
 *
 * @example
 * ```ts
 * isReadOnly(JobService.method.get);    // true
 * isReadOnly(JobService.method.create); // false
 * ```
 */
export function isReadOnly(method: DescMethod): boolean {
  // Called on every request: decoding options each time showed up in profiles.
  let readOnly = cache.get(method);
  if (readOnly === undefined) cache.set(method, (readOnly = classify(method)));
  return readOnly;
}

const cache = new WeakMap<DescMethod, boolean>();

function classify(method: DescMethod): boolean {
  if (method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) return true;
  if (hasOption(method, operation)) return false;
  if (!/^(Get|List)(?![a-z])/.test(method.name)) return false;
  return !hasOption(method, http) || getOption(method, http).pattern.case === "get";
}

import type { Interceptor } from "@connectrpc/connect";
import { validateConstraints } from "../../validation/validate.js";
import { validationError } from "../errors.js";
import { syncInterceptor } from "../../core/sync-interceptor.js";

/**
 * Checks a unary request against the `yandex.cloud` constraint options of its
 * message type before anything is sent, and fails with INVALID_ARGUMENT
 * naming each field path and rule.
 *
 * The JavaScript types were checked before: the factory installs it only
 * together with the clients' type-check wrapper (`withTypeChecks`), which
 * runs on the caller's init before Connect's `create()`; so only the
 * constraints are checked here.
 *
 * Not an `async` function: on the success path it hands on `next`'s promise
 * instead of wrapping it in one more (see {@link syncInterceptor}).
 */
export const validateInterceptor: Interceptor = syncInterceptor((req) => {
  if (req.stream) return;
  const violations = validateConstraints(req.method.input, req.message);
  if (violations.length > 0) {
    throw validationError(req.method.input.typeName, violations, { method: `/${req.service.typeName}/${req.method.name}` });
  }
});

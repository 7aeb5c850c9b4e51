import type { Interceptor } from "@connectrpc/connect";
import { validateMessage } from "../../validation/index.js";
import { validationError } from "../errors.js";
import { syncInterceptor } from "./sync.js";

/**
 * Checks a unary request against the `yandex.cloud` constraint options of its
 * message type before anything is sent, and fails with INVALID_ARGUMENT
 * naming each field path and rule.
 *
 * Not an `async` function: on the success path it hands on `next`'s promise
 * instead of wrapping it in one more (see {@link syncInterceptor}).
 */
export const validateInterceptor: Interceptor = syncInterceptor((req) => {
  if (req.stream) return;
  const violations = validateMessage(req.method.input, req.message);
  if (violations.length > 0) {
    throw validationError(req.method.input.typeName, violations, { method: `/${req.service.typeName}/${req.method.name}` });
  }
});

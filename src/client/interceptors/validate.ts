import type { Interceptor } from "@connectrpc/connect";
import { validateMessage } from "../../validation/index.js";
import { validationError } from "../errors.js";

/**
 * Checks a unary request against the `yandex.cloud` constraint options of its
 * message type before anything is sent, and fails with INVALID_ARGUMENT
 * naming each field path and rule.
 */
export const validateInterceptor: Interceptor = (next) => async (req) => {
  if (!req.stream) {
    const violations = validateMessage(req.method.input, req.message);
    if (violations.length > 0) {
      throw validationError(req.method.input.typeName, violations, { method: `/${req.service.typeName}/${req.method.name}` });
    }
  }
  return next(req);
};

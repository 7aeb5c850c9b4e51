import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { markFailure } from "../core/failure.js";
import { validateMessage } from "../validation/index.js";

/**
 * Checks a request against the constraints in its .proto (lengths, patterns,
 * ranges, required fields: the Smithy model's) before anything is sent, and
 * fails with INVALID_ARGUMENT naming each field path and rule. Marked as a
 * local failure: never retried, never sent.
 */
export const awsValidateInterceptor: Interceptor = (next) => async (req) => {
  if (!req.stream) {
    const violations = validateMessage(req.method.input, req.message);
    if (violations.length > 0) {
      const text = violations.map((v) => v.message).join("; ");
      throw markFailure(new ConnectError(`invalid ${req.method.input.typeName}: ${text}`, Code.InvalidArgument), { origin: "local" });
    }
  }
  return next(req);
};

import { Code } from "@connectrpc/connect";
import type { Interceptor } from "@connectrpc/connect";
import { validateMessage } from "../validation/index.js";
import { localAwsError } from "./errors.js";

/**
 * Checks a request against the constraints in its .proto (lengths, patterns,
 * ranges, required fields: the Smithy model's) before anything is sent, and
 * fails with an `AwsError` INVALID_ARGUMENT naming each field path and rule
 * (also in `violations`). Marked as a local failure: never retried, never sent.
 */
export const awsValidateInterceptor: Interceptor = (next) => async (req) => {
  if (!req.stream) {
    const violations = validateMessage(req.method.input, req.message);
    if (violations.length > 0) {
      const text = violations.map((v) => v.message).join("; ");
      throw localAwsError(Code.InvalidArgument, `invalid ${req.method.input.typeName}: ${text}`, {
        method: `${req.method.parent.name}.${req.method.name}`,
        attempts: 0,
        violations,
      });
    }
  }
  return next(req);
};

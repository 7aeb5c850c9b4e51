import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { aws_idempotency_token } from "../../gen/dataproc_connect/v1/rest_pb.js";
import { withFields } from "../core/with-fields.js";

const tokenFields = new WeakMap<DescMessage, DescField | null>();

/** The request field marked `(dataproc_connect.v1.aws_idempotency_token)`, if any. */
export function idempotencyTokenField(input: DescMessage): DescField | undefined {
  let found = tokenFields.get(input);
  if (found === undefined) {
    found = input.fields.find((f) => hasOption(f, aws_idempotency_token) && getOption(f, aws_idempotency_token)) ?? null;
    tokenFields.set(input, found);
  }
  return found ?? undefined;
}

/**
 * Smithy `@idempotencyToken`, from the descriptor: when the request's token
 * field (e.g. `StartJobRun.clientToken`) is empty, fills it with a UUID v4,
 * as the AWS SDK does. Placed before the retry layer, so every attempt of
 * one call carries the same token and the service starts the run once. The
 * caller's message is never changed (a copy is filled).
 *
 * @example
 * ```ts
 * await emr.startJobRun({ applicationId, executionRoleArn, jobDriver, clientToken: "nightly-2026-12-01" });
 * ```
 */
export const idempotencyTokenInterceptor: Interceptor = (next) => async (req) => {
  if (req.stream) return next(req);
  const field = idempotencyTokenField(req.method.input);
  if (!field || field.fieldKind !== "scalar") return next(req);
  const message = req.message as Record<string, unknown>;
  if (typeof message[field.localName] === "string" && message[field.localName] !== "") return next(req);
  return next({ ...req, message: withFields(req.message, { [field.localName]: globalThis.crypto.randomUUID() }) });
};

/** True when a repeat of the call is harmless: `idempotency_level = IDEMPOTENT` or a token field. */
export function isIdempotentMethod(method: { idempotency: number; input: DescMessage }): boolean {
  return method.idempotency === 2 /* IDEMPOTENT */ || idempotencyTokenField(method.input) !== undefined;
}

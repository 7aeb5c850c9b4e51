/**
 * Request validation driven by the descriptors: the JavaScript types of a
 * request as written (`checkTypes`, run before `create()` by
 * `withTypeChecks`), then the `yandex.cloud` field options
 * (proto/yandex/cloud/validation.proto): `required`, `length`, `pattern`,
 * `value`, `size`, `unique`, `map_key`, `bytes` and `exactly_one` on oneofs.
 *
 * @example
 * ```ts
 * import { assertValid } from "./validation/index.js";
 * assertValid(CreateJobRequestSchema, request); // throws ValidationError when invalid
 * ```
 */
export type { Violation } from "./errors.js";
export { ValidationError } from "./errors.js";
export { assertValid, validateMessage } from "./validate.js";
export { checkTypes } from "./types.js";
export { withTypeChecks } from "./checked-client.js";
export type { RejectRequest } from "./checked-client.js";

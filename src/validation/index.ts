/**
 * Request validation driven by the descriptors: the JavaScript types of a
 * request as written (`checkTypes`, run before `create()` by
 * `withTypeChecks`), then the validation field options: `required`,
 * `length`, `pattern`, `value`, `size`, `unique`, `map_key`, `bytes` and
 * `exactly_one` on oneofs, from either Yandex's set
 * (proto/yandex/cloud/validation.proto) or this package's neutral copy
 * (proto/dataproc_connect/v1/validation.proto), read alike.
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

import type { GeneratedOperationTypes } from "../../gen/operation_types_pb.js";

/**
 * The message types an Operation carries, for every method annotated with
 * `(yandex.cloud.api.operation)`, keyed by the method's request type name:
 * what types `YandexClient`'s `wait()` and `decodedMetadata`.
 *
 * It is an interface so that code generated outside this package can add
 * its own methods by module augmentation; the `protoc-gen-dataproc-connect`
 * plugin (a bin of this package) writes that for a user's .proto files, so
 * their operations are typed like ours:
 *
 * @example
 * ```ts
 * declare module "dataproc-connect" {
 *   interface OperationTypes {
 *     "acme.widgets.v1.CreateWidgetRequest": { metadata: CreateWidgetMetadata; response: Widget };
 *   }
 * }
 * ```
 */
// An interface, not a type alias: only an interface merges with augmentations.
export interface OperationTypes extends GeneratedOperationTypes {}

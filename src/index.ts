/**
 * dataproc-connect: typed Connect clients for the Yandex Data Proc and
 * Managed Spark job APIs. Service messages live in the per-service entry
 * points (`dataproc-connect/dataproc/v1`, `…/spark/v1`, `…/operation`,
 * `…/iam/v1`); this root holds what is shared between them.
 *
 * @module
 */
export { apiFiles, createApiRegistry } from "./registry.js";

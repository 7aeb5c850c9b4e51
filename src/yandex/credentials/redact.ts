/**
 * The shared redaction helper, under the path src/yandex/cloud.ts imports it
 * from; credentials import it from src/core/redact.ts. Remove once the
 * factory imports `redacted` from core.
 */
export { redacted } from "../../core/redact.js";

/**
 * The shared redaction helper is src/core/redact.ts (re-exported here for the
 * path src/huawei/cloud.ts imports it from; remove once the factory imports
 * it from core). What stays here is Huawei's own rule for what of a key may
 * be shown.
 */
export { redacted } from "../../core/redact.js";

/** The first 4 characters of an access key id (never of a secret), e.g. `"QTWA…"`. */
export function maskAccessKey(accessKey: string): string {
  return accessKey.length <= 4 ? "…" : `${accessKey.slice(0, 4)}…`;
}

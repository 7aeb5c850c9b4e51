/** The first 4 characters of an access key id (never of a secret), e.g. `"QTWA…"`. */
export function maskAccessKey(accessKey: string): string {
  return accessKey.length <= 4 ? "…" : `${accessKey.slice(0, 4)}…`;
}

import { CredentialsError } from "./errors.js";
import { redacted } from "../../core/redact.js";
import type { Credentials } from "./types.js";

/**
 * A fixed IAM token, e.g. from `yc iam create-token`. It cannot be renewed:
 * when it expires, calls fail with UNAUTHENTICATED.
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: iamToken(process.env.YC_IAM_TOKEN!) });
 * ```
 */
export function iamToken(token: string): Credentials {
  if (typeof token !== "string" || token.trim() === "") {
    throw new CredentialsError("iamToken: the token is empty");
  }
  const secret = token.trim();
  return redacted(
    {
      kind: "IAM token",
      token: () => Promise.resolve(secret),
      cachedToken: () => secret,
      invalidate: () => {},
    },
    { kind: "IAM token" },
  );
}

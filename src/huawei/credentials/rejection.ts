import { Code, ConnectError } from "@connectrpc/connect";
import type { RejectionRule } from "../../core/credential-rejection.js";
import { markFailure } from "../../core/failure.js";
import { HuaweiCloudError } from "../errors/huawei-cloud-error.js";
import type { HuaweiAccessKey, HuaweiCredentials } from "./types.js";

/**
 * APIG codes that mean "these keys are not (or no longer) good": the
 * credentials are told to forget the keys the attempt was signed with, so
 * the next call fetches fresh ones (metadata-service keys rotate), as AWS
 * does after `ExpiredTokenException`.
 */
export const rejectedKeyCodes: ReadonlySet<string> = new Set(["APIGW.0301", "APIGW.0303", "APIGW.0305", "APIGW.0307"]);

/**
 * Huawei's part of the one reaction to an authentication failure
 * ({@link forgetRejectedCredentials}), with {@link huaweiKeyInUse} to find
 * the key an attempt is signed with. Static keys have nothing to forget
 * (no `invalidate`), so a factory can skip the interceptor for them.
 *
 * @example
 * ```ts
 * if (credentials.invalidate) interceptors.push(forgetRejectedCredentials(huaweiRejectionRule(credentials), huaweiKeyInUse(credentials, scope.signal)));
 * ```
 */
export function huaweiRejectionRule(credentials: HuaweiCredentials): RejectionRule<HuaweiAccessKey> {
  return {
    rejected: (error) => error instanceof HuaweiCloudError && rejectedKeyCodes.has(error.errorCode),
    forget: (key) => credentials.invalidate?.(key),
  };
}

/**
 * The key this attempt is signed with: the signer asks again for every
 * attempt and gets this same cached key. A source that has none fails the
 * call at once, UNAUTHENTICATED and local (asking again repeats it), naming
 * the source and why, never a secret.
 */
export function huaweiKeyInUse(credentials: HuaweiCredentials, closeSignal: AbortSignal): (req: { readonly signal: AbortSignal }) => Promise<HuaweiAccessKey> {
  return async (req) => {
    try {
      return await credentials.accessKey(req.signal, closeSignal);
    } catch (error) {
      if (req.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw markFailure(new ConnectError(`no Huawei keys from ${credentials.kind}: ${reason}`, Code.Unauthenticated, undefined, undefined, error), { origin: "local" });
    }
  };
}

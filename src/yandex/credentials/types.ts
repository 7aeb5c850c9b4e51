import type { Clock } from "../../core/clock.js";

export type { Clock } from "../../core/clock.js";
export { systemClock } from "../../core/clock.js";

/** A token with the moment it stops being accepted. */
export interface IssuedToken {
  readonly token: string;
  /** Milliseconds since the epoch; `Infinity` when unknown. */
  readonly expiresAt: number;
}

/**
 * Exchanges a long-lived identity for an IAM token through
 * `IamTokenService.Create`. The client factory supplies it, pointed at the IAM
 * endpoint (or the emulator), so credentials stay transport-agnostic.
 */
export type IamTokenExchange = (
  identity: { case: "jwt"; value: string } | { case: "yandexPassportOauthToken"; value: string },
  signal?: AbortSignal,
) => Promise<IssuedToken>;

/** What a credential needs from the client that uses it. */
export interface CredentialContext {
  readonly exchange: IamTokenExchange;
  readonly clock: Clock;
  /** The call's signal: ends this call's wait for a token. */
  readonly signal?: AbortSignal;
  /**
   * Aborts when the client asking is closed. A background refresh the call
   * starts (and waits for no longer) is stopped then, so a silent metadata
   * service does not keep the process alive after `close()`.
   */
  readonly closeSignal?: AbortSignal;
}

/**
 * A source of IAM tokens for the `authorization: Bearer` header.
 *
 * Implementations cache the token and refresh it lazily — on a call, never
 * from a timer — with one refresh in flight however many calls wait.
 *
 * @example
 * ```ts
 * const cloud = createYandexCloud({ credentials: serviceAccountKey("./key.json") });
 * ```
 */
export interface Credentials {
  /** Short name for messages, e.g. "service account key". Never secret. */
  readonly kind: string;
  /** A token that is valid now, refreshing first when needed. */
  token(context: CredentialContext): Promise<string>;
  /**
   * The token, synchronously, when one is cached and needs no refresh; else
   * undefined, and the call asks `token()`. Optional: it only spares every
   * call a promise.
   *
   * @example
   * ```ts
   * const fixed: Credentials = { kind: "fixed", token: async () => t, cachedToken: () => t, invalidate: () => {} };
   * ```
   */
  cachedToken?(clock: Clock): string | undefined;
  /**
   * The service answered UNAUTHENTICATED to `token`: forget it so that the next
   * `token()` fetches a new one. A token that was already replaced is ignored.
   */
  invalidate(token: string): void;
}

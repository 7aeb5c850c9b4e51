import type { ConnectRouter } from "@connectrpc/connect";
import type { Clock } from "../clock.js";
import type { PipelineDeps } from "../pipeline.js";
import { awsRestFace } from "./face.js";
import type { AwsRestFace } from "./face.js";
import type { ApplicationTiming } from "./applications.js";
import { defaultRunTiming } from "./job-runs.js";
import type { RunTiming } from "./job-runs.js";
import { emulatorAccountId, registerEmrServerless } from "./service.js";
import type { EmulatorAwsKey } from "./sigv4-verifier.js";

/** What tests and the CLI read from `emulator.aws`: the keys to sign with and where. */
export interface EmulatorAwsInfo {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly applicationId: string;
}

/** Options of the AWS part of the emulator. */
export interface EmulatorAwsOptions {
  readonly region?: string;
  readonly applicationId?: string;
  readonly runTiming?: Partial<RunTiming>;
  /** How long applications take to be created, started and stopped (emulator-clock ms). */
  readonly applicationTiming?: Partial<ApplicationTiming>;
}

function randomText(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/**
 * The emulator's AWS side: its test keys (fresh per emulator), the ready
 * EMR Serverless application it starts with (more are created through
 * CreateApplication), temporary session keys that can be expired,
 * the Connect routes and the REST face.
 */
export class AwsEmulatorState {
  readonly region: string;
  readonly applicationId: string;
  readonly face: AwsRestFace;
  readonly #keys: EmulatorAwsKey[];
  readonly #timing: RunTiming;
  readonly #applicationTiming: Partial<ApplicationTiming>;
  readonly #clock: Clock;

  constructor(clock: Clock, options: EmulatorAwsOptions = {}) {
    this.#clock = clock;
    this.region = options.region ?? "us-east-1";
    this.applicationId = options.applicationId ?? "00femulatorapp01";
    this.#timing = { ...defaultRunTiming, ...options.runTiming };
    this.#applicationTiming = options.applicationTiming ?? {};
    this.#keys = [
      {
        accessKeyId: `AKIAEMU${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 13)}`,
        secretAccessKey: randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40),
      },
    ];
    this.face = awsRestFace({ keys: () => this.#keys, region: this.region, clock });
  }

  /** The long-lived test keys, region and application id. */
  get info(): EmulatorAwsInfo {
    const key = this.#keys[0]!;
    const secret = key.secretAccessKey;
    const info = {
      accessKeyId: key.accessKeyId,
      region: this.region,
      applicationId: this.applicationId,
    };
    // The secret is a getter so that JSON and inspect of `emulator.aws` show none.
    return Object.defineProperty({ ...info }, "secretAccessKey", { get: () => secret, enumerable: false }) as EmulatorAwsInfo;
  }

  /** Temporary keys with a session token valid for `ttlMs` of emulator time. */
  issueSessionCredentials(ttlMs = 3600_000): { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number } {
    const key = {
      accessKeyId: `ASIAEMU${randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 13)}`,
      secretAccessKey: randomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40),
      sessionToken: `IQoJemulator${randomText("abcdefghijklmnopqrstuvwxyz0123456789", 48)}`,
      expiresAt: this.#clock.now() + ttlMs,
    };
    this.#keys.push(key);
    return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken, expiration: key.expiresAt };
  }

  /** Expires every session token issued so far (`ExpiredTokenException` from then on). */
  expireSessionTokens(): void {
    const now = this.#clock.now();
    for (const key of this.#keys) if (key.sessionToken !== undefined) key.expiresAt = now;
  }

  /** Registers EMR Serverless on a Connect router. */
  routes(router: ConnectRouter, deps: PipelineDeps): void {
    registerEmrServerless(router, deps, {
      region: this.region,
      applicationId: this.applicationId,
      timing: this.#timing,
      applicationTiming: this.#applicationTiming,
      createdBy: `arn:aws:iam::${emulatorAccountId}:user/emulator`,
    });
  }
}

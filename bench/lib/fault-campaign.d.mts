// Types of fault-campaign.mjs, for the TypeScript test that shares it.
import type { Interceptor } from "@connectrpc/connect";
import type { CallLogEntry, FaultConfig } from "../../src/testing/index.js";

export declare const faultMix: Readonly<FaultConfig>;
export declare const defaultProxy: Readonly<ProxyConfig>;
export declare const emulatorConnectionResetMix: Readonly<FaultConfig>;

export interface ProxyConfig {
  /** Probability that a client TCP chunk kills its connection instead of being forwarded. */
  readonly resetRate: number;
  /** TCP FIN (default), RST, or alternating. */
  readonly mode?: "fin" | "rst" | "alternate";
}

export interface CampaignFigures {
  readonly submissions: number;
  readonly concurrency: number;
  readonly submitted: number;
  readonly waited: number;
  readonly lost: number;
  readonly jobsListed: number;
  readonly perService: Record<string, number>;
  readonly statuses: Record<string, number>;
  readonly duplicates: number;
  readonly orphans: number;
  readonly idempotencyKeys: number;
  readonly keysHandledByServer: number;
  readonly calls: number;
  readonly createCalls: number;
  readonly createsHandledByServer: number;
  readonly attempts: number;
  readonly failedAttempts: number;
  readonly failedAttemptFraction: number;
  readonly transientFaultFraction: number;
  readonly attemptErrors: Record<string, number>;
  readonly faultsInjected: number;
  readonly faultsByKind: Record<string, number>;
  readonly outcomes: Record<string, number>;
  readonly unhandledRejections: number;
  readonly maxWaitMs: number;
  readonly p50WaitMs: number;
  readonly wallMs: number;
  readonly emulatorClockAdvancedMs: number;
}

export interface CampaignResult {
  readonly figures: CampaignFigures;
  readonly violations: string[];
  readonly calls: readonly CallLogEntry[];
}

export interface CampaignOptions {
  readonly submissions: number;
  readonly concurrency?: number;
  readonly seed?: number;
  readonly retry?: Record<string, unknown>;
  readonly faults?: FaultConfig;
  /** Connection resets by a TCP proxy; null for none. Default {@link defaultProxy}. */
  readonly proxy?: ProxyConfig | null;
  /** Default true: round clock sleeps up to whole ms (see the FINDING on fractional clocks). */
  readonly roundSleeps?: boolean;
  readonly timeoutMs?: number;
  readonly interceptors?: Interceptor[];
  readonly onError?: (source: string, value: unknown) => void;
}

export declare function runFaultCampaign(lib: Record<string, unknown>, options: CampaignOptions): Promise<CampaignResult>;

// Types of unary.mjs, for the TypeScript test of its pure functions.

/** One measured window of one contender. */
export interface UnaryWindow {
  readonly calls: number;
  readonly callsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly clientCpuUsPerCall: number;
  readonly clientCpuShare: number;
  readonly emulatorCpuUsPerCall: number;
  readonly emulatorCpuShare: number;
  /** With several processes per contender: each process's figures in this round (see mergeWindows). */
  readonly perProcess?: readonly ProcessFigures[];
}

/** One process's calls/s and client CPU per call. */
export interface ProcessFigures {
  readonly callsPerSec: number;
  readonly clientCpuUsPerCall: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ContenderSummary extends Omit<UnaryWindow, "calls" | "perProcess"> {
  /** With several processes per contender: each process's medians over the rounds. */
  readonly byProcess?: readonly ProcessFigures[];
  readonly rounds: readonly { callsPerSec: number; clientCpuUsPerCall: number; p50: number; p99: number }[];
}

export type RatioPair = "oursVsRaw" | "oursVsSdk" | "rawVsRaw2" | "rawVsSdk" | "oursVsBase" | "baseVsRaw" | "bareVsRaw" | "oursVsWire" | "wireVsRaw";

export interface ConcurrencyResult {
  readonly [contender: string]: unknown;
  readonly ratios: {
    readonly callsPerSec: Partial<Record<RatioPair, Spread>>;
    readonly clientCpuUsPerCall: Partial<Record<RatioPair, Spread>>;
  };
  readonly ratio: { readonly oursVsRaw?: number; readonly oursVsSdk?: number; readonly clientCpuPerCallOursVsRaw?: number };
}

export interface UnaryResult {
  readonly rounds: number;
  readonly concurrency: Readonly<Record<string, ConcurrencyResult>>;
  readonly [setting: string]: unknown;
}

export interface TableRow {
  readonly id: string;
  readonly what: string;
  readonly ours: string;
  readonly raw?: string;
  readonly peer?: string;
  readonly ratio?: string;
  readonly target: string;
  readonly met?: boolean;
}

export declare function spread(values: readonly number[]): Spread;
export declare function mergeWindows(windows: readonly UnaryWindow[]): UnaryWindow;
export declare function summarize(
  windows: Readonly<Record<string, Readonly<Record<string, readonly UnaryWindow[]>>>>,
  settings: Readonly<Record<string, unknown>>,
): UnaryResult;
export declare function rows(result: UnaryResult): TableRow[];
export declare function unary(options?: {
  seconds?: number;
  rounds?: number;
  settleSeconds?: number;
  warmupCalls?: number;
  concurrencies?: readonly number[];
  contenders?: readonly string[];
  cpuProf?: readonly string[];
  baselineDir?: string;
  paired?: boolean;
  /** Processes per contender (default 1). */
  processes?: number;
}): Promise<UnaryResult>;

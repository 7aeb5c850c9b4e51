// Types of first-result.mjs, for the TypeScript test of its rows.
import type { BenchRow } from "../scripts/bench-readme.mjs";

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}
/** One side (ours or the SDK) of one way and format, in ms: net = first result − Node's own start. */
export interface SideSummary {
  readonly net: Spread;
  readonly gross: Spread;
  readonly imported: Spread;
  readonly call: Spread;
}
export interface FormatResult {
  readonly ours: SideSummary;
  readonly sdk: SideSummary;
  /** SDK ÷ ours of the net times. */
  readonly speedup: Spread;
  readonly importSpeedup: Spread;
}
export interface MajorResult {
  readonly major: number;
  readonly node: string;
  readonly bare: { readonly esm: Spread; readonly cjs: Spread };
  readonly installed: { readonly esm: FormatResult; readonly cjs: FormatResult };
  readonly bundled: { readonly esm: FormatResult; readonly cjs: FormatResult };
  /** With --instructions: millions of instructions, less a bare node's. */
  readonly instructions?: {
    readonly bare: { readonly esm: number; readonly cjs: number };
    readonly installed: { readonly esm: InstructionCount; readonly cjs: InstructionCount };
    readonly bundled: { readonly esm: InstructionCount; readonly cjs: InstructionCount };
  };
}
export interface InstructionCount {
  readonly ours: number;
  readonly sdk: number;
  readonly ratio: number;
}
export declare function rows(major: MajorResult, context: { rounds: number; peers: { sdk: string } }): BenchRow[];

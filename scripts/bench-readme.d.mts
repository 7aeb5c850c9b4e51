// Types of bench-readme.mjs, for test/package/bench-readme.test.ts.
/** One table row, as every bench file's `rows(result)` returns it. */
export interface BenchRow {
  id: string;
  what: string;
  ours?: string;
  raw?: string;
  peer?: string;
  ratio?: string;
  target: string;
  met?: boolean;
}
/** The parts of bench/results.json the generator reads. */
export interface BenchResults {
  date: string;
  quick?: boolean;
  note?: string;
  machine?: { cpu?: string; cores?: number; platform?: string; totalMemGiB?: number };
  loadAverage?: { start?: number[]; end?: number[] };
  totalSeconds?: number;
  shared?: { node: string; rows: BenchRow[] };
  majors?: Array<{ major: number; node: string; profile?: string; settings?: string; rows: BenchRow[] }>;
  /** bench/first-result.mjs: its own run (date, load), one table per major. */
  firstResult?: {
    date: string;
    loadAverage?: { start?: number[]; end?: number[] };
    rounds: number;
    peers?: { ours?: string; sdk?: string; connect?: string; connectNode?: string; protobuf?: string; rolldown?: string };
    majors: Array<{ major: number; node: string; rows: BenchRow[] }>;
  };
}
export declare const START_MARKER: string;
export declare const END_MARKER: string;
/** `readme` is the benchmark page, BENCHMARKS.md. */
export declare const defaultPaths: { results: string; readme: string };
export declare function rowsTable(rows: readonly BenchRow[]): string;
export declare function benchMarkdown(results: BenchResults): string;
export declare function replaceSection(readme: string, section: string): string;
export declare function currentSection(readme: string): string;
export declare function writeReadmeSection(options?: { results?: BenchResults; resultsPath?: string; readmePath?: string }): Promise<boolean>;

// Types of chaos-proxy.mjs, for the TypeScript tests that use it.
export interface ChaosProxy {
  readonly url: string;
  readonly port: number;
  readonly stats: { connections: number; chunks: number; resets: number; rst: number; fin: number };
  setResetRate(rate: number): void;
  resetAll(hard?: boolean): void;
  close(): Promise<void>;
}
export declare function startChaosProxy(
  targetPort: number,
  options?: { resetRate?: number; seed?: number; mode?: "rst" | "fin" | "alternate"; port?: number },
): Promise<ChaosProxy>;

/**
 * What `emulator.outcome` means, on every face of the emulator: how a job
 * that runs to its end finishes. One vocabulary, two spellings each, so a
 * property written for one cloud works on the others:
 *
 * - `succeeded` — also `done` (Data Proc's DONE) and `success` (EMR's SUCCESS);
 * - `failed` — also `error` (Data Proc's ERROR).
 *
 * Yandex jobs and Huawei MRS jobs read it from their properties, EMR
 * Serverless runs from their tags; each face then maps it onto its own
 * status (DONE/ERROR, SUCCESS/FAILED, FINISHED/SUCCEEDED or FINISHED/FAILED).
 *
 * @example
 * ```ts
 * emulatorOutcome("error"); // "failed"
 * emulatorOutcome("maybe"); // throws: must be one of succeeded, done, success, failed, error
 * ```
 *
 * @module
 */

/** The two ends a job can be given. */
export type EmulatorOutcome = "succeeded" | "failed";

const spellings: Readonly<Record<string, EmulatorOutcome>> = {
  succeeded: "succeeded",
  done: "succeeded",
  success: "succeeded",
  failed: "failed",
  error: "failed",
};

/** The accepted words, for error messages and docs. */
export const emulatorOutcomeWords: readonly string[] = Object.keys(spellings);

/**
 * The outcome `raw` names, `undefined` when absent.
 *
 * @throws Error naming the accepted words when `raw` is none of them
 */
export function emulatorOutcome(raw: string | undefined): EmulatorOutcome | undefined {
  if (raw === undefined) return undefined;
  if (!Object.hasOwn(spellings, raw)) throw new Error(`must be one of ${emulatorOutcomeWords.join(", ")} (got ${JSON.stringify(raw)})`);
  return spellings[raw];
}

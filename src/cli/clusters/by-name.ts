/**
 * `--cluster-name NAME` (and any other look-up by name): runs one of the
 * library's find-by-name helpers (`findClusterByName`,
 * `findMrsClusterByName`, `findApplicationByName`) and turns their refusals
 * — NOT_FOUND, FAILED_PRECONDITION for an ambiguous name, INVALID_ARGUMENT
 * for a missing folder — into one line that names the flag, exit 1. So the
 * user sees which flag to fix, not a library function's name.
 *
 * @example
 * ```ts
 * const cluster = await byName("cluster-name", name, () => findMrsClusterByName(huawei, name, { signal }));
 * // error: --cluster-name nightly: no MRS cluster named "nightly" in project …
 * ```
 *
 * @module
 */
import { Code } from "@connectrpc/connect";
import { isConnectError } from "../../core/connect-error.js";
import { ExitCode } from "../exit.js";
import { CliFailure, codeName, failure, oneLine } from "../failure.js";

const refusals: ReadonlySet<number> = new Set([Code.NotFound, Code.FailedPrecondition, Code.InvalidArgument]);

/** `find()`'s result, or a {@link CliFailure} naming `--flag` when it refuses the name. */
export async function byName<T>(flag: string, name: string, find: () => Promise<T>): Promise<T> {
  try {
    return await find();
  } catch (error) {
    const code = isConnectError(error) ? error.code : (error as { code?: unknown } | undefined)?.code;
    if (typeof code !== "number" || !refusals.has(code)) throw error;
    const raw = isConnectError(error) ? error.rawMessage : error instanceof Error ? error.message : String(error);
    const text = oneLine(raw).replace(/^find\w+ByName: /, "");
    throw new CliFailure(failure(ExitCode.failed, codeName(code), `--${flag} ${JSON.stringify(name)}: ${text}`, { flag: `--${flag}` }));
  }
}

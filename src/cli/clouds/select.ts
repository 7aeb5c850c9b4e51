/**
 * `--cloud yandex|aws|huawei`: which provider's commands a command line
 * means. Read before the command is looked up, because AWS and Huawei have
 * their own command tables (clouds/catalog.ts); Yandex stays the default so
 * every existing command line keeps working.
 *
 * @example
 * ```ts
 * selectedCloud(["get", "00f…", "--cloud", "aws"]); // "aws"
 * ```
 *
 * @module
 */
import { closest } from "../args.js";
import { UsageError } from "../exit.js";

export type CloudName = "yandex" | "aws" | "huawei";
export const cloudNames: readonly CloudName[] = ["yandex", "aws", "huawei"];

/** The `--cloud` value before any `--`; `yandex` when absent. */
export function selectedCloud(argv: readonly string[]): CloudName {
  const end = argv.indexOf("--");
  const words = end === -1 ? argv : argv.slice(0, end);
  let value: string | undefined;
  words.forEach((word, i) => {
    if (word === "--cloud") value = words[i + 1] ?? "";
    else if (word.startsWith("--cloud=")) value = word.slice("--cloud=".length);
  });
  if (value === undefined) return "yandex";
  if ((cloudNames as readonly string[]).includes(value)) return value as CloudName;
  const near = closest(value, cloudNames);
  throw new UsageError(
    `--cloud must be one of ${cloudNames.join(", ")} (got ${JSON.stringify(value)}${near === undefined ? "" : `; did you mean ${near}?`})`,
  );
}

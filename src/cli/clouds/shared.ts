/**
 * Small readers the AWS and Huawei commands share: numbers from flags,
 * `KEY=VALUE` lists, and the wait with status lines.
 *
 * @module
 */
import type { Flags } from "../args.js";
import { UsageError } from "../exit.js";

/** A non-negative number flag, or `undefined`. */
export function numberFlag(flags: Flags, name: string, integer = false): number | undefined {
  const text = flags.string(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a non-negative ${integer ? "whole " : ""}number (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** A required string flag. */
export function required(flags: Flags, name: string, command: string): string {
  const value = flags.string(name);
  if (value === undefined || value.trim() === "") throw new UsageError(`${command}: --${name} is required`);
  return value;
}

/**
 * Environment variables where the runtime has them (`process.env` on Node,
 * Bun and Deno's Node compatibility; nothing on edge runtimes), read without
 * importing any `node:` module. Empty values count as unset, as in the AWS SDK.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export function processEnv(): Environment {
  const proc = (globalThis as { process?: { env?: Environment } }).process;
  return proc?.env ?? {};
}

export function envValue(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Environment variables, as a record (`runtimeEnv()` from src/core/env.ts
 * where the runtime has them). Empty values count as unset, as in the AWS SDK.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export function envValue(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

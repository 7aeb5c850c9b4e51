import { runtimeEnv } from "../../core/env.js";
import { envValue } from "./env-vars.js";
import type { Environment } from "./env-vars.js";
import { loadSharedProfile } from "./shared-files.js";

/** A region name as AWS spells them (`us-east-1`, `eu-central-2`, `us-gov-west-1`). */
const regionPattern = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/** The region from the environment: `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
export function regionFromEnvironment(env: Environment = runtimeEnv()): string | undefined {
  return envValue(env, "AWS_REGION") ?? envValue(env, "AWS_DEFAULT_REGION");
}

/**
 * The region, in the AWS SDK's order: the option, `AWS_REGION`,
 * `AWS_DEFAULT_REGION`, then `region` of the profile in `~/.aws/config`.
 * Throws a clear error when none is set or the value is not a region name.
 *
 * @example
 * ```ts
 * const region = await resolveAwsRegion({ profile: "dev" });
 * ```
 */
export async function resolveAwsRegion(options: { region?: string; profile?: string; env?: Environment } = {}): Promise<string> {
  const env = options.env ?? runtimeEnv();
  const region =
    options.region ?? regionFromEnvironment(env) ?? (await loadSharedProfile({ profile: options.profile, env }))?.values.get("region");
  return checkRegion(region);
}

/** `region` as given, or a TypeError that says what is wrong. */
export function checkRegion(region: string | undefined): string {
  if (region === undefined || region === "") {
    throw new TypeError(
      "AWS region: none set; pass { region }, set AWS_REGION (or AWS_DEFAULT_REGION), or add region to the profile in ~/.aws/config",
    );
  }
  if (!regionPattern.test(region)) throw new TypeError(`AWS region: ${JSON.stringify(region)} is not a region name like "us-east-1"`);
  return region;
}

/**
 * Library errors tell a programmer which option to pass (`pass { region }`);
 * a CLI user has flags and environment variables instead. This rewrites the
 * few library phrases that name options into the CLI's words, so that every
 * error the CLI prints names something the user can type.
 *
 * @example
 * ```ts
 * inCliTerms("AWS region: none set; pass { region }, set AWS_REGION");
 * // "AWS region: none set; give --region, set AWS_REGION"
 * ```
 *
 * @module
 */

/** Library phrase → what to type at the CLI. */
const phrases: readonly (readonly [RegExp, string])[] = [
  [/pass \{ region \}/g, "give --region"],
  [/pass credentials: huaweiCredentials\(\{ accessKey, secretKey \}\) or set them/g, "set them, e.g. from the emulator's export lines"],
  [/pass \{ projectId \}/g, "give --project-id"],
];

/** `message` with library option names replaced by CLI flags. */
export function inCliTerms(message: string): string {
  return phrases.reduce((text, [pattern, flag]) => text.replace(pattern, flag), message);
}

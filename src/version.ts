/**
 * This package's version, kept equal to package.json's by a test
 * (test/version.test.ts): a constant works the same in ESM, CJS, Deno and
 * Bun, where reading package.json at run time would not.
 */
export const version = "0.1.0";

/** The `user-agent` product token sent on every call: `dataproc-connect/<version>`. */
export const userAgent = `dataproc-connect/${version}`;

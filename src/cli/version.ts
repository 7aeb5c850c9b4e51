/**
 * The package version `dataproc-connect --version` prints.
 *
 * A constant rather than a read of package.json at run time: the CLI is
 * built both as ES modules and as CommonJS, and the path to package.json
 * differs between the sources and dist/. test/cli/main.test.ts checks that it
 * equals package.json's `version`, so a release cannot forget it.
 *
 * @example
 * ```sh
 * $ dataproc-connect --version
 * dataproc-connect 0.1.0
 * ```
 */
export const version = "0.1.0";

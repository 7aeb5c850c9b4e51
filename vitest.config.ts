import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // The consumer test mostly waits on child processes (npm, tsc); let the
    // other suites run beside it even on a 2-core machine.
    maxWorkers: 3,
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      // Only the type tests and what they import: the whole project is
      // type-checked by `npm run typecheck` already.
      tsconfig: "./tsconfig.typecheck.json",
    },
  },
});

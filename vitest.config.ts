import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Strips src/ and gen/ once, for the tests that spawn the CLI and the demo.
    globalSetup: ["./test/support/child-sources.ts"],
    // Timeouts only catch hangs (no test asserts on wall-clock time): generous,
    // so a machine shared with a CPU hog or other builds cannot fail a run.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files share a worker's module cache instead of importing the
    // library, Connect and protobuf again for each of the ~30 files (that was
    // a third of the run's CPU). Files own their state (emulators, clocks,
    // clients), so nothing else carries over.
    isolate: false,
    // One worker per core of a 2-core machine. The consumer test's time goes
    // to its child processes (npm, tsc, buf, node), which keep a core busy
    // while its worker waits, so a third worker bought no wall time and cost
    // ~5 s more CPU per run (measured, 2 runs each): one more import of the
    // library, Connect and protobuf, and more contention.
    maxWorkers: 2,
    // The type tests (test/**/*.test-d.ts) are compiled by `tsc -p
    // tsconfig.typecheck.json`, which `npm test` runs first: a failed
    // expectTypeOf is a compile error there. Vitest's own typecheck mode
    // did the same but opened every run with a yellow "experimental
    // feature" warning, which a newcomer has to wonder about.
    typecheck: { enabled: false },
    env: {
      // The AWS SDK (a dev dependency, pinned: the conformance oracle) warns
      // on Node 20 that its releases after January 2027 will need Node 22.
      // The pinned version runs on 20, and the package itself supports 20
      // (see CONTRIBUTING.md), so the warning says nothing about this code.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});

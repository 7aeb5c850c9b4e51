// Builds dist/esm (ES modules) and dist/cjs (CommonJS) from src/ and gen/ with
// the TypeScript compiler, so that both `import` and `require` work without a
// bundler. dist/cjs gets its own package.json so Node and TypeScript treat its
// .js and .d.ts files as CommonJS.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");

rmSync("dist", { recursive: true, force: true });
for (const project of ["tsconfig.build.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
}
mkdirSync("dist/cjs", { recursive: true });
writeFileSync("dist/cjs/package.json", JSON.stringify({ type: "commonjs" }) + "\n");
execFileSync(process.execPath, ["scripts/check-rest-graph.mjs"], { stdio: "inherit" });

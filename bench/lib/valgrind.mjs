// Instructions a fresh process executes, counted by valgrind (cachegrind's
// "I refs", all threads): a count the machine's other load does not move,
// where timings on a shared 2-core VM swing by 2–3× between rounds. Shared
// by bench/instructions.mjs, bench/tracing.mjs and bench/first-result.mjs.
import { spawn } from "node:child_process";

/**
 * `valgrind … <command> <args>` once; resolves with its instruction count.
 * `what` names the run in the error when valgrind or the program fails.
 */
export function countInstructions(command, args, { what, cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("valgrind", ["--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", "--smc-check=all-non-file", command, ...args], {
      ...(cwd ? { cwd } : {}),
      ...(env ? { env } : {}),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (code === 0 && refs) resolve(Number(refs[1].replaceAll(",", "")));
      else reject(new Error(`${what ?? command} under valgrind exited ${code}: ${stderr.slice(-1500)}`));
    });
  });
}

// Starts the emulator in a child process (see emulator-child.mjs) and talks to it over IPC.
import { fork } from "node:child_process";

export async function spawnEmulator(options = {}) {
  const child = fork(new URL("./emulator-child.mjs", import.meta.url), [JSON.stringify(options)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map();
  let seq = 0;
  const ready = new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`emulator child exited early (code ${code})`)));
    child.on("message", (msg) => {
      if (msg.ready) return resolve(msg);
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      msg.ok ? p.resolve(msg.result) : p.reject(new Error(msg.error));
    });
  });
  const info = await ready;
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  return {
    url: info.url,
    iamToken: info.iamToken,
    clusterId: info.clusters[0],
    pid: child.pid,
    call,
    async close() {
      const exited = new Promise((r) => child.once("exit", r));
      await call("close").catch(() => {});
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * Creates `n` jobs in `emulator` from a separate load-generator process
 * (lib/seed-jobs.mjs), `concurrency` calls in flight. Resolves with the time taken.
 */
export function seedJobs(emulator, n, { concurrency = 128, deadlineMs = Infinity, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./seed-jobs.mjs", import.meta.url), [emulator.url, emulator.iamToken, emulator.clusterId, String(n), String(concurrency), String(deadlineMs)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let result;
    child.on("message", (m) => (m.progress !== undefined ? onProgress?.(m.progress) : (result = m)));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 && result ? resolve(result) : reject(new Error(`seed-jobs exited with ${code}`))));
  });
}

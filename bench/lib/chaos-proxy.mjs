// A TCP proxy in front of the emulator that kills whole connections at
// random: the network-level twin of the emulator's `reset-connection` fault
// (which destroys the HTTP/2 session from inside the server instead).
//
// Each chunk the client sends is forwarded, unless the dice say "reset":
// then both sides are torn down with a TCP RST (or a FIN, every other time),
// failing every call in flight on that connection, as a crashed load
// balancer or a NAT timeout would.
import { createServer, connect } from "node:net";

/**
 * @param {number} targetPort  the emulator's port on 127.0.0.1
 * @param {{ resetRate?: number, seed?: number, mode?: "rst" | "fin" | "alternate", port?: number }} [options]
 *   resetRate: probability per client chunk; mode: TCP RST, FIN, or alternating;
 *   port: where to listen (default: any free port)
 */
export async function startChaosProxy(targetPort, options = {}) {
  let resetRate = options.resetRate ?? 0;
  /** "rst" | "fin" | "alternate" */
  const mode = options.mode ?? "alternate";
  let a = (options.seed ?? 1) >>> 0;
  const random = () => {
    // mulberry32, as the emulator's faults use
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const stats = { connections: 0, chunks: 0, resets: 0, rst: 0, fin: 0 };
  const pairs = new Set();
  const server = createServer((client) => {
    stats.connections++;
    client.setNoDelay(true);
    const upstream = connect(targetPort, "127.0.0.1");
    upstream.setNoDelay(true);
    const pair = { client, upstream };
    pairs.add(pair);
    const kill = (hard) => {
      if (!pairs.delete(pair)) return;
      if (hard && typeof client.resetAndDestroy === "function") {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on("data", (chunk) => {
      stats.chunks++;
      if (resetRate > 0 && random() < resetRate) {
        stats.resets++;
        const hard = mode === "rst" || (mode === "alternate" && stats.resets % 2 === 1);
        stats[hard ? "rst" : "fin"]++;
        kill(hard);
        return;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("error", () => kill(false));
    upstream.on("error", () => kill(false));
    client.on("close", () => kill(false));
    upstream.on("close", () => kill(false));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: server.address().port,
    /** Tears every open connection down now (RST when `hard`, else FIN). */
    resetAll(hard = true) {
      for (const pair of [...pairs]) {
        stats.resets++;
        stats[hard ? "rst" : "fin"]++;
        pairs.delete(pair);
        if (hard) {
          pair.client.resetAndDestroy();
          pair.upstream.resetAndDestroy();
        } else {
          pair.client.destroy();
          pair.upstream.destroy();
        }
      }
    },
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    /** Changes the reset probability (0 turns resets off). */
    setResetRate(rate) {
      resetRate = rate;
    },
    close() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.destroy();
        pair.upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

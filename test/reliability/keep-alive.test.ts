// Keep-alive: a relay on 127.0.0.1 that stops forwarding in the middle of a
// call (a NAT that dropped the flow) must end the call UNAVAILABLE after the
// ping timeout, not leave it hanging. The call has no deadline, and the
// server holds it, so only the pings can end it.
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { Code } from "@connectrpc/connect";
import { afterEach, describe, expect, it } from "vitest";
import { CloudError, createYandexCloud, defaultKeepAlive, iamToken } from "../../src/index.js";
import { JobService } from "../../src/yandex/dataproc/v1/index.js";
import { startEmulator } from "../../src/testing/index.js";
import type { Emulator } from "../../src/testing/index.js";

/** A TCP relay to `port` that can stop forwarding (both ways) while keeping every socket open. */
async function relay(port: number): Promise<{ url: string; stall(): void; close(): Promise<void> }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new (client.constructor as typeof Socket)();
    upstream.connect(port, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk: Buffer) => stalled || upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => stalled || client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    stall: () => (stalled = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("keep-alive pings", () => {
  it("a flow dropped mid-call ends the call UNAVAILABLE after the ping timeout, not never", async () => {
    const emulator: Emulator = await startEmulator();
    cleanups.push(() => emulator.close());
    const path = await relay(emulator.port);
    cleanups.push(() => path.close());
    const cloud = createYandexCloud({
      credentials: iamToken(emulator.iamToken),
      endpoint: path.url,
      timeoutMs: 0, // no deadline: only the pings can end the call
      retry: false,
      keepAlive: { pingIntervalMs: 50, pingTimeoutMs: 100 },
    });
    cleanups.push(() => cloud.close());
    const jobs = cloud.client(JobService);
    await jobs.list({ clusterId: emulator.clusters[0]! }); // the session is up
    const hold = emulator.faults.hold({ methods: ["JobService/List"] });
    cleanups.push(() => hold.release());
    const call = jobs.list({ clusterId: emulator.clusters[0]! }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await hold.arrived;
    path.stall();
    const error = await call;
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).code).toBe(Code.Unavailable);
  });

  it("the default is documented: a PING after 30 s of silence during a call, 15 s to answer", () => {
    expect(defaultKeepAlive).toEqual({ pingIntervalMs: 30_000, pingTimeoutMs: 15_000 });
  });
});

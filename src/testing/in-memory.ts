import { createRouterTransport } from "@connectrpc/connect";
import type { Transport } from "@connectrpc/connect";
import type { Clock, RealClock } from "./clock.js";
import { EmulatorControls, createEmulatorCore } from "./core.js";
import type { EmulatorCore, EmulatorOptions } from "./core.js";

/**
 * An emulator without a network: the same services behind a Connect router
 * transport. Fast and sandbox-friendly for unit tests of client logic; use
 * {@link startEmulator} to test what only a real connection shows (HTTP/2
 * resets, headers on the wire, protocol errors). Reset faults surface here
 * as UNAVAILABLE.
 *
 * @example
 * ```ts
 * const emulator = createInMemoryEmulator({ clock: new ManualClock() });
 * const jobs = createClient(JobService, emulator.transport);
 * await jobs.get({ clusterId, jobId }, { headers: { authorization: `Bearer ${emulator.iamToken}` } });
 * ```
 */
export class InMemoryEmulator<C extends Clock = Clock> extends EmulatorControls<C> {
  /** Pass to `createClient(Service, transport)`. */
  readonly transport: Transport;

  /** @internal Use {@link createInMemoryEmulator}. */
  constructor(core: EmulatorCore<C>) {
    super(core);
    this.transport = createRouterTransport(core.routes);
  }
}

/** Creates an {@link InMemoryEmulator}. */
export function createInMemoryEmulator<C extends Clock = RealClock>(options: EmulatorOptions<C> = {}): InMemoryEmulator<C> {
  return new InMemoryEmulator(createEmulatorCore<C>(options));
}

// Shared setup of the client suites: the emulator on 127.0.0.1 with a manual
// clock, and a createYandexCloud pointed at it whose sleeps move that clock.
import { ManualClock, startEmulator } from "../../src/testing/index.js";
import type { Emulator, StartEmulatorOptions } from "../../src/testing/index.js";
import { createYandexCloud, iamToken } from "../../src/index.js";
import type { YandexCloud, YandexCloudOptions } from "../../src/index.js";

export interface ClientHarness {
  readonly clock: ManualClock;
  readonly emulator: Emulator<ManualClock>;
  readonly cluster: string;
  /** A cloud on the emulator; closed by `close()`. */
  cloud(options?: YandexCloudOptions): YandexCloud;
  close(): Promise<void>;
}

export async function startClientHarness(
  options: Omit<StartEmulatorOptions<ManualClock>, "clock"> = {},
): Promise<ClientHarness> {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock, ...options });
  const clouds: YandexCloud[] = [];
  return {
    clock,
    emulator,
    cluster: emulator.clusters[0]!,
    cloud(overrides: YandexCloudOptions = {}) {
      const cloud = createYandexCloud({
        endpoint: emulator.url,
        credentials: iamToken(emulator.iamToken),
        clock,
        sleep: clock.sleep,
        retry: { initialDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
      });
      clouds.push(cloud);
      return cloud;
    },
    async close() {
      for (const cloud of clouds) cloud.close();
      await emulator.close();
    },
  };
}

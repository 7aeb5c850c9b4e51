import { describe, expect, it } from "vitest";
import { TokenCache } from "../../src/yandex/credentials/token-cache.js";
import type { Clock, IssuedToken } from "../../src/yandex/credentials/types.js";

const HOUR = 3_600_000;

function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** A fetch that hands out token-1, token-2, … valid for `lifetime`, counting calls. */
function issuer(clock: Clock, lifetime = 12 * HOUR) {
  let calls = 0;
  const pending: Array<() => void> = [];
  let gate = false;
  const fetch = async (): Promise<IssuedToken> => {
    calls++;
    const n = calls;
    if (gate) await new Promise<void>((resolve) => pending.push(resolve));
    return { token: `token-${n}`, expiresAt: clock.now() + lifetime };
  };
  return {
    fetch,
    get calls() { return calls; },
    hold() { gate = true; },
    release() { gate = false; pending.splice(0).forEach((r) => r()); },
  };
}

describe("TokenCache", () => {
  it("fresh() hands out the token synchronously only while no refresh is due", async () => {
    const clock = manualClock();
    const source = issuer(clock);
    const cache = new TokenCache();
    expect(cache.fresh(clock)).toBeUndefined(); // nothing cached yet
    expect(await cache.get(clock, source.fetch)).toBe("token-1");
    expect(cache.fresh(clock)).toBe("token-1");
    clock.advance(HOUR - 1);
    expect(cache.fresh(clock)).toBe("token-1");
    clock.advance(1); // maxAgeMs reached: get() must run (and refresh in the background)
    expect(cache.fresh(clock)).toBeUndefined();
    expect(await cache.get(clock, source.fetch)).toBe("token-1");
    await Promise.resolve();
    expect(source.calls).toBe(2);
    expect(cache.fresh(clock)).toBe("token-2");
    cache.invalidate("token-2");
    expect(cache.fresh(clock)).toBeUndefined();
  });

  it("fresh() never hands out a short-lived token within the safety margin of its expiry", async () => {
    const clock = manualClock();
    const cache = new TokenCache({ safetyMarginMs: 60_000 });
    await cache.get(clock, async () => ({ token: "short", expiresAt: clock.now() + 90_000 }));
    // Refresh is due at half its life (45 s), but the margin ends its use at 30 s: that comes first.
    expect(cache.fresh(clock)).toBe("short");
    clock.advance(29_999);
    expect(cache.fresh(clock)).toBe("short");
    clock.advance(1);
    expect(cache.fresh(clock)).toBeUndefined();
  });

  it("fetches once and reuses the token while it is fresh", async () => {
    const clock = manualClock();
    const source = issuer(clock);
    const cache = new TokenCache();
    expect(await cache.get(clock, source.fetch)).toBe("token-1");
    clock.advance(30 * 60_000);
    expect(await cache.get(clock, source.fetch)).toBe("token-1");
    expect(source.calls).toBe(1);
  });

  it("makes 200 concurrent callers share one refresh", async () => {
    const clock = manualClock();
    const source = issuer(clock);
    const cache = new TokenCache();
    source.hold();
    const all = Promise.all(Array.from({ length: 200 }, () => cache.get(clock, source.fetch)));
    await Promise.resolve();
    source.release();
    const tokens = await all;
    expect(new Set(tokens)).toEqual(new Set(["token-1"]));
    expect(source.calls).toBe(1);
  });

  it("refreshes in the background after an hour and keeps serving the old token meanwhile", async () => {
    const clock = manualClock();
    const source = issuer(clock);
    const cache = new TokenCache();
    await cache.get(clock, source.fetch);
    clock.advance(HOUR + 1);
    source.hold();
    const during = await Promise.all(Array.from({ length: 50 }, () => cache.get(clock, source.fetch)));
    expect(new Set(during)).toEqual(new Set(["token-1"]));
    expect(source.calls).toBe(2);
    source.release();
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(clock, source.fetch)).toBe("token-2");
    expect(source.calls).toBe(2);
  });

  it("keeps the old token when a background refresh fails, and waits before trying again", async () => {
    const clock = manualClock();
    let fail = false;
    let calls = 0;
    const fetch = async (): Promise<IssuedToken> => {
      calls++;
      if (fail) throw new Error("IAM down");
      return { token: `token-${calls}`, expiresAt: clock.now() + 12 * HOUR };
    };
    const cache = new TokenCache({ retryAfterFailureMs: 10_000 });
    await cache.get(clock, fetch);
    clock.advance(2 * HOUR);
    fail = true;
    expect(await cache.get(clock, fetch)).toBe("token-1");
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(clock, fetch)).toBe("token-1");
    expect(calls).toBe(2); // no second attempt within 10 s
    clock.advance(10_001);
    fail = false;
    await cache.get(clock, fetch);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get(clock, fetch)).toBe("token-3");
  });

  it("waits for a new token once the old one is within the safety margin, and surfaces the failure", async () => {
    const clock = manualClock();
    let fail = false;
    const fetch = async (): Promise<IssuedToken> => {
      if (fail) throw new Error("IAM down");
      return { token: "t", expiresAt: clock.now() + 10 * 60_000 };
    };
    const cache = new TokenCache({ safetyMarginMs: 60_000 });
    await cache.get(clock, fetch);
    clock.advance(9 * 60_000 + 1);
    fail = true;
    await expect(cache.get(clock, fetch)).rejects.toThrow("IAM down");
  });

  it("refreshes at half the lifetime for short-lived tokens", async () => {
    const clock = manualClock();
    const source = issuer(clock, 10 * 60_000);
    const cache = new TokenCache();
    await cache.get(clock, source.fetch);
    clock.advance(4 * 60_000);
    await cache.get(clock, source.fetch);
    expect(source.calls).toBe(1);
    clock.advance(60_001);
    await cache.get(clock, source.fetch);
    expect(source.calls).toBe(2);
  });

  it("fetches anew after invalidate, but ignores a token already replaced", async () => {
    const clock = manualClock();
    const source = issuer(clock);
    const cache = new TokenCache();
    await cache.get(clock, source.fetch);
    cache.invalidate("token-1");
    expect(await cache.get(clock, source.fetch)).toBe("token-2");
    cache.invalidate("token-1");
    expect(await cache.get(clock, source.fetch)).toBe("token-2");
    expect(source.calls).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { CredentialCache } from "../../src/core/credential-cache.js";
import type { CredentialCachePolicy } from "../../src/core/credential-cache.js";
import { awsCachePolicy } from "../../src/aws/credentials/cache.js";
import { huaweiCachePolicy } from "../../src/huawei/credentials/metadata.js";
import { defaultRefreshPolicy, yandexCachePolicy } from "../../src/yandex/credentials/token-cache.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Key {
  readonly id: string;
  readonly expiresAt?: number;
}

/** A manual clock, and a source handing out key-1, key-2, … valid for `lifetime` (none: never expire). */
function setup(policy: CredentialCachePolicy, lifetime?: number) {
  let now = 1_700_000_000_000;
  let loads = 0;
  let failNext = false;
  const gates: Array<() => void> = [];
  let gated = false;
  const signals: AbortSignal[] = [];
  const cache = new CredentialCache<Key>(policy, (key) => key.expiresAt);
  const load = async (signal: AbortSignal): Promise<Key> => {
    loads++;
    signals.push(signal);
    const n = loads;
    if (gated) await new Promise<void>((resolve) => gates.push(resolve));
    if (failNext) {
      failNext = false;
      throw new Error(`load ${n} failed`);
    }
    return { id: `key-${n}`, ...(lifetime === undefined ? {} : { expiresAt: now + lifetime }) };
  };
  const clock = () => now;
  return {
    cache,
    get: (signal?: AbortSignal, owner?: AbortSignal) => cache.get(clock, load, signal, owner),
    fresh: () => cache.fresh(now)?.id,
    advance: (ms: number) => void (now += ms),
    get loads() { return loads; },
    signals,
    failNext: () => void (failNext = true),
    gate: () => void (gated = true),
    open: () => {
      gated = false;
      gates.splice(0).forEach((g) => g());
    },
  };
}

describe("CredentialCache with each cloud's policy", () => {
  it("AWS: keys are reused until 5 minutes before expiry, then callers wait for new ones", async () => {
    const t = setup(awsCachePolicy, HOUR);
    expect((await t.get()).id).toBe("key-1");
    t.advance(55 * MINUTE - 1);
    expect(t.fresh()).toBe("key-1");
    expect((await t.get()).id).toBe("key-1");
    t.advance(1); // 5 minutes before expiry: no background refresh, the call waits
    expect(t.fresh()).toBeUndefined();
    expect((await t.get()).id).toBe("key-2");
    expect(t.loads).toBe(2);
  });

  it("AWS: keys without an expiry are looked up once; invalidate() drops them", async () => {
    const t = setup(awsCachePolicy);
    await t.get();
    t.advance(1000 * HOUR);
    expect((await t.get()).id).toBe("key-1");
    t.cache.invalidate();
    expect((await t.get()).id).toBe("key-2");
  });

  it("Huawei: keys are renewed 40 minutes before expiry", async () => {
    const t = setup(huaweiCachePolicy(40 * MINUTE), 6 * HOUR);
    await t.get();
    t.advance(5 * HOUR + 20 * MINUTE - 1);
    expect(t.fresh()).toBe("key-1");
    t.advance(1);
    expect(t.fresh()).toBeUndefined();
    expect((await t.get()).id).toBe("key-2");
  });

  it("Huawei: keys that live under 80 minutes are renewed half way, not on every call", async () => {
    const t = setup(huaweiCachePolicy(40 * MINUTE), HOUR);
    await t.get();
    t.advance(30 * MINUTE - 1); // 40 minutes before expiry has long passed, half its life has not
    expect((await t.get()).id).toBe("key-1");
    t.advance(1);
    expect((await t.get()).id).toBe("key-2");
    expect(t.loads).toBe(2);
  });

  it("Yandex: after an hour the old token is handed out while one background refresh runs", async () => {
    const t = setup(yandexCachePolicy(defaultRefreshPolicy), 12 * HOUR);
    await t.get();
    t.advance(HOUR);
    t.gate();
    const during = await Promise.all([t.get(), t.get(), t.get()]);
    expect(during.map((k) => k.id)).toEqual(["key-1", "key-1", "key-1"]);
    expect(t.loads).toBe(2); // one refresh however many calls
    t.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.fresh()).toBe("key-2");
  });

  it("Yandex: a failed background refresh keeps the old token and is not retried for retryAfterFailureMs", async () => {
    const t = setup(yandexCachePolicy(defaultRefreshPolicy), 12 * HOUR);
    await t.get();
    t.advance(HOUR);
    t.failNext();
    expect((await t.get()).id).toBe("key-1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.loads).toBe(2);
    t.advance(defaultRefreshPolicy.retryAfterFailureMs - 1);
    expect((await t.get()).id).toBe("key-1");
    expect(t.loads).toBe(2);
    t.advance(1);
    await t.get();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.loads).toBe(3);
    expect(t.fresh()).toBe("key-3");
  });

  it("Yandex: a token within the safety margin of its expiry is never handed out", async () => {
    const t = setup(yandexCachePolicy(defaultRefreshPolicy), 12 * HOUR);
    await t.get();
    t.advance(12 * HOUR - MINUTE);
    expect((await t.get()).id).toBe("key-2");
  });
});

describe("CredentialCache single flight", () => {
  it("concurrent callers share one load; a caller that leaves ends only its wait, and the result is cached", async () => {
    const t = setup(awsCachePolicy, HOUR);
    t.gate();
    const leaving = new AbortController();
    const left = t.get(leaving.signal);
    const stays = t.get();
    leaving.abort(new Error("caller gave up"));
    await expect(left).rejects.toThrow("caller gave up");
    t.open();
    expect((await stays).id).toBe("key-1");
    expect(t.loads).toBe(1);
    expect(t.signals[0]!.aborted).toBe(false);
    expect(t.fresh()).toBe("key-1");
  });

  it("a load is stopped once every client that asked for it has closed, and the next call starts a new one", async () => {
    const t = setup(awsCachePolicy, HOUR);
    t.gate();
    const clientA = new AbortController();
    const clientB = new AbortController();
    const a = t.get(undefined, clientA.signal);
    const b = t.get(undefined, clientB.signal);
    a.catch(() => {});
    b.catch(() => {});
    clientA.abort(new Error("A closed"));
    expect(t.signals[0]!.aborted).toBe(false);
    clientB.abort(new Error("B closed"));
    expect(t.signals[0]!.aborted).toBe(true);
    const next = t.get();
    expect(t.loads).toBe(2);
    t.open();
    expect((await next).id).toBe("key-2");
  });

  it("a caller whose signal or client has already aborted starts nothing", async () => {
    const t = setup(awsCachePolicy, HOUR);
    await expect(t.get(AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    await expect(t.get(undefined, AbortSignal.abort(new Error("closed")))).rejects.toThrow("closed");
    expect(t.loads).toBe(0);
  });

  it("invalidate(which) drops the cached value only when it is the one named", async () => {
    const t = setup(awsCachePolicy, HOUR);
    await t.get();
    t.cache.invalidate((key) => key.id === "key-0");
    expect(t.fresh()).toBe("key-1");
    t.cache.invalidate((key) => key.id === "key-1");
    expect(t.fresh()).toBeUndefined();
  });
});

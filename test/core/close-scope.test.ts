// CloseScope.lease (src/core/close-scope.ts): a call's signal whose
// controller is reused after a success, never after a failure or an abort.
import { describe, expect, it } from "vitest";
import { CloseScope } from "../../src/core/close-scope.js";

describe("CloseScope.lease", () => {
  it("reuses the controller of a released lease, not of a disposed one", () => {
    const scope = new CloseScope();
    const a = scope.lease();
    a.release();
    const b = scope.lease();
    expect(b.signal).toBe(a.signal);
    b.dispose();
    const c = scope.lease();
    expect(c.signal).not.toBe(b.signal);
    c.release();
    c.dispose(); // the first end counts: no second entry for the same controller
    const d = scope.lease();
    const e = scope.lease();
    expect(d.signal).toBe(c.signal);
    expect(e.signal).not.toBe(d.signal);
  });

  it("close() aborts leases in flight with its reason, and later leases at once", () => {
    const scope = new CloseScope();
    const inFlight = scope.lease();
    const reason = new Error("client closed");
    scope.close(reason);
    expect(inFlight.signal.aborted).toBe(true);
    expect(inFlight.signal.reason).toBe(reason);
    const later = scope.lease();
    expect(later.signal.aborted).toBe(true);
    expect(later.signal.reason).toBe(reason);
  });

  it("follows the caller's signal, and a controller aborted that way is never reused", () => {
    const scope = new CloseScope();
    const caller = new AbortController();
    const lease = scope.lease(caller.signal);
    caller.abort("stop");
    expect(lease.signal.aborted).toBe(true);
    expect(lease.signal.reason).toBe("stop");
    lease.release();
    const next = scope.lease();
    expect(next.signal).not.toBe(lease.signal);
    expect(next.signal.aborted).toBe(false);
  });

  it("a released lease no longer follows the caller's signal", () => {
    const scope = new CloseScope();
    const caller = new AbortController();
    const lease = scope.lease(caller.signal);
    lease.release();
    caller.abort("late");
    expect(lease.signal.aborted).toBe(false);
  });
});

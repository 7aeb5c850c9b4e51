import { matchesMethod } from "./call-log.js";
import type { StatusName } from "./errors.js";

/** A status code the emulator can fail a call with. */
export type FaultCode = Exclude<StatusName, "OK">;

/**
 * What happens to one call:
 * - `"ok"`: served normally;
 * - a status name: answered with that error, the handler never runs;
 * - `"reset-stream"`: the HTTP/2 stream is reset (RST_STREAM INTERNAL_ERROR)
 *   after the request arrived, the handler never runs;
 * - `"reset-connection"`: the whole HTTP/2 connection is torn down, failing
 *   every call in flight on it; the handler never runs;
 * - `"reset-after-handling"`: the handler RUNS (a job may be created), then
 *   the stream is reset instead of answering. This is the one fault with side
 *   effects: it is how a client learns whether its retries are idempotent.
 *
 * The in-memory variant has no streams; it reports resets as UNAVAILABLE.
 */
export type FaultStep = "ok" | FaultCode | "reset-stream" | "reset-connection" | "reset-after-handling";

/**
 * Random fault injection. Off by default; every rate is a probability in
 * [0, 1] per matching call and the rates must add up to at most 1. The same
 * seed and the same sequence of calls give the same faults.
 *
 * @example
 * ```ts
 * emulator.faults.set({ seed: 7, rate: 0.2, codes: ["UNAVAILABLE", "RESOURCE_EXHAUSTED"],
 *   resetStream: 0.05, methods: ["JobService/Get"] });
 * ```
 */
export interface FaultConfig {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Fraction of calls answered with one of `codes`. */
  readonly rate?: number;
  /** Codes drawn from, uniformly (default `["UNAVAILABLE"]`). */
  readonly codes?: readonly FaultCode[];
  /** Fraction of calls whose stream is reset before handling. */
  readonly resetStream?: number;
  /** Fraction of calls whose connection is torn down before handling. */
  readonly resetConnection?: number;
  /** Fraction of calls handled, then reset (see {@link FaultStep}). */
  readonly resetAfterHandling?: number;
  /** Real-time delay before each matching call: fixed, or uniform in [min, max]. */
  readonly latencyMs?: number | readonly [number, number];
  /** Method filters (see `matchesMethod`); all methods when absent. */
  readonly methods?: readonly string[];
  /**
   * OperationService.Get answers NOT_FOUND for the first `notFoundPolls`
   * polls of every operation, as the real API may right after creating one.
   */
  readonly notFoundPolls?: number;
}

/** The fate of one call, decided before its handler runs. */
export interface FaultDecision {
  readonly step: FaultStep;
  /** Real-time delay before the call proceeds, 0 for none. */
  readonly latencyMs: number;
}

/**
 * Calls held at the server until released: a deterministic stand-in for "a
 * slow server". Tests await {@link FaultHold.arrived} to know a call is being
 * handled, then cancel it or let it go, with no wall-clock wait. A held call
 * the client cancels ends at once (logged CANCELLED).
 */
export interface FaultHold {
  /** Resolves when the first matching call is being held. */
  readonly arrived: Promise<void>;
  /** How many calls are held now. */
  readonly held: number;
  /** Lets every held call proceed and stops holding new ones. Idempotent. */
  release(): void;
}

/** The server side of a {@link FaultHold}. */
interface ActiveHold {
  readonly methods: readonly string[] | undefined;
  readonly gate: Promise<void>;
  held: number;
  readonly onArrive: () => void;
  readonly release: () => void;
}

interface Scripted {
  readonly step: FaultStep;
  readonly methods?: readonly string[];
}

/**
 * mulberry32: a tiny, fast, seedable PRNG with good enough statistics for
 * fault injection. Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault controls of an emulator. Scripted steps ({@link Faults.failNext},
 * {@link Faults.script}) are consumed first, in order, by the next calls they
 * match; random faults ({@link Faults.set}) apply to the rest.
 *
 * @example
 * ```ts
 * emulator.faults.failNext(2, "UNAVAILABLE", { methods: ["JobService/Create"] });
 * emulator.faults.script(["ok", "reset-stream", "INTERNAL"]);
 * emulator.faults.clear();
 * ```
 */
export class Faults {
  #config: FaultConfig = {};
  #random: () => number = mulberry32(1);
  readonly #queue: Scripted[] = [];
  readonly #polls = new Map<string, number>();
  readonly #holds: ActiveHold[] = [];

  /**
   * Holds every upcoming matching call at the server (after its latency,
   * before auth and the handler) until `release()`.
   *
   * @example
   * ```ts
   * const hold = emulator.faults.hold({ methods: ["OperationService/Get"] });
   * const waiting = op.wait({ signal: controller.signal });
   * await hold.arrived; // the first poll is in the server's hands
   * controller.abort();  // the wait rejects now; the server logs the poll CANCELLED
   * ```
   */
  hold(options: { methods?: readonly string[] } = {}): FaultHold {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let arrive!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const holds = this.#holds;
    const active: ActiveHold = {
      methods: options.methods,
      gate,
      held: 0,
      onArrive: arrive,
      release: () => {
        const index = holds.indexOf(active);
        if (index >= 0) holds.splice(index, 1);
        open();
      },
    };
    holds.push(active);
    return {
      arrived,
      get held() {
        return active.held;
      },
      release: active.release,
    };
  }

  /**
   * The gate a call to `method` must wait for, if a {@link hold} matches it.
   * @internal The call pipeline uses it.
   */
  holdFor(method: string): { readonly gate: Promise<void>; readonly done: () => void } | undefined {
    const active = this.#holds.find((h) => matches(method, h.methods));
    if (active === undefined) return undefined;
    active.held++;
    active.onArrive();
    return { gate: active.gate, done: () => void active.held-- };
  }

  /** Replaces the random fault configuration and reseeds the PRNG. */
  set(config: FaultConfig): void {
    const rates = [config.rate, config.resetStream, config.resetConnection, config.resetAfterHandling];
    let sum = 0;
    for (const r of rates) {
      if (r === undefined) continue;
      if (!(r >= 0 && r <= 1)) throw new RangeError(`fault rates must be in [0, 1], got ${r}`);
      sum += r;
    }
    if (sum > 1 + 1e-9) throw new RangeError(`fault rates add up to ${sum}, more than 1`);
    if (config.codes !== undefined && config.codes.length === 0) {
      throw new RangeError("faults.codes must not be empty");
    }
    const latency = config.latencyMs;
    const bounds = typeof latency === "number" ? [latency] : (latency ?? []);
    if (bounds.some((ms) => !(ms >= 0)) || (bounds.length === 2 && bounds[0]! > bounds[1]!)) {
      throw new RangeError("faults.latencyMs must be >= 0 (and min <= max)");
    }
    if (config.notFoundPolls !== undefined && !(Number.isInteger(config.notFoundPolls) && config.notFoundPolls >= 0)) {
      throw new RangeError("faults.notFoundPolls must be a non-negative integer");
    }
    this.#config = { ...config };
    this.#random = mulberry32(config.seed ?? 1);
  }

  /** The current random configuration. */
  get config(): Readonly<FaultConfig> {
    return this.#config;
  }

  /** Fails the next `n` matching calls with `code` (default UNAVAILABLE). */
  failNext(n: number, code: FaultCode = "UNAVAILABLE", options: { methods?: readonly string[] } = {}): void {
    this.script(Array.from({ length: n }, () => code), options);
  }

  /** Queues one step per upcoming matching call, in order. */
  script(steps: readonly FaultStep[], options: { methods?: readonly string[] } = {}): void {
    for (const step of steps) this.#queue.push({ step, methods: options.methods });
  }

  /** Turns every fault off: random config, scripted steps, NOT_FOUND polls and holds (released). */
  clear(): void {
    for (const hold of [...this.#holds]) hold.release();
    this.#config = {};
    this.#random = mulberry32(1);
    this.#queue.length = 0;
    this.#polls.clear();
  }

  /** Decides the fate of a call to `method`. Called once per call, before its handler. */
  decide(method: string): FaultDecision {
    const index = this.#queue.findIndex((s) => matches(method, s.methods));
    const cfg = this.#config;
    const inScope = matches(method, cfg.methods);
    const latencyMs = inScope ? this.#latency() : 0;
    if (index >= 0) {
      const [scripted] = this.#queue.splice(index, 1);
      return { step: scripted!.step, latencyMs };
    }
    if (!inScope) return { step: "ok", latencyMs: 0 };
    const rate = cfg.rate ?? 0;
    const resetStream = cfg.resetStream ?? 0;
    const resetConnection = cfg.resetConnection ?? 0;
    const resetAfter = cfg.resetAfterHandling ?? 0;
    if (rate + resetStream + resetConnection + resetAfter === 0) return { step: "ok", latencyMs };
    let u = this.#random();
    if (u < rate) {
      const codes = cfg.codes ?? ["UNAVAILABLE"];
      return { step: codes[Math.floor(this.#random() * codes.length)]!, latencyMs };
    }
    u -= rate;
    if (u < resetStream) return { step: "reset-stream", latencyMs };
    u -= resetStream;
    if (u < resetConnection) return { step: "reset-connection", latencyMs };
    u -= resetConnection;
    if (u < resetAfter) return { step: "reset-after-handling", latencyMs };
    return { step: "ok", latencyMs };
  }

  /**
   * Counts a poll of `operationId`; true while it is among the first
   * `notFoundPolls` polls of that operation.
   */
  notFoundPoll(operationId: string): boolean {
    const limit = this.#config.notFoundPolls ?? 0;
    if (limit === 0) return false;
    const seen = this.#polls.get(operationId) ?? 0;
    this.#polls.set(operationId, seen + 1);
    return seen < limit;
  }

  #latency(): number {
    const l = this.#config.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === "number") return l;
    const [min, max] = l as readonly [number, number];
    return Math.round(min + (max - min) * this.#random());
  }
}

function matches(method: string, filters: readonly string[] | undefined): boolean {
  return filters === undefined || filters.some((f) => matchesMethod(method, f));
}

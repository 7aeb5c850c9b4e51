/**
 * The few OpenTelemetry API shapes the package uses, written structurally so
 * that nothing imports `@opentelemetry/api`: a user's bundle builds and runs
 * without it, and any 1.x API (or SDK object) fits these types as it is.
 *
 * @example
 * ```ts
 * import { trace, metrics } from "@opentelemetry/api";
 * createAwsCloud({ tracerProvider: trace.getTracerProvider(), meterProvider: metrics.getMeterProvider() });
 * ```
 */

/** An attribute value, as the OpenTelemetry API accepts it. */
export type OtelAttributeValue = string | number | boolean | string[];

/** Span or metric attributes. */
export type OtelAttributes = Record<string, OtelAttributeValue | undefined>;

/** An immutable OpenTelemetry context (the API's `Context`). */
export interface OtelContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): OtelContext;
  deleteValue(key: symbol): OtelContext;
}

/** The parts of an OpenTelemetry `Span` the package calls. */
export interface OtelSpan {
  setAttribute(key: string, value: OtelAttributeValue): unknown;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  isRecording(): boolean;
  end(): void;
}

/** The parts of an OpenTelemetry `Tracer` the package calls. */
export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: OtelAttributes }, context?: OtelContext): OtelSpan;
}

/**
 * Anything with `getTracer`, such as `trace.getTracerProvider()` or an SDK's
 * `BasicTracerProvider`: the `tracerProvider` option of every cloud.
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): OtelTracer;
}

/** The parts of an OpenTelemetry `Histogram` the package calls. */
export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

/**
 * Anything with `getMeter`, such as `metrics.getMeterProvider()` or an SDK's
 * `MeterProvider`: the `meterProvider` option of every cloud.
 */
export interface MeterProviderLike {
  getMeter(
    name: string,
    version?: string,
  ): { createHistogram(name: string, options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } }): OtelHistogram };
}

/** The registered propagator (the API's `TextMapPropagator`), for injection only. @internal */
export interface OtelPropagator {
  inject(context: OtelContext, carrier: Headers, setter: { set(carrier: Headers, key: string, value: string): void }): void;
}

/** The registered context manager (the API's `ContextManager`). @internal */
export interface OtelContextManager {
  active(): OtelContext;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: OtelContext, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F>;
}

import { context, propagation, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import pg from 'pg';
import { createInstrumentations } from '../../../src/observability/tracing';

export interface TestTracing {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** Waits (bounded) until a span matching `predicate` has ended. */
  waitForSpan(
    predicate: (span: ReadableSpan) => boolean,
    timeoutMs?: number,
  ): Promise<ReadableSpan>;
  stop(): Promise<void>;
}

/**
 * The gateway's own instrumentations (`createInstrumentations()`), on a provider registered for
 * this test process that keeps spans in memory. Jest loads modules through its own registry,
 * which require-in-the-middle never sees, so the instrumentations' patches are applied here to
 * the very `http`, `https` and `pg` modules the application uses, and removed by `stop()` (the
 * core modules are shared by every test file of this worker).
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const instrumentations = createInstrumentations();
  const disable = registerInstrumentations({ tracerProvider: provider, instrumentations });
  const loaded: Record<string, unknown> = { http, https, pg };
  const undo: Array<() => void> = [];
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      const exports = loaded[definition.name];
      if (exports === undefined || !definition.patch) continue;
      definition.patch(exports);
      undo.push(() => definition.unpatch?.(exports));
    }
  }
  if (undo.length !== 3)
    throw new Error(`expected to patch http, https and pg; patched ${undo.length}`);

  return {
    spans: () => exporter.getFinishedSpans(),
    async waitForSpan(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = exporter.getFinishedSpans().find(predicate);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(
            `no such span; spans: ${exporter
              .getFinishedSpans()
              .map((s) => s.name)
              .join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      for (const fn of undo.reverse()) fn();
      disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** A W3C `traceparent` as a caller would send it, with its ids. */
export function callerTraceparent(): { header: string; traceId: string; parentSpanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${parentSpanId}-01`, traceId, parentSpanId };
}

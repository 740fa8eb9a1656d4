import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { traceLogFields } from './trace-log-fields';

describe('traceLogFields', () => {
  it('is empty with tracing off', () => {
    expect(traceLogFields()).toEqual({});
  });

  it('gives the active span’s trace and span ids, and nothing outside it', () => {
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
    });
    provider.register();
    try {
      const span = trace.getTracer('t').startSpan('s');
      const inside = context.with(trace.setSpan(context.active(), span), () => traceLogFields());
      expect(inside).toEqual({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
      });
      expect(traceLogFields()).toEqual({});
      span.end();
    } finally {
      trace.disable();
      context.disable();
    }
  });
});

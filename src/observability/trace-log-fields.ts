import { isSpanContextValid, trace } from '@opentelemetry/api';

export interface TraceLogFields {
  traceId?: string;
  spanId?: string;
}

/**
 * pino `mixin`: the active span's trace and span ids on every log line written inside a trace
 * (a traced request, an MTN call), so a log line leads to its trace and back. Nothing when tracing
 * is off or outside a trace: the API then has no active span and this costs one lookup.
 */
export function traceLogFields(): TraceLogFields {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { traceId: context.traceId, spanId: context.spanId };
}

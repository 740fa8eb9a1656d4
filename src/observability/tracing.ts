import {
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type InstrumentationBase } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import type { TracingSettings } from '../config/app-config';
import { REDACTED_QUERY_PARAMS, redactPath } from './url-redaction';

export interface Tracing {
  readonly enabled: boolean;
  /** Ends the instrumentation and sends the spans still buffered. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured; otherwise nothing is started,
 * and the gateway's own spans (`MtnCallObserver`) go to the API's no-op tracer. Must run before
 * the instrumented modules (`http`, `pg`) are first required: `main.ts` calls it first thing and
 * only then requires the application.
 *
 * W3C `traceparent` is read from callers and sent on every outgoing request (MTN included) by the
 * http instrumentation; `pg` adds a span per query inside a traced request.
 */
export function startTracing(settings: TracingSettings): Tracing {
  if (!settings.tracesUrl) return OFF;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      'deployment.environment.name': settings.environment,
    }),
    sampler: samplerFor(settings),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers }),
      ),
    ],
  });
  // Global tracer provider, AsyncLocalStorage context, W3C trace-context and baggage propagation.
  provider.register();
  const disable = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: createInstrumentations(),
  });
  return {
    enabled: true,
    async shutdown() {
      disable();
      await provider.shutdown();
    },
  };
}

/**
 * The instrumentations, shared with the tests (which register them on their own provider). Probes
 * and scrapes are not traced: one every few seconds would drown the traces that matter. URLs are
 * redacted (phone numbers, callback tokens); query values are never recorded in SQL spans.
 */
export function createInstrumentations(): InstrumentationBase[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) => isProbe(request.url),
      startIncomingSpanHook: (request: IncomingMessage) => ({
        [ATTR_URL_PATH]: redactPath((request.url ?? '/').split('?')[0] ?? '/'),
      }),
      startOutgoingSpanHook: (request: RequestOptions) => ({
        [ATTR_URL_FULL]: outgoingUrl(request),
      }),
      redactedQueryParams: REDACTED_QUERY_PARAMS,
    }),
    // Only inside a trace: the poller's and the scheduler's queries would otherwise each be a trace.
    new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
  ];
}

export function samplerFor(settings: Pick<TracingSettings, 'sampler' | 'samplerRatio'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
  }
}

function isProbe(url: string | undefined): boolean {
  return (
    url !== undefined &&
    (url.startsWith('/health') || url === '/metrics' || url.startsWith('/metrics?'))
  );
}

function outgoingUrl(request: RequestOptions): string {
  const protocol = request.protocol ?? 'http:';
  const host = request.hostname ?? request.host ?? 'localhost';
  const port =
    request.port !== undefined && request.port !== null && request.port !== ''
      ? `:${String(request.port)}`
      : '';
  return `${protocol}//${host}${port}${redactPath(request.path ?? '/')}`;
}

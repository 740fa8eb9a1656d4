import { trace } from '@opentelemetry/api';
import { loadConfig } from '../config/app-config';
import { samplerFor, startTracing } from './tracing';

describe('tracing settings', () => {
  it('are off without an OTLP endpoint, with the standard defaults', () => {
    expect(loadConfig({}).observability.tracing).toEqual({
      tracesUrl: undefined,
      headers: {},
      serviceName: 'momo-gateway',
      environment: 'development',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
  });

  it('send traces to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).observability.tracing
        .tracesUrl,
    ).toBe('http://collector:4318/v1/traces');
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
      }).observability.tracing.tracesUrl,
    ).toBe('https://traces.example.com/otlp');
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SDK_DISABLED: 'true',
      }).observability.tracing.tracesUrl,
    ).toBeUndefined();
  });

  it('read the export headers, the service name and the sampler', () => {
    const tracing = loadConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant = momo',
      OTEL_SERVICE_NAME: 'gw-eu',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      NODE_ENV: 'production',
    }).observability.tracing;
    expect(tracing).toMatchObject({
      headers: { 'x-api-key': 'abc==', tenant: 'momo' },
      serviceName: 'gw-eu',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      environment: 'production',
    });
  });

  it('name the variable when a value is wrong', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'a=%E0%A4%A' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS/,
    );
  });
});

describe('startTracing', () => {
  afterEach(() => trace.disable());

  it('starts nothing without an endpoint: spans stay the no-op kind', async () => {
    const tracing = startTracing(loadConfig({}).observability.tracing);
    expect(tracing.enabled).toBe(false);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
    await tracing.shutdown();
  });

  it('registers a recording provider when an endpoint is set, and shuts it down', async () => {
    // Port 9 (discard): nothing is exported here, since no span ends.
    const tracing = startTracing(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }).observability.tracing,
    );
    expect(tracing.enabled).toBe(true);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(true);
    await tracing.shutdown();
  });
});

describe('samplerFor', () => {
  it('builds each standard sampler', () => {
    const names = (
      [
        'always_on',
        'always_off',
        'traceidratio',
        'parentbased_always_on',
        'parentbased_always_off',
        'parentbased_traceidratio',
      ] as const
    ).map((sampler) => samplerFor({ sampler, samplerRatio: 0.5 }).toString());
    expect(names[0]).toBe('AlwaysOnSampler');
    expect(names[1]).toBe('AlwaysOffSampler');
    expect(names[2]).toMatch(/TraceIdRatioBased\{0\.5\}/);
    expect(names[3]).toMatch(/ParentBased\{root=AlwaysOnSampler/);
    expect(names[4]).toMatch(/ParentBased\{root=AlwaysOffSampler/);
    expect(names[5]).toMatch(/ParentBased\{root=TraceIdRatioBased\{0\.5\}/);
  });
});

import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import type { RequestLogEntry } from '../../src/emulator/request-log';
import { startGateway, type TestGateway } from '../support/gateway';
import { captureLogs } from './support/log-capture';
import { callerTraceparent, startTestTracing, type TestTracing } from './support/tracing';

/**
 * One traced request to pay, end to end: the caller's `traceparent` is continued by the server
 * span, the MTN call is a child span with its attributes, the request to MTN (the emulator) carries
 * the same trace id, the database work is in the trace, and the log lines carry the trace id.
 */
describe('tracing a request to pay', () => {
  let tracing: TestTracing;
  let gw: TestGateway;
  let logs: ReturnType<typeof captureLogs>;
  const caller = callerTraceparent();
  let id: string;
  let inTrace: ReadableSpan[];

  beforeAll(async () => {
    tracing = startTestTracing();
    gw = await startGateway({ env: { POLL_ENABLED: 'false' } });
    logs = captureLogs();
    const created = await gw.request(
      'POST',
      '/v1/collections',
      {
        amount: '1000',
        currency: 'UGX',
        phoneNumber: '256774123456',
        externalId: `TR_${randomUUID().slice(0, 8)}`,
      },
      { traceparent: caller.header },
    );
    expect(created.status).toBe(202);
    id = created.body.id as string;
    // The server span ends as the response finishes, just after the caller has it.
    await tracing.waitForSpan(
      (s) => s.kind === SpanKind.SERVER && s.spanContext().traceId === caller.traceId,
    );
    inTrace = tracing.spans().filter((s) => s.spanContext().traceId === caller.traceId);
  });
  afterAll(async () => {
    logs.stop();
    await gw.close();
    await tracing.stop();
  });

  const server = () =>
    inTrace.find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/collections')!;

  it('continues the caller’s trace in a server span named after the route', () => {
    expect(server()).toBeDefined();
    expect(server().parentSpanContext?.spanId).toBe(caller.parentSpanId);
    expect(server().attributes).toMatchObject({
      'http.route': '/v1/collections',
      'http.response.status_code': 202,
    });
  });

  it('puts the MTN call in a child span with product, operation, reference id, attempt and status', () => {
    const mtn = inTrace.find((s) => s.name === 'MTN requestToPay');
    expect(mtn).toBeDefined();
    expect(mtn!.parentSpanContext?.spanId).toBe(server().spanContext().spanId);
    expect(mtn!.attributes).toMatchObject({
      'momo.product': 'collection',
      'momo.operation': 'requestToPay',
      'momo.reference_id': id,
      'momo.attempt': 1,
      'momo.account_id': 'default',
      'http.response.status_code': 202,
    });
    // The token call of the same request is traced too.
    expect(inTrace.find((s) => s.name === 'MTN token')?.attributes).toMatchObject({
      'momo.product': 'collection',
      'http.response.status_code': 200,
    });
  });

  it('sends a traceparent with the same trace id to MTN, from the HTTP client span under the MTN span', async () => {
    const res = await fetch(
      `${gw.emulator.url}/_emulator/requests?method=POST&path=/collection/v1_0/requesttopay`,
    );
    const sent = ((await res.json()) as RequestLogEntry[]).find(
      (e) => e.headers['x-reference-id'] === id,
    );
    const traceparent = sent?.headers.traceparent;
    expect(typeof traceparent).toBe('string');
    const [, traceId, spanId] = String(traceparent).split('-');
    expect(traceId).toBe(caller.traceId);
    const client = inTrace.find((s) => s.spanContext().spanId === spanId);
    expect(client?.kind).toBe(SpanKind.CLIENT);
    expect(client?.parentSpanContext?.spanId).toBe(
      inTrace.find((s) => s.name === 'MTN requestToPay')?.spanContext().spanId,
    );
  });

  it('traces the database work of the request', () => {
    const queries = inTrace.filter(
      (s) =>
        s.attributes['db.system'] === 'postgresql' ||
        s.attributes['db.system.name'] === 'postgresql',
    );
    expect(queries.length).toBeGreaterThan(0);
    // Statement text only: no bound values (phone numbers) in the spans.
    expect(JSON.stringify(queries.map((q) => q.attributes))).not.toContain('256774123456');
  });

  it('writes the trace id on the log lines of the request', () => {
    const mtnLine = logs.lines.find(
      (l) => l.msg === 'MTN call' && l.referenceId === id && l.operation === 'requestToPay',
    );
    expect(mtnLine).toMatchObject({
      traceId: caller.traceId,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const completed = logs.lines.find((l) => l.msg === 'POST /v1/collections 202');
    expect(completed).toMatchObject({ traceId: caller.traceId });
  });

  it('writes no request line for probes and scrapes', async () => {
    for (const path of ['/metrics', '/health/live', '/health/ready'])
      expect((await fetch(`${gw.url}${path}`)).status).toBe(200);
    expect((await gw.request('GET', `/v1/collections/${id}`)).status).toBe(200);
    // The request line of the GET above is written once its response has finished.
    await waitUntil(() => logs.lines.some((l) => l.msg === `GET /v1/collections/${id} 200`));
    expect(logs.lines.filter((l) => /^GET \/(metrics|health)/.test(String(l.msg)))).toEqual([]);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

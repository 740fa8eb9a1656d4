import { randomUUID } from 'node:crypto';
import { MetricsService } from '../../src/observability/metrics.service';
import { startGateway, type TestGateway } from '../support/gateway';
import { families, sample, samples, scrape } from './support/prometheus';

/** The guide's always-succeed number, and one that stays PENDING for the emulator's longPendingMs. */
const ALWAYS_OK = '256774123456';
const STAYS_PENDING = '256770000300';

/**
 * /metrics on the whole gateway: each family shows what the traffic before it did. One gateway
 * for the file; each test drives its own traffic (its own product where budgets or breakers are
 * involved) and reads the families that traffic feeds.
 */
describe('GET /metrics', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({
      env: {
        POLL_ENABLED: 'false',
        METRICS_PENDING_CACHE_SECONDS: '0',
        MTN_MOMO_BREAKER_FAILURE_THRESHOLD: '2',
        // Small enough for a test to use up; each product has its own.
        MTN_MOMO_RATE_LIMIT_PER_MINUTE: '5',
        MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('answers without an API key, in the Prometheus text format, with the process metrics', async () => {
    const text = await scrape(gw.url);
    const declared = families(text);
    expect(declared.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(declared.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    for (const name of [
      'momo_http_requests_total',
      'momo_http_request_duration_seconds',
      'momo_mtn_request_duration_seconds',
      'momo_breaker_state',
      'momo_token_refreshes_total',
      'momo_rate_limit_waits_total',
      'momo_rate_limit_refusals_total',
      'momo_pending_transactions',
      'momo_pending_oldest_age_seconds',
      'momo_callbacks_total',
      'momo_reconciliation_records_total',
      'momo_notification_deliveries_total',
    ]) {
      expect(declared.has(name)).toBe(true);
    }
  });

  it('counts a collection under its route pattern, times its MTN calls and counts the callback as verified', async () => {
    const created = await gw.request('POST', '/v1/collections', {
      amount: '1000',
      currency: 'UGX',
      phoneNumber: ALWAYS_OK,
      externalId: `MET_${randomUUID().slice(0, 8)}`,
    });
    expect(created.status).toBe(202);
    await gw.waitFor(`/v1/collections/${created.body.id}`, (t) => t.status === 'SUCCESSFUL');
    // The callback is confirmed after its 200; wait for the counter rather than for a time.
    await waitForSample(
      gw.url,
      'momo_callbacks_total',
      { product: 'collection', outcome: 'verified' },
      1,
    );
    const got = await gw.request('GET', `/v1/collections/${created.body.id}`);
    expect(got.status).toBe(200);

    const text = await scrape(gw.url);
    expect(
      sample(text, 'momo_http_requests_total', {
        method: 'POST',
        route: '/v1/collections',
        status: '202',
        product: 'collection',
        operation: 'requestToPay',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(
      sample(text, 'momo_http_requests_total', {
        method: 'GET',
        route: '/v1/collections/:id',
        status: '200',
        product: 'collection',
        operation: 'get',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'momo_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/collections',
        product: 'collection',
        operation: 'requestToPay',
      }),
    ).toBe(1);
    // Never the raw URL: the transaction id appears in no label.
    expect(text).not.toContain(created.body.id);

    expect(
      sample(text, 'momo_mtn_request_duration_seconds_count', {
        product: 'collection',
        operation: 'requestToPay',
        status: '202',
      }),
    ).toBe(1);
    expect(
      sample(text, 'momo_mtn_request_duration_seconds_count', {
        product: 'collection',
        operation: 'requestToPay.status',
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'momo_mtn_request_duration_seconds_count', {
        product: 'collection',
        operation: 'token',
        status: '200',
      }),
    ).toBe(1);
    expect(sample(text, 'momo_token_refreshes_total', { product: 'collection' })).toBe(1);
  });

  it('counts a forged callback', async () => {
    const callbackRoute = {
      method: 'POST',
      route: '/v1/webhooks/mtn/:product/:id/:token',
      product: 'collection',
      operation: 'callback',
      outcome: 'ok',
    };
    const before = sample(await scrape(gw.url), 'momo_http_requests_total', callbackRoute) ?? 0;
    const res = await fetch(`${gw.url}/v1/webhooks/mtn/collection/${randomUUID()}/not-the-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUCCESSFUL' }),
    });
    expect(res.status).toBe(200);
    await waitForSample(
      gw.url,
      'momo_callbacks_total',
      { product: 'collection', outcome: 'forged' },
      1,
    );
    const text = await scrape(gw.url);
    expect(
      sample(text, 'momo_callbacks_total', { product: 'collection', outcome: 'duplicate' }),
    ).toBe(0);
    expect(sample(text, 'momo_http_requests_total', callbackRoute)).toBe(before + 1);
  });

  it('shows PENDING transactions per product and the age of the oldest', async () => {
    const created = await gw.request('POST', '/v1/collections', {
      amount: '1000',
      currency: 'UGX',
      phoneNumber: STAYS_PENDING,
      externalId: `MET_P_${randomUUID().slice(0, 8)}`,
    });
    expect(created.status).toBe(202);
    const text = await scrape(gw.url);
    expect(sample(text, 'momo_pending_transactions', { product: 'collection' })).toBe(1);
    expect(
      sample(text, 'momo_pending_oldest_age_seconds', { product: 'collection' }),
    ).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'momo_pending_transactions', { product: 'remittance' })).toBe(0);
  });

  it('shows a breaker opened by MTN failures as 2, and the request outcome as its error code', async () => {
    await addFault(gw, { kind: 'error', status: 503, pathPrefix: '/disbursement/v1_0/transfer' });
    try {
      const res = await gw.request('POST', '/v1/disbursements', {
        amount: '1000',
        currency: 'UGX',
        phoneNumber: ALWAYS_OK,
        externalId: `MET_B_${randomUUID().slice(0, 8)}`,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = await scrape(gw.url);
      expect(
        sample(text, 'momo_breaker_state', { product: 'disbursement', account: 'default' }),
      ).toBe(2);
      expect(
        sample(text, 'momo_breaker_state', { product: 'collection', account: 'default' }),
      ).toBe(0);
      expect(
        sample(text, 'momo_breaker_opens_total', { product: 'disbursement', account: 'default' }),
      ).toBe(1);
      expect(
        sample(text, 'momo_mtn_request_duration_seconds_count', {
          product: 'disbursement',
          operation: 'transfer',
          status: '503',
        }),
      ).toBe(2);
      const answered = samples(text, 'momo_http_requests_total', {
        route: '/v1/disbursements',
        product: 'disbursement',
        operation: 'transfer',
      });
      expect(answered).toEqual([
        expect.objectContaining({
          labels: expect.objectContaining({ outcome: res.body.code }),
          value: 1,
        }),
      ]);
    } finally {
      await fetch(`${gw.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    }
  });

  it('counts a call refused for want of outbound budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await gw.request('GET', '/v1/remittances/balance?country=UG')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const text = await scrape(gw.url);
    expect(
      sample(text, 'momo_rate_limit_refusals_total', { product: 'all', priority: 'live' }),
    ).toBe(1);
    expect(
      sample(text, 'momo_rate_limit_refusals_total', { product: 'all', priority: 'background' }),
    ).toBe(0);
    expect(sample(text, 'momo_rate_limit_waits_total', { product: 'all', priority: 'live' })).toBe(
      0,
    );
    expect(
      sample(text, 'momo_http_requests_total', {
        route: '/v1/remittances/balance',
        status: '429',
        product: 'remittance',
        operation: 'balance',
        outcome: 'RATE_LIMITED',
      }),
    ).toBe(1);
  });

  it('labels requests no handler served: unmatched routes and refused keys', async () => {
    expect((await gw.request('GET', '/v1/nothing-here/123')).status).toBe(404);
    expect(
      (await gw.request('GET', '/v1/collections', undefined, {}, { apiKey: null })).status,
    ).toBe(401);
    const text = await scrape(gw.url);
    expect(
      sample(text, 'momo_http_requests_total', {
        route: 'unmatched',
        status: '404',
        product: 'none',
        operation: 'none',
      }),
    ).toBe(1);
    expect(
      sample(text, 'momo_http_requests_total', {
        route: '/v1/collections',
        status: '401',
        product: 'collection',
        operation: 'none',
        outcome: 'UNAUTHORIZED',
      }),
    ).toBe(1);
    expect(text).not.toContain('nothing-here');
  });

  it('counts what reconciliation and notifications report through MetricsService', async () => {
    const metrics = gw.app.get(MetricsService);
    metrics.reconciliationOutcome('collection', 'MATCHED', 3);
    metrics.reconciliationOutcome('disbursement', 'MISMATCH');
    metrics.notificationDelivery('delivered');
    const text = await scrape(gw.url);
    expect(
      sample(text, 'momo_reconciliation_records_total', {
        product: 'collection',
        outcome: 'MATCHED',
      }),
    ).toBe(3);
    expect(
      sample(text, 'momo_reconciliation_records_total', {
        product: 'disbursement',
        outcome: 'MISMATCH',
      }),
    ).toBe(1);
    expect(sample(text, 'momo_notification_deliveries_total', { outcome: 'delivered' })).toBe(1);
  });
});

async function addFault(gw: TestGateway, fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${gw.emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(res.status).toBe(201);
}

async function waitForSample(
  url: string,
  name: string,
  labels: Record<string, string>,
  value: number,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: number | undefined;
  while (Date.now() < deadline) {
    last = sample(await scrape(url), name, labels);
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${name}${JSON.stringify(labels)} stayed at ${String(last)}`);
}

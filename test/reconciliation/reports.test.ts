import type { TestGateway } from '../support/gateway';
import { csvRecords } from './support/csv';
import {
  collect,
  createdAt,
  emulatorPatch,
  orphan,
  pastHour,
  reconcile,
  settled,
  sql,
  startReconciliationGateway,
  type RunBody,
} from './support/reconciliation';

const EVIL = `"><script>alert('x')</script><img src=x onerror=alert(1)>`;

/** One run with something of everything, then what people read of it. */
describe('reconciliation reports', () => {
  let gw: TestGateway;
  let run: RunBody;
  let mismatchId: string;
  let otherMismatch: { id: string; transactionDiscrepancyId: string };

  beforeAll(async () => {
    gw = await startReconciliationGateway();
    const w = pastHour(3);
    const ok = [
      await collect(gw, { amount: '1000' }),
      await collect(gw, { amount: '2000' }),
      await collect(gw, { amount: '12345' }),
    ];
    const drifted = await collect(gw, { amount: '5000' });
    const failedThere = await collect(gw, { amount: '3000' });
    for (const t of [...ok, drifted, failedThere]) await settled(gw, t.id);
    await emulatorPatch(gw, `/_emulator/transactions/${drifted.id}`, { amount: '4999.99' });
    await emulatorPatch(gw, `/_emulator/transactions/${failedThere.id}`, {
      status: 'FAILED',
      reason: 'EXPIRED',
    });
    // An externalId written to break out of the page, on our side (MTN's API would refuse it).
    const missing = await orphan(gw, w.inside, EVIL);
    await createdAt(
      gw,
      [...ok, drifted, failedThere].map((t) => t.id),
      w.inside,
    );
    run = await reconcile(gw, {
      kind: 'window',
      from: w.from.toISOString(),
      to: w.to.toISOString(),
    });
    mismatchId = run.discrepancies.find((d) => d.transactionId === drifted.id)!.id;
    const other = run.discrepancies.find((d) => d.transactionId === failedThere.id)!;
    otherMismatch = { id: other.id, transactionDiscrepancyId: other.transactionDiscrepancyId! };
    expect(run.discrepancies.map((d) => d.transactionId).sort()).toEqual(
      [drifted.id, failedThere.id, missing].sort(),
    );
  });
  afterAll(async () => {
    await gw.close();
  });

  it('lists runs newest first', async () => {
    const second = await reconcile(gw, {
      kind: 'window',
      from: pastHour(30).from.toISOString(),
      to: pastHour(30).to.toISOString(),
    });
    const list = await gw.request('GET', '/v1/reconciliation/runs?limit=10');
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([second.id, run.id]);
    expect(list.body.items[1]).toMatchObject({
      kind: 'window',
      triggeredBy: 'api',
      status: 'COMPLETED',
      outcomes: run.outcomes,
    });
    const filtered = await gw.request('GET', '/v1/reconciliation/runs?kind=daily');
    expect(filtered.body.items).toEqual([]);
  });

  it('summarises the run in JSON', () => {
    expect(run).toMatchObject({
      status: 'COMPLETED',
      progress: { processed: 6, total: 6 },
      outcomes: {
        MATCHED: 3,
        REPAIRED: 0,
        MISMATCH: 2,
        MISSING_AT_MTN: 1,
        STILL_PENDING: 0,
        ERROR: 0,
      },
      discrepancyCount: 3,
    });
    // Most urgent first.
    expect(run.discrepancies.map((d) => d.outcome)).toEqual([
      'MISMATCH',
      'MISMATCH',
      'MISSING_AT_MTN',
    ]);
    // Ours: five SUCCESSFUL (one of them FAILED at MTN); MTN's: four, one for 0.01 less.
    expect(run.totals).toEqual([
      { side: 'gateway', currency: 'UGX', count: 5, amount: '23345' },
      { side: 'mtn', currency: 'EUR', count: 4, amount: '20344.99' },
    ]);
  });

  it('writes a CSV any RFC 4180 parser reads, whose counts and totals equal the JSON', async () => {
    const res = await fetch(`${gw.url}/v1/reconciliation/runs/${run.id}/report.csv`, {
      headers: { authorization: `Bearer ${gw.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="reconciliation-${run.id}.csv"`,
    );
    const records = csvRecords(await res.text());
    const items = records.filter((r) => r.record_type === 'item');
    expect(items.map((r) => r.discrepancy_id)).toEqual(run.discrepancies.map((d) => d.id));
    expect(items.find((r) => r.outcome === 'MISSING_AT_MTN')!.external_id).toBe(EVIL);
    const counts = records
      .filter((r) => r.record_type === 'count')
      .map((r) => ({
        product: r.product,
        country: r.country,
        outcome: r.outcome,
        count: Number(r.count),
      }));
    expect(counts).toEqual(run.counts);
    const totals = records
      .filter((r) => r.record_type === 'total')
      .map((r) => ({
        side: r.side,
        currency: r.currency,
        count: Number(r.count),
        amount: r.amount,
      }));
    expect(totals).toEqual(run.totals);
    // The item rows add up to the JSON's outcome figures too.
    const notMatched = Object.entries(run.outcomes as unknown as Record<string, number>)
      .filter(([o]) => o !== 'MATCHED')
      .reduce((n, [, c]) => n + c, 0);
    expect(items).toHaveLength(notMatched);
  });

  it('renders a page with the figures, an inline chart and every value escaped', async () => {
    const res = await gw.request<string>('GET', `/v1/reconciliation/runs/${run.id}/report.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain(run.id);
    expect(html).toContain('6 of 6');
    expect(html).toContain('<td class="n">20344.99</td>');
    expect(html).toContain('<svg');
    expect(html).toContain('Discrepancies (3)');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  });

  it('acknowledges a discrepancy with a note and the time, and its transaction discrepancy with it', async () => {
    const note = 'MTN confirmed 4999.99; the missing 0.01 is written off';
    const res = await gw.request(
      'POST',
      `/v1/reconciliation/discrepancies/${mismatchId}/acknowledge`,
      { note },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: mismatchId,
      type: 'reconciliation-item',
      runId: run.id,
      kind: 'MISMATCH',
      acknowledgedNote: note,
      acknowledgedAt: expect.any(String),
    });
    const detail = await gw.request('GET', `/v1/reconciliation/runs/${run.id}`);
    const item = detail.body.discrepancies.find((d: { id: string }) => d.id === mismatchId);
    expect(item).toMatchObject({ acknowledgedAt: res.body.acknowledgedAt, acknowledgedNote: note });
    const [linked] = await sql(
      gw,
      'SELECT acknowledged_note FROM transaction_discrepancies WHERE id = $1',
      [item.transactionDiscrepancyId],
    );
    expect(linked).toEqual({ acknowledged_note: note });

    const again = await gw.request(
      'POST',
      `/v1/reconciliation/discrepancies/${mismatchId}/acknowledge`,
      { note },
    );
    expect(again.status).toBe(200);
    expect(again.body.acknowledgedAt).toBe(res.body.acknowledgedAt);
    const other = await gw.request(
      'POST',
      `/v1/reconciliation/discrepancies/${mismatchId}/acknowledge`,
      { note: 'something else' },
    );
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'ALREADY_ACKNOWLEDGED' });
  });

  it('acknowledges a transaction discrepancy by its own id, and the run discrepancy linking it', async () => {
    const res = await gw.request(
      'POST',
      `/v1/reconciliation/discrepancies/${otherMismatch.transactionDiscrepancyId}/acknowledge`,
      { note: 'customer asked; MTN expired it' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: otherMismatch.transactionDiscrepancyId,
      type: 'transaction-discrepancy',
      kind: 'STATUS_CONFLICT',
      acknowledgedNote: 'customer asked; MTN expired it',
    });
    const detail = await gw.request('GET', `/v1/reconciliation/runs/${run.id}`);
    expect(
      detail.body.discrepancies.find((d: { id: string }) => d.id === otherMismatch.id),
    ).toMatchObject({
      acknowledgedAt: res.body.acknowledgedAt,
      acknowledgedNote: 'customer asked; MTN expired it',
    });
  });

  it('acknowledges a transaction discrepancy recorded outside reconciliation (a callback conflict)', async () => {
    const missing = run.discrepancies.find((d) => d.outcome === 'MISSING_AT_MTN');
    // A PENDING one closed as FAILED needs nobody: it has no transaction discrepancy of its own.
    expect(missing!.transactionDiscrepancyId).toBeUndefined();
    const inserted = await sql<{ id: string }>(
      gw,
      `INSERT INTO transaction_discrepancies (id, transaction_id, kind, source, stored_status, reported_status)
       VALUES (gen_random_uuid(), $1, 'STATUS_CONFLICT', 'callback', 'FAILED', 'SUCCESSFUL') RETURNING id`,
      [missing!.transactionId],
    );
    const id = inserted[0]!.id;
    const res = await gw.request('POST', `/v1/reconciliation/discrepancies/${id}/acknowledge`, {
      note: 'seen',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      type: 'transaction-discrepancy',
      transactionId: missing!.transactionId,
      kind: 'STATUS_CONFLICT',
      acknowledgedNote: 'seen',
    });
  });

  it('answers NOT_FOUND and VALIDATION_FAILED in the usual error shape', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await gw.request('GET', `/v1/reconciliation/runs/${unknown}`)).body).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await gw.request('GET', '/v1/reconciliation/runs/not-a-uuid/report.csv')).status).toBe(
      404,
    );
    expect(
      (
        await gw.request('POST', `/v1/reconciliation/discrepancies/${unknown}/acknowledge`, {
          note: 'x',
        })
      ).status,
    ).toBe(404);
    const blank = await gw.request(
      'POST',
      `/v1/reconciliation/discrepancies/${mismatchId}/acknowledge`,
      { note: '   ' },
    );
    expect(blank).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const badKind = await gw.request('POST', '/v1/reconciliation/runs', { kind: 'weekly' });
    expect(badKind).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'kind' })] },
    });
    const future = await gw.request('POST', '/v1/reconciliation/runs', {
      kind: 'window',
      from: '2026-01-01T00:00:00Z',
      to: '2999-01-01T00:00:00Z',
    });
    expect(future).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'to' })] },
    });
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = await gw.request('GET', '/docs-json');
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/reconciliation/runs',
        '/v1/reconciliation/runs/{id}',
        '/v1/reconciliation/runs/{id}/report.csv',
        '/v1/reconciliation/runs/{id}/report.html',
        '/v1/reconciliation/discrepancies/{id}/acknowledge',
      ]),
    );
  });
});

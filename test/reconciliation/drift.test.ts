import type { TestGateway } from '../support/gateway';
import {
  collect,
  collectLosingCallback,
  createdAt,
  emulatorPatch,
  emulatorPost,
  orphan,
  pastHour,
  reconcile,
  settled,
  sql,
  startReconciliationGateway,
  statusCalls,
} from './support/reconciliation';

/**
 * Drift made on purpose in the emulator, behind the gateway's back, and what a run makes of it.
 * Each test moves its transactions into an hour of its own and reconciles that window only.
 */
describe('reconciliation finds drift', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // A breaker open for 3 s: long enough for a run to start while it is open.
    gw = await startReconciliationGateway({ env: { MTN_MOMO_BREAKER_OPEN_SECONDS: '3' } });
  });
  afterAll(async () => {
    await gw.close();
  });

  async function window(hoursAgo: number, ids: string[]) {
    const w = pastHour(hoursAgo);
    await createdAt(gw, ids, w.inside);
    return reconcile(gw, { kind: 'window', from: w.from.toISOString(), to: w.to.toISOString() });
  }

  it('counts what agrees with MTN as MATCHED and totals SUCCESSFUL amounts exactly on both sides', async () => {
    const a = await collect(gw, { amount: '1000' });
    const b = await collect(gw, { amount: '2500' });
    await settled(gw, a.id);
    await settled(gw, b.id);
    const run = await window(2, [a.id, b.id]);
    expect(run).toMatchObject({
      status: 'COMPLETED',
      progress: { processed: 2, total: 2 },
      discrepancyCount: 0,
    });
    expect(run.outcomes).toEqual({
      MATCHED: 2,
      REPAIRED: 0,
      MISMATCH: 0,
      MISSING_AT_MTN: 0,
      STILL_PENDING: 0,
      ERROR: 0,
    });
    expect(run.counts).toEqual([
      { product: 'collection', country: 'UG', outcome: 'MATCHED', count: 2 },
    ]);
    // Sandbox: we hold UGX, MTN was sent (and reports) EUR.
    expect(run.totals).toEqual([
      { side: 'gateway', currency: 'UGX', count: 2, amount: '3500' },
      { side: 'mtn', currency: 'EUR', count: 2, amount: '3500' },
    ]);
  });

  it('flags a status changed behind our back as MISMATCH and never overwrites ours', async () => {
    const t = await collect(gw);
    expect((await settled(gw, t.id)).status).toBe('SUCCESSFUL');
    await emulatorPatch(gw, `/_emulator/transactions/${t.id}`, {
      status: 'FAILED',
      reason: 'APPROVAL_REJECTED',
    });
    const run = await window(3, [t.id]);
    expect(run.outcomes.MISMATCH).toBe(1);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        transactionId: t.id,
        outcome: 'MISMATCH',
        statusBefore: 'SUCCESSFUL',
        statusAfter: 'SUCCESSFUL',
        mtn: expect.objectContaining({ status: 'FAILED', reason: 'APPROVAL_REJECTED' }),
        differences: [{ field: 'status', ours: 'SUCCESSFUL', mtn: 'FAILED' }],
        transactionDiscrepancyId: expect.any(String),
      }),
    ]);
    expect((await gw.request('GET', `/v1/collections/${t.id}`)).body.status).toBe('SUCCESSFUL');
    const [discrepancy] = await sql(
      gw,
      'SELECT kind, source, reported_status FROM transaction_discrepancies WHERE id = $1',
      [run.discrepancies[0]!.transactionDiscrepancyId],
    );
    expect(discrepancy).toEqual({
      kind: 'STATUS_CONFLICT',
      source: 'reconciliation',
      reported_status: 'FAILED',
    });
    // Only the final MTN totals differ: we count it SUCCESSFUL, MTN does not.
    expect(run.totals).toEqual([{ side: 'gateway', currency: 'UGX', count: 1, amount: '1000' }]);
  });

  it('flags an amount that differs at MTN as MISMATCH with an AMOUNT_MISMATCH discrepancy', async () => {
    const t = await collect(gw, { amount: '1000' });
    await settled(gw, t.id);
    await emulatorPatch(gw, `/_emulator/transactions/${t.id}`, { amount: '990' });
    const run = await window(4, [t.id]);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'MISMATCH',
        amount: '1000',
        mtn: expect.objectContaining({ amount: '990', currency: 'EUR' }),
        differences: [{ field: 'amount', ours: '1000', mtn: '990' }],
      }),
    ]);
    const [discrepancy] = await sql(
      gw,
      'SELECT kind, reported_amount FROM transaction_discrepancies WHERE id = $1',
      [run.discrepancies[0]!.transactionDiscrepancyId],
    );
    expect(discrepancy).toEqual({ kind: 'AMOUNT_MISMATCH', reported_amount: '990' });
    expect(run.totals).toEqual([
      { side: 'gateway', currency: 'UGX', count: 1, amount: '1000' },
      { side: 'mtn', currency: 'EUR', count: 1, amount: '990' },
    ]);
  });

  it('flags an externalId MTN holds differently', async () => {
    const t = await collect(gw);
    await settled(gw, t.id);
    const [record] = gw.emulator.state.transactions.list({ referenceId: t.id });
    (record!.request as Record<string, unknown>).externalId = 'SOMEONE_ELSES';
    const run = await window(5, [t.id]);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'MISMATCH',
        differences: [{ field: 'externalId', ours: t.externalId, mtn: 'SOMEONE_ELSES' }],
      }),
    ]);
    const [discrepancy] = await sql(
      gw,
      'SELECT kind FROM transaction_discrepancies WHERE id = $1',
      [run.discrepancies[0]!.transactionDiscrepancyId],
    );
    expect(discrepancy).toEqual({ kind: 'EXTERNAL_ID_MISMATCH' });
  });

  it('repairs a PENDING whose callback was lost, with an event from reconciliation', async () => {
    const t = await collectLosingCallback(gw);
    expect((await gw.request('GET', `/v1/collections/${t.id}`)).body.status).toBe('PENDING');
    const run = await window(6, [t.id]);
    expect(run.outcomes.REPAIRED).toBe(1);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'REPAIRED',
        statusBefore: 'PENDING',
        statusAfter: 'SUCCESSFUL',
        financialTransactionId: expect.any(String),
      }),
    ]);
    expect((await gw.request('GET', `/v1/collections/${t.id}`)).body).toMatchObject({
      status: 'SUCCESSFUL',
      financialTransactionId: expect.any(String),
    });
    const events = await sql(
      gw,
      'SELECT source, from_status, to_status FROM transaction_events WHERE transaction_id = $1 ORDER BY id',
      [t.id],
    );
    expect(events.at(-1)).toEqual({
      source: 'reconciliation',
      from_status: 'PENDING',
      to_status: 'SUCCESSFUL',
    });
    expect(run.totals).toEqual([
      { side: 'gateway', currency: 'UGX', count: 1, amount: '1000' },
      { side: 'mtn', currency: 'EUR', count: 1, amount: '1000' },
    ]);
  });

  it('repairs a lost FAILED the way callbacks do: the daily limit is given back', async () => {
    const phoneNumber = '256770000101'; // emulator: 202, then FAILED PAYER_NOT_FOUND
    const t = await collectLosingCallback(gw, { phoneNumber, amount: '7000' });
    // The limit is kept per UTC day of the payment's creation: moved into the run's hour (which
    // is yesterday shortly after midnight), the payment takes its reservation with it.
    const day = pastHour(7).inside.toISOString().slice(0, 10);
    await sql(
      gw,
      "UPDATE daily_usage SET day = $2::date WHERE msisdn = $1 AND product = 'collection'",
      [phoneNumber, day],
    );
    const used = () =>
      sql<{ total: string }>(
        gw,
        "SELECT total_minor::text AS total FROM daily_usage WHERE msisdn = $1 AND product = 'collection' AND day = $2::date",
        [phoneNumber, day],
      );
    expect(await used()).toEqual([{ total: '7000' }]);
    const run = await window(7, [t.id]);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'REPAIRED',
        statusAfter: 'FAILED',
        mtn: expect.objectContaining({ reason: 'PAYER_NOT_FOUND' }),
      }),
    ]);
    expect((await gw.request('GET', `/v1/collections/${t.id}`)).body).toMatchObject({
      status: 'FAILED',
      reason: 'PAYER_NOT_FOUND',
    });
    expect(await used()).toEqual([{ total: '0' }]);
  });

  it('closes a PENDING that MTN never saw as FAILED NOT_FOUND_AT_MTN after the grace period', async () => {
    const w = pastHour(8);
    const id = await orphan(gw, w.inside);
    const run = await reconcile(gw, {
      kind: 'window',
      from: w.from.toISOString(),
      to: w.to.toISOString(),
    });
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        transactionId: id,
        outcome: 'MISSING_AT_MTN',
        statusBefore: 'PENDING',
        statusAfter: 'FAILED',
        note: 'closed as FAILED NOT_FOUND_AT_MTN',
        mtn: {},
      }),
    ]);
    const [row] = await sql(gw, 'SELECT status, reason FROM momo_transactions WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'FAILED', reason: 'NOT_FOUND_AT_MTN' });
    const events = await sql(
      gw,
      'SELECT source, to_status, reason FROM transaction_events WHERE transaction_id = $1',
      [id],
    );
    expect(events).toEqual([
      { source: 'reconciliation', to_status: 'FAILED', reason: 'NOT_FOUND_AT_MTN' },
    ]);
  });

  it('keeps a final transaction MTN does not know as MISSING_AT_MTN, flagged, unchanged', async () => {
    const t = await collect(gw);
    await settled(gw, t.id);
    await emulatorPost(gw, '/_emulator/faults', {
      kind: 'error',
      status: 404,
      pathPrefix: `/collection/v1_0/requesttopay/${t.id}`,
      method: 'GET',
      count: 1,
    });
    const run = await window(9, [t.id]);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'MISSING_AT_MTN',
        statusBefore: 'SUCCESSFUL',
        statusAfter: 'SUCCESSFUL',
        transactionDiscrepancyId: expect.any(String),
      }),
    ]);
    const [discrepancy] = await sql(
      gw,
      'SELECT kind FROM transaction_discrepancies WHERE id = $1',
      [run.discrepancies[0]!.transactionDiscrepancyId],
    );
    expect(discrepancy).toEqual({ kind: 'MISSING_AT_MTN' });
  });

  it('treats a 404 inside the grace period as STILL_PENDING, with its age, and leaves it PENDING', async () => {
    const now = new Date();
    const id = await orphan(gw, new Date(now.getTime() - 120_000));
    const run = await reconcile(gw, {
      kind: 'window',
      from: new Date(now.getTime() - 180_000).toISOString(),
      to: new Date(now.getTime() - 60_000).toISOString(),
    });
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        transactionId: id,
        outcome: 'STILL_PENDING',
        statusAfter: 'PENDING',
        ageSeconds: expect.any(Number),
      }),
    ]);
    expect(run.discrepancies[0]!.ageSeconds).toBeGreaterThanOrEqual(120);
  });

  it('counts MTN being unreachable for a record as ERROR and changes nothing', async () => {
    const t = await collectLosingCallback(gw);
    // As many failures as the client's attempts (3): the record gets no answer, the breaker stays shut.
    await emulatorPost(gw, '/_emulator/faults', {
      kind: 'error',
      status: 503,
      pathPrefix: `/collection/v1_0/requesttopay/${t.id}`,
      method: 'GET',
      count: 3,
    });
    const run = await window(10, [t.id]);
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        outcome: 'ERROR',
        errorCode: expect.stringMatching(/SERVICE_UNAVAILABLE|MTN_UNAVAILABLE/),
        statusAfter: 'PENDING',
      }),
    ]);
    // The next run asks again and repairs it.
    const again = await window(10, [t.id]);
    expect(again.discrepancies).toEqual([expect.objectContaining({ outcome: 'REPAIRED' })]);
  });

  it('waits out an open breaker instead of writing the record off as ERROR', async () => {
    const t = await collectLosingCallback(gw);
    // Two balance calls of three attempts each: six failures in a row open Collection's breaker.
    await emulatorPost(gw, '/_emulator/faults', {
      kind: 'error',
      status: 503,
      pathPrefix: '/collection/v1_0/account/balance',
      count: 6,
    });
    const balance = () => gw.request('GET', '/v1/collections/balance?country=UG');
    expect((await balance()).status).toBe(503);
    expect((await balance()).status).toBe(503);
    const refused = await balance();
    expect(refused.body.code).toBe('CIRCUIT_OPEN');
    const run = await window(12, [t.id]);
    expect(run.outcomes).toMatchObject({ REPAIRED: 1, ERROR: 0 });
    expect(run.discrepancies).toEqual([
      expect.objectContaining({
        transactionId: t.id,
        outcome: 'REPAIRED',
        statusAfter: 'SUCCESSFUL',
      }),
    ]);
  });

  it('asks MTN at most once per record in a run', async () => {
    const ts = [await collect(gw), await collect(gw), await collect(gw)];
    for (const t of ts) await settled(gw, t.id);
    const before = await Promise.all(ts.map((t) => statusCalls(gw, t.id)));
    await window(
      11,
      ts.map((t) => t.id),
    );
    const after = await Promise.all(ts.map((t) => statusCalls(gw, t.id)));
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 1, 1]);
  });
});

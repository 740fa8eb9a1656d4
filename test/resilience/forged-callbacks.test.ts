import fc from 'fast-check';
import { Client } from 'pg';
import { WebhookService } from '../../src/payments/webhook.service';
import { startGateway, type TestGateway } from '../support/gateway';
import { eventually, FULL, scaled, SEED } from './support/scale';

/**
 * (e) Forged callbacks change nothing. MTN's callbacks are unsigned, so anyone can POST (or PUT)
 * to the webhook URL: wrong or stolen-looking tokens, another product's path, unknown ids, bodies
 * that claim SUCCESSFUL with any amount. None of it may move a transaction; even a genuine URL
 * with a lying body only makes the gateway ask MTN, which says PENDING. A genuine callback after
 * MTN settles still works (the control).
 */
interface Row {
  id: string;
  product: string;
  status: string;
  amount: string;
  financial_transaction_id: string | null;
  completed_at: Date | null;
  callback_token: string;
}

const ROUTES = {
  collection: '/v1/collections',
  disbursement: '/v1/disbursements',
  remittance: '/v1/remittances',
} as const;
type Product = keyof typeof ROUTES;

describe(`resilience (e): forged callbacks${FULL ? ' (full)' : ''}`, () => {
  let gw: TestGateway;
  let db: Client;
  let before: Row[];
  let sent = 0;
  let statusCallsDuringForgeries = 0;
  const answers: number[] = [];

  const rows = async (): Promise<Row[]> =>
    (
      await db.query<Row>(
        'SELECT id, product, status, amount::text AS amount, financial_transaction_id, completed_at, callback_token FROM momo_transactions ORDER BY id',
      )
    ).rows;
  const events = async (): Promise<number> =>
    Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM transaction_events')).rows[0]?.n ??
        0,
    );
  const handled = (): number =>
    Object.values(gw.app.get(WebhookService).stats()).reduce((a, b) => a + b, 0);
  const statusCalls = (): number =>
    gw.emulator.state.requestLog
      .query({ method: 'GET' })
      .filter((e) => /\/v[12]_0\/[a-z]+\/[0-9a-f-]{36}$/.test(e.path)).length;

  beforeAll(async () => {
    // MTN keeps every transaction PENDING until the test completes it; no poller asks meanwhile.
    gw = await startGateway({
      emulator: { processingDelayMs: 600_000 },
      env: { POLL_ENABLED: 'false', RECONCILIATION_SCHEDULE_ENABLED: 'false' },
    });
    db = new Client({ connectionString: gw.db.url });
    await db.connect();
    for (const [i, product] of (
      [
        'collection',
        'disbursement',
        'remittance',
        'collection',
        'disbursement',
        'remittance',
      ] as Product[]
    ).entries()) {
      const res = await gw.request('POST', ROUTES[product], {
        amount: '5000',
        currency: 'UGX',
        phoneNumber: `25677${2_100_000 + i}`,
        externalId: `FORGE_${i}`,
      });
      expect(res.status).toBe(202);
    }
    before = await rows();
    const eventsBefore = await events();
    const targets = before;
    const real = (i: number): Row => targets[i % targets.length]!;
    const product = fc.constantFrom('collection', 'disbursement', 'remittance');
    const lie = fc.record({
      financialTransactionId: fc.string({ maxLength: 12 }),
      externalId: fc.string({ maxLength: 12 }),
      amount: fc.oneof(
        fc.constantFrom('5000', '1', '999999999', '-5'),
        fc.string({ maxLength: 6 }),
      ),
      currency: fc.constantFrom('EUR', 'UGX', 'USD'),
      status: fc.constantFrom('SUCCESSFUL', 'FAILED', 'successful', 'PENDING'),
      reason: fc.option(fc.constantFrom('APPROVAL_REJECTED', 'INTERNAL_PROCESSING_ERROR')),
    });
    // Forgeries that never get past the token check: they must not even reach MTN.
    const forgery = fc.oneof(
      // a real id with a wrong token: random, another transaction's, or one character off
      fc
        .tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 64 }), lie)
        .map(([i, token, body]) => ({
          path: `${real(i).product}/${real(i).id}/${encodeURIComponent(token)}`,
          body,
        })),
      fc.tuple(fc.nat(), lie).map(([i, body]) => ({
        path: `${real(i).product}/${real(i).id}/${real(i + 1).callback_token}`,
        body,
      })),
      fc.tuple(fc.nat(), fc.nat(), lie).map(([i, k, body]) => {
        const t = real(i).callback_token;
        const at = k % t.length;
        const flipped = `${t.slice(0, at)}${t[at] === 'a' ? 'b' : 'a'}${t.slice(at + 1)}`;
        return { path: `${real(i).product}/${real(i).id}/${flipped}`, body };
      }),
      // the right token on another product's path
      fc
        .tuple(fc.nat(), product, lie)
        .filter(([i, p]) => p !== real(i).product)
        .map(([i, p, body]) => ({ path: `${p}/${real(i).id}/${real(i).callback_token}`, body })),
      // unknown or malformed ids, unknown products
      fc
        .tuple(product, fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }), lie)
        .map(([p, id, token, body]) => ({ path: `${p}/${id}/${encodeURIComponent(token)}`, body })),
      fc
        .tuple(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.string({ minLength: 1, maxLength: 40 }),
          lie,
        )
        .map(([p, id, body]) => ({
          path: `${encodeURIComponent(p)}/${encodeURIComponent(id)}/x`,
          body,
        })),
    );
    const samples = fc.sample(fc.tuple(forgery, fc.constantFrom('POST', 'PUT')), {
      numRuns: scaled(300, 3000),
      seed: SEED,
    });
    const calls0 = statusCalls();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < samples.length) {
          const [f, method] = samples[next++]!;
          const res = await fetch(`${gw.url}/v1/webhooks/mtn/${f.path}`, {
            method,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(f.body),
          });
          answers.push(res.status);
          await res.text();
          if (res.status === 200) sent++;
        }
      }),
    );
    await eventually('every forged callback to be handled', () => handled() >= sent, 30_000, 20);
    statusCallsDuringForgeries = statusCalls() - calls0;
    expect(await events()).toBe(eventsBefore);
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await gw?.close();
  });

  it('answered every forgery without an error', () => {
    expect(answers.filter((s) => s >= 500)).toEqual([]);
    expect(sent).toBeGreaterThan(0);
  });

  it('changed no transaction and asked MTN nothing', async () => {
    expect(await rows()).toEqual(before);
    expect(statusCallsDuringForgeries).toBe(0);
  });

  it('a genuine URL with a lying body only makes the gateway ask MTN, which says PENDING', async () => {
    const t = before[0]!;
    const handledBefore = handled();
    const res = await fetch(`${gw.url}/v1/webhooks/mtn/${t.product}/${t.id}/${t.callback_token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'SUCCESSFUL',
        amount: '5000',
        currency: 'EUR',
        financialTransactionId: '42',
      }),
    });
    expect(res.status).toBe(200);
    await eventually('the callback to be handled', () => handled() > handledBefore, 10_000, 20);
    expect(await rows()).toEqual(before);
  });

  it('still takes a genuine callback once MTN has settled (the control)', async () => {
    const t = before[1]!;
    const mtn = gw.emulator.state.transactions.list({ referenceId: t.id })[0]!;
    gw.emulator.state.engine.complete(mtn, 'SUCCESSFUL');
    await gw.emulator.callbacksIdle();
    const done = await eventually(
      'the genuine callback to settle the transaction',
      async () => (await rows()).find((r) => r.id === t.id && r.status === 'SUCCESSFUL'),
      10_000,
      50,
    );
    expect(done.financial_transaction_id).toBe(mtn.financialTransactionId);
  });
});

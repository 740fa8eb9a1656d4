import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { StatusSyncService } from '../../src/payments/status-sync.service';
import { WebhookService } from '../../src/payments/webhook.service';
import { sample, scrape } from '../observability/support/prometheus';
import { startGateway, type TestGateway } from '../support/gateway';
import {
  ROUTES,
  emulatorControl,
  events,
  eventually,
  ledger,
  mtnTransactions,
  ordinaryNumber,
  patchEmulator,
  paymentBody,
  poller,
} from './support';

const CONCURRENCY = 3;
const CAPACITY = 10;

interface Gate {
  /** Callback confirmations that reached MTN's status call, in order. */
  started: string[];
  /** The most that were in their status call at once. */
  peak(): number;
  /** Lets every held confirmation (and every later one) go on. */
  open(): void;
}

/**
 * Holds every callback confirmation at its status call until `open()`, and counts how many are
 * there at once. Polls and every other status call go through untouched.
 */
function holdConfirmations(gw: TestGateway): Gate {
  const sync = gw.app.get(StatusSyncService);
  const refresh = sync.refresh.bind(sync);
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  jest.spyOn(sync, 'refresh').mockImplementation(async (tx, source, priority) => {
    if (source !== 'callback') return refresh(tx, source, priority);
    started.push(tx.id);
    running += 1;
    peak = Math.max(peak, running);
    try {
      await opened;
      return await refresh(tx, source, priority);
    } finally {
      running -= 1;
    }
  });
  return { started, peak: () => peak, open };
}

/** `n` PENDING collections, already SUCCESSFUL at MTN, whose own callbacks MTN has lost. */
async function pendingAtUs(
  gw: TestGateway,
  n: number,
  from: number,
): Promise<Array<{ id: string; url: string }>> {
  const created: Array<{ id: string; url: string }> = [];
  for (let i = 0; i < n; i++) {
    const res = await gw.request(
      'POST',
      '/v1/collections',
      paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: ordinaryNumber('UG', from + i) }),
    );
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const id = res.body.id as string;
    await emulatorControl(gw, 'POST', `/_emulator/transactions/${id}/complete`);
    created.push({ id, url: mtnTransactions(gw, id)[0]!.callbackUrl! });
  }
  await gw.emulator.callbacksIdle();
  return created;
}

async function callback(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'SUCCESSFUL' }),
  });
  return { status: res.status, body: await res.json() };
}

type Rows = (
  sql: string,
  params: unknown[],
) => Promise<Array<{ id: string; next_poll_at: Date; status: string }>>;
const viaApp =
  (gw: TestGateway): Rows =>
  (sql, params) =>
    gw.app.get(DataSource).query(sql, params);
const viaClient =
  (db: Client): Rows =>
  async (sql, params) =>
    (await db.query<{ id: string; next_poll_at: Date; status: string }>(sql, params)).rows;

/** Each transaction's next poll and status. */
async function nextPolls(
  query: Rows,
  ids: string[],
): Promise<Map<string, { nextPollAt: Date; status: string }>> {
  const rows = await query(
    'SELECT id, next_poll_at, status FROM momo_transactions WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return new Map(
    rows.map((r) => [r.id, { nextPollAt: new Date(r.next_poll_at), status: r.status }]),
  );
}

/**
 * MTN keeps every payment PENDING until the test completes it; callbacks are confirmed two at a
 * time with five waiting unless `env` says otherwise; the poller is off and its first polls an hour
 * away, so only what the flood makes due is due.
 */
function holdingGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  return startGateway({
    emulator: { processingDelayMs: 600_000 },
    env: {
      POLL_ENABLED: 'false',
      POLL_INTERVAL_MS: '3600000',
      CALLBACK_CONCURRENCY: '2',
      CALLBACK_QUEUE_CAPACITY: '5',
      ...env,
    },
  });
}

/**
 * MTN may call back for thousands of transactions at once. Each callback is answered 200 at once;
 * at most CALLBACK_CONCURRENCY confirmations (status call and update) run at a time, at most
 * CALLBACK_QUEUE_CAPACITY wait, and the rest are handed to the poller (their transactions made due
 * for a poll now) instead of all taking a database connection at the same moment. Nothing is
 * lost: every transaction ends SUCCESSFUL, once. The confirmations are held at their status call
 * by the test, so the queue is full for as long as the test needs; the poller is driven by hand.
 */
describe('a flood of callbacks', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await holdingGateway({
      CALLBACK_CONCURRENCY: String(CONCURRENCY),
      CALLBACK_QUEUE_CAPACITY: String(CAPACITY),
    });
    // MTN's own callbacks are lost: the test sends them.
    await patchEmulator(gw, { callbackDropRate: 1 });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await gw.close();
  });

  it('answers every callback, confirms at most CALLBACK_CONCURRENCY at once, hands the overflow to the poller and loses nothing', async () => {
    const total = 40;
    const overflow = total - CONCURRENCY - CAPACITY;
    const transactions = await pendingAtUs(gw, total, 100);
    const ids = transactions.map((t) => t.id);
    const gate = holdConfirmations(gw);
    const webhooks = gw.app.get(WebhookService);
    const dataSource = viaApp(gw);

    const floodStart = Date.now();
    const answers = await Promise.all(transactions.map((t) => callback(t.url)));
    expect(answers).toEqual(transactions.map(() => ({ status: 200, body: { received: true } })));
    await eventually(
      'the overflow handed to the poller',
      () => webhooks.stats().deferred === overflow,
    );
    const floodEnd = Date.now();

    // Held: CONCURRENCY confirmations at MTN's status call, CAPACITY waiting, the rest with the poller.
    expect(webhooks.queueState()).toEqual({
      running: CONCURRENCY,
      waiting: CAPACITY,
      forPoller: 0,
    });
    expect(gate.started).toHaveLength(CONCURRENCY);
    // The API is not starved meanwhile.
    expect((await gw.request('GET', `/v1/collections/${ids[0]}`)).status).toBe(200);
    const metrics = await scrape(gw.url);
    expect(
      sample(metrics, 'momo_callbacks_total', { product: 'collection', outcome: 'deferred' }),
    ).toBe(overflow);
    expect(sample(metrics, 'momo_callback_queue', { state: 'waiting' })).toBe(CAPACITY);

    // The overflow's transactions are due for a poll now; the others still an hour away.
    const polls = await nextPolls(dataSource, ids);
    const due = ids.filter((id) => polls.get(id)!.nextPollAt.getTime() <= floodEnd);
    expect(due).toHaveLength(overflow);
    for (const id of due) {
      expect(polls.get(id)!.nextPollAt.getTime()).toBeGreaterThanOrEqual(floodStart);
      expect(gate.started).not.toContain(id);
    }
    for (const id of ids.filter((id) => !due.includes(id)))
      expect(polls.get(id)!.nextPollAt.getTime()).toBeGreaterThan(floodEnd + 3_000_000);

    gate.open();
    await expect(webhooks.idle(30_000)).resolves.toBe(true);
    expect(gate.peak()).toBe(CONCURRENCY);
    expect(gate.started).toHaveLength(CONCURRENCY + CAPACITY);
    expect(webhooks.stats()).toEqual({
      confirmed: CONCURRENCY + CAPACITY,
      deferred: overflow,
      forged: 0,
      duplicate: 0,
      dropped: 0,
    });
    const confirmed = await nextPolls(dataSource, ids);
    expect(ids.filter((id) => confirmed.get(id)!.status === 'SUCCESSFUL').sort()).toEqual(
      [...gate.started].sort(),
    );

    // One poll round (at the real time) takes exactly the overflow and settles it.
    expect(await poller(gw).pollOnce(new Date())).toBe(overflow);
    for (const id of ids) {
      expect((await gw.request('GET', `/v1/collections/${id}`)).body.status).toBe('SUCCESSFUL');
      expect(
        (await events(gw, id)).filter((e) => e.fromStatus !== e.toStatus).map((e) => e.toStatus),
      ).toEqual(['PENDING', 'SUCCESSFUL']);
      expect(ledger(gw).postingsFor(id)).toHaveLength(1);
    }
  });
});

/**
 * At shutdown the queue is drained: confirmations still waiting run to the end, for up to
 * CALLBACK_DRAIN_TIMEOUT_MS; whatever still waits then is handed to the poller, not dropped.
 */
describe('callbacks at shutdown', () => {
  async function flood(
    gw: TestGateway,
    n: number,
    from: number,
  ): Promise<{ gate: Gate; ids: string[] }> {
    await patchEmulator(gw, { callbackDropRate: 1 });
    const transactions = await pendingAtUs(gw, n, from);
    const gate = holdConfirmations(gw);
    const answers = await Promise.all(transactions.map((t) => callback(t.url)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const webhooks = gw.app.get(WebhookService);
    await eventually('the queue to be full', () => webhooks.queueState().waiting === n - 2);
    expect(webhooks.queueState().running).toBe(2);
    return { gate, ids: transactions.map((t) => t.id) };
  }

  async function stopped(gw: TestGateway): Promise<Client> {
    const db = new Client({ connectionString: gw.db.url });
    await db.connect();
    return db;
  }

  afterEach(() => jest.restoreAllMocks());

  it('finishes the waiting confirmations before the application stops', async () => {
    const gw = await holdingGateway();
    const { gate, ids } = await flood(gw, 7, 300);
    const webhooks = gw.app.get(WebhookService);
    let draining!: () => void;
    const drainStarted = new Promise<void>((resolve) => (draining = resolve));
    const shutdown = webhooks.onApplicationShutdown.bind(webhooks);
    jest.spyOn(webhooks, 'onApplicationShutdown').mockImplementation(() => {
      draining();
      return shutdown();
    });

    const closing = gw.app.close();
    await drainStarted;
    gate.open();
    await closing;
    const db = await stopped(gw);
    try {
      const rows = await nextPolls(viaClient(db), ids);
      expect(ids.map((id) => rows.get(id)!.status)).toEqual(ids.map(() => 'SUCCESSFUL'));
      expect(webhooks.stats()).toMatchObject({ confirmed: 7, deferred: 0 });
    } finally {
      await db.end();
      await gw.emulator.stop();
      await gw.db.drop();
    }
  });

  it('hands what still waits after CALLBACK_DRAIN_TIMEOUT_MS to the poller', async () => {
    const gw = await holdingGateway({ CALLBACK_DRAIN_TIMEOUT_MS: '100' });
    const { gate, ids } = await flood(gw, 7, 400);
    const webhooks = gw.app.get(WebhookService);
    const closeStart = Date.now();
    // The two held confirmations never finish: the drain gives up after its bound.
    await gw.app.close();
    const db = await stopped(gw);
    try {
      expect(webhooks.stats()).toMatchObject({ deferred: 5, confirmed: 0 });
      const rows = await nextPolls(viaClient(db), ids);
      const due = ids.filter((id) => rows.get(id)!.nextPollAt.getTime() <= Date.now());
      expect(due).toHaveLength(5);
      for (const id of due) {
        expect(rows.get(id)!.nextPollAt.getTime()).toBeGreaterThanOrEqual(closeStart);
        expect(gate.started).not.toContain(id);
        expect(rows.get(id)!.status).toBe('PENDING');
      }
    } finally {
      await db.end();
      // The held ones now fail on the closed database; their transactions keep their poll schedule.
      gate.open();
      await webhooks.idle(10_000);
      await gw.emulator.stop();
      await gw.db.drop();
    }
  });
});
